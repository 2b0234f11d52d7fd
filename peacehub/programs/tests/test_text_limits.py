"""Free text is never cut by the phone: no maxlength in the enrollment page, the limit
said under the field, and a longer text refused by the server on its field, with nothing
saved and all of it shown again. And the workforce milestone's fields required for one
kind only say which kind, in the help and in the error."""

import html

import pytest
from django.urls import reverse

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.programs.models import (
    Enrollment,
    EnrollmentStatus,
    LegalMatter,
    Program,
    ProgramSession,
    WorkforceMilestone,
)
from peacehub.programs.tests.factories import EnrollmentFactory, MatterFactory, days_ago
from tests.text_limits import assert_limit_said_and_too_long_refused

pytestmark = pytest.mark.django_db


def _case(name, org_a, person_a):
    """(user, enrollment, field, limit, where to post, what else to post, how to tell
    that nothing was saved)."""
    iso = days_ago(5).isoformat()
    if name in ("milestone employer", "exit note"):
        enrollment = EnrollmentFactory(person=person_a, program=Program.WORKFORCE)
        user = member(org_a, Role.WORKFORCE_STAFF)
        if name == "milestone employer":
            return (
                user,
                enrollment,
                "employer",
                200,
                reverse("programs:milestone_add", args=[enrollment.pk]),
                {"kind": "placed", "achieved_on": iso},
                lambda: not WorkforceMilestone.objects.exists(),
            )
        return (
            user,
            enrollment,
            "exit_note",
            300,
            reverse("programs:enrollment_finish", args=[enrollment.pk]),
            {"status": "exited", "ended_on": iso, "exit_reason": "moved"},
            lambda: Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.ACTIVE,
        )
    if name in ("legal notes", "matter outcome in words"):
        enrollment = EnrollmentFactory(person=person_a, program=Program.LEGAL)
        user = member(org_a, Role.LEGAL_STAFF)
        if name == "legal notes":
            return (
                user,
                enrollment,
                "notes",
                2000,
                reverse("programs:matter_add", args=[enrollment.pk]),
                {"matter_type": "housing", "opened_on": iso},
                lambda: not LegalMatter.objects.exists(),
            )
        matter = MatterFactory(enrollment=enrollment, opened_on=days_ago(50))
        prefix = f"matter-{matter.pk}-"
        return (
            user,
            enrollment,
            f"{prefix}outcome_note",
            1000,
            reverse("programs:matter_update", args=[enrollment.pk, matter.pk]),
            {f"{prefix}status": "open"},
            lambda: LegalMatter.objects.get().outcome_note == "",
        )
    if name == "session note":
        enrollment = EnrollmentFactory(person=person_a, program=Program.BEHAVIORAL_HEALTH)
        user = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN)
        return (
            user,
            enrollment,
            "note",
            2000,
            reverse("programs:session_add", args=[enrollment.pk]),
            {
                "held_on": iso,
                "format": "individual",
                "language": "en",
                "minutes": 50,
                "staff": user.pk,
            },
            lambda: not ProgramSession.objects.exists(),
        )
    enrollment = EnrollmentFactory(person=person_a, program=Program.IPV)
    return (
        member(org_a, Role.IPV_STAFF),
        enrollment,
        "safety_plan",
        4000,
        reverse("programs:safety_plan", args=[enrollment.pk]),
        {},
        lambda: Enrollment.objects.get(pk=enrollment.pk).safety_plan == "",
    )


@pytest.mark.parametrize(
    "name",
    [
        "milestone employer",
        "exit note",
        "legal notes",
        "matter outcome in words",
        "session note",
        "safety plan",
    ],
)
def test_free_text_is_not_cut_by_the_browser_and_too_long_is_refused(
    client_for, org_a, person_a, name
):
    user, enrollment, field, limit, post_url, data, nothing_saved = _case(name, org_a, person_a)
    client = client_for(user)
    page_url = reverse("programs:enrollment", args=[enrollment.pk])
    assert_limit_said_and_too_long_refused(client, page_url, field, limit, post_url, data)
    assert nothing_saved()


@pytest.fixture
def workforce(person_a):
    return EnrollmentFactory(person=person_a, program=Program.WORKFORCE, enrolled_on=days_ago(300))


def test_the_industry_and_the_employer_say_which_milestone_requires_them(
    client_for, org_a, workforce
):
    client = client_for(member(org_a, Role.WORKFORCE_STAFF))
    page = html.unescape(
        client.get(reverse("programs:enrollment", args=[workforce.pk])).content.decode()
    )
    assert "Required when the milestone is a skill training." in page
    assert "Required when the milestone is a job placement. At most 200 characters." in page
    # Not "optional": each is required for one kind of milestone.
    assert "Industry (skill training) <span" not in page
    assert "Employer (job placement) <span" not in page

    url = reverse("programs:milestone_add", args=[workforce.pk])
    iso = days_ago(5).isoformat()
    response = client.post(url, {"kind": "skill_training", "achieved_on": iso})
    assert response.status_code == 400
    assert response.context["milestone_form"].errors["industry"] == [
        "Choose the industry: it is required when the milestone is a skill training."
    ]
    response = client.post(url, {"kind": "placed", "achieved_on": iso, "employer": "  "})
    assert response.status_code == 400
    assert response.context["milestone_form"].errors["employer"] == [
        "Name the employer: it is required when the milestone is a job placement."
    ]
    # A name too long is refused for its length alone, not as missing too.
    response = client.post(url, {"kind": "placed", "achieved_on": iso, "employer": "e" * 201})
    errors = response.context["milestone_form"].errors["employer"]
    assert len(errors) == 1
    assert "at most 200 characters" in errors[0]
    assert not WorkforceMilestone.objects.exists()
