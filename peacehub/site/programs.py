"""The coalition's programs as the public site presents them: one page each.

The words of each page live in its template (site/programs/<slug>.html); this list
gives their order, titles and one-line summaries, shared by the home page, the
programs page and every program page's "other programs" list.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Program:
    slug: str
    title: Promise
    summary: Promise

    @property
    def template(self) -> str:
        return f"site/programs/{self.slug.replace('-', '_')}.html"


PROGRAMS = (
    Program(
        "street-outreach",
        _("Street outreach"),
        _("Outreach workers on the street who stop conflicts before they turn into shootings."),
    ),
    Program(
        "case-management",
        _("Case management"),
        _("A case manager who helps you make a plan and get what you need, step by step."),
    ),
    Program(
        "light-in-the-night",
        _("Light in the Night"),
        _("Free evening events in parks, gyms and schools, with food and activities for all ages."),
    ),
    Program(
        "behavioral-health",
        _("Behavioral health"),
        _("Counseling for you, your group or your family, in English or Spanish."),
    ),
    Program(
        "workforce-development",
        _("Workforce development"),
        _("Your GED, job readiness, skills training and help finding and keeping a job."),
    ),
    Program(
        "legal-aid",
        _("Legal Aid Justice Corps"),
        _("Free legal help with work, housing, benefits, immigration and more."),
    ),
    Program(
        "re-entry",
        _("Re-entry"),
        _("Planning and support for people coming home from prison, starting before release."),
    ),
    Program(
        "ipv-program",
        _("Program for people who cause harm in relationships"),
        _(
            "A voluntary program for adults who want to stop hurting a partner. "
            "The safety of survivors comes first."
        ),
    ),
    Program(
        "peace-academy",
        _("Peace Academy"),
        _("Training for outreach workers, case managers, police officers and residents."),
    ),
)

PROGRAMS_BY_SLUG = {program.slug: program for program in PROGRAMS}

# The intimate-partner-violence program's pilot areas (DESIGN.md), by community area
# number: West Englewood, Englewood, Chicago Lawn, South Chicago. Their names come
# from the database, so that another city's list only changes these numbers.
IPV_PILOT_AREA_NUMBERS = (67, 68, 66, 46)
