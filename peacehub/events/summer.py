"""The Summer Safety Strategy check: did each host organization hold event nights on
at least three different dates in each of the ten summer weeks?

The summer's weeks run Monday to Sunday. Week 1 starts on the year's Summer record when
there is one (set in the operators' admin), otherwise on the Monday a week before
Memorial Day (the last Monday of May), so that the Thursday to Sunday of Memorial Day
weekend are the first week's nights. For 2025 that is 19 May to 27 July.

A night counts when the event is not cancelled, whether public or staff-only; two
events on the same date count once. Weeks still under way or to come are shown as such,
never as falling short.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from peacehub.accounts.models import Organization
from peacehub.events.models import Event, Summer
from peacehub.events.recurrence import local_zone

SUMMER_WEEKS = 10
NIGHTS_PER_WEEK = 3


def memorial_day(year: int) -> datetime.date:
    """The last Monday of May."""
    day = datetime.date(year, 5, 31)
    return day - datetime.timedelta(days=day.weekday())


def default_first_monday(year: int) -> datetime.date:
    return memorial_day(year) - datetime.timedelta(days=7)


def first_monday(year: int) -> datetime.date:
    chosen = Summer.objects.filter(year=year).values_list("first_monday", flat=True).first()
    return chosen or default_first_monday(year)


def summer_weeks(year: int) -> list[datetime.date]:
    """The Monday of each summer week."""
    start = first_monday(year)
    return [start + datetime.timedelta(weeks=k) for k in range(SUMMER_WEEKS)]


def latest_summer_year(today: datetime.date) -> int:
    """This year once its summer has begun, else last year."""
    return today.year if today >= first_monday(today.year) else today.year - 1


class WeekStatus:
    MET = "met"
    SHORT = "short"
    UNDER_WAY = "under_way"
    TO_COME = "to_come"


@dataclass
class Week:
    number: int
    monday: datetime.date
    nights: int
    status: str

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)


@dataclass
class OrganizationSummer:
    organization: Organization
    weeks: list[Week] = field(default_factory=list)

    @property
    def short_weeks(self) -> list[int]:
        return [w.number for w in self.weeks if w.status == WeekStatus.SHORT]

    @property
    def weeks_met(self) -> int:
        return sum(1 for w in self.weeks if w.status == WeekStatus.MET)

    @property
    def weeks_done(self) -> int:
        return sum(1 for w in self.weeks if w.status in (WeekStatus.MET, WeekStatus.SHORT))


def _status(nights: int, monday: datetime.date, today: datetime.date) -> str:
    sunday = monday + datetime.timedelta(days=6)
    if sunday < today:
        return WeekStatus.MET if nights >= NIGHTS_PER_WEEK else WeekStatus.SHORT
    if monday <= today:
        return WeekStatus.MET if nights >= NIGHTS_PER_WEEK else WeekStatus.UNDER_WAY
    return WeekStatus.TO_COME


def organizations_for_convener(mondays: list[datetime.date]):
    """Every partner organization, and any other organization that hosted a night of
    the summer of these weeks."""
    start, end = _window(mondays)
    hosted = Event.hosts.through.objects.filter(
        organization_id=OuterRef("pk"), event__starts_at__gte=start, event__starts_at__lt=end
    )
    return Organization.objects.filter(Q(kind=Organization.Kind.PARTNER) | Q(Exists(hosted)))


def _window(mondays: list[datetime.date]) -> tuple[datetime.datetime, datetime.datetime]:
    zone = local_zone()
    start = datetime.datetime.combine(mondays[0], datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        mondays[-1] + datetime.timedelta(days=7), datetime.time.min, tzinfo=zone
    )
    return start, end


def summer_check(
    *,
    year: int,
    organizations,
    today: datetime.date | None = None,
    mondays: list[datetime.date] | None = None,
) -> list[OrganizationSummer]:
    """One row per organization, in name order, with its ten weeks (``mondays``, when
    the caller has them already). One or two queries."""
    today = today or timezone.localdate()
    organizations = sorted(organizations, key=lambda o: o.name)
    mondays = mondays or summer_weeks(year)
    start, end = _window(mondays)
    nights: dict[object, set[datetime.date]] = defaultdict(set)
    rows = Event.hosts.through.objects.filter(
        organization_id__in=[o.pk for o in organizations],
        event__cancelled_at__isnull=True,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
    ).values_list("organization_id", "event__starts_at")
    zone = local_zone()
    for organization_id, starts_at in rows:
        nights[organization_id].add(starts_at.astimezone(zone).date())
    result = []
    for organization in organizations:
        dates = nights[organization.pk]
        row = OrganizationSummer(organization)
        for number, monday in enumerate(mondays, start=1):
            count = sum(1 for d in dates if monday <= d < monday + datetime.timedelta(days=7))
            row.weeks.append(Week(number, monday, count, _status(count, monday, today)))
        result.append(row)
    return result
