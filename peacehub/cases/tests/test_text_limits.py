"""Free text is never cut by the phone: no maxlength in the case pages, the limit said
under the field, and a longer text refused by the server on its field, with nothing
saved and all of it shown again. And the service plan's goal starts on "Choose…"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.cases.models import (
    Assessment,
    AssessmentTemplate,
    Case,
    CaseNote,
    Goal,
    GoalProgress,
    Intake,
    PreReleaseContact,
    ReentryPlan,
)
from peacehub.cases.tests.factories import CaseFactory
from tests.text_limits import assert_limit_said_and_too_long_refused

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def case(carmen, person_a):
    return CaseFactory(person=person_a, case_manager=carmen)


def _ratings():
    template = AssessmentTemplate.objects.get(is_current=True)
    data = {"assessed_on": TODAY().isoformat()}
    for key in template.domain_keys():
        data[f"{key}-rating"] = "3"
        data[f"{key}-note"] = ""
    return data, template.domain_keys()[0]


def _pages(name, case):
    """(page to read, field, limit, where to post, what else to post, how to tell that
    nothing was saved)."""
    detail = reverse("cases:detail", args=[case.pk])
    target = (TODAY() + datetime.timedelta(days=60)).isoformat()
    if name == "goal progress note":
        goal = Goal.objects.create(
            case=case, domain="education", description="Pass the GED", target_date=target
        )
        return (
            detail,
            "note",
            1000,
            reverse("cases:goal_progress", args=[goal.pk]),
            {"status": "in_progress"},
            lambda: not GoalProgress.objects.exists(),
        )
    if name == "goal description":
        return (
            detail,
            "description",
            300,
            reverse("cases:goal_add", args=[case.pk]),
            {"domain": "education", "target_date": target},
            lambda: not Goal.objects.exists(),
        )
    if name == "closing reason":
        return (
            detail,
            "reason",
            300,
            reverse("cases:close", args=[case.pk]),
            {},
            lambda: Case.objects.get(pk=case.pk).is_open,
        )
    if name == "intake reasons":
        url = reverse("cases:intake", args=[case.pk])
        return (
            url,
            "reasons",
            2000,
            url,
            {"intake_on": TODAY().isoformat(), "referred_by": "self"},
            lambda: not Intake.objects.exists(),
        )
    if name == "assessment note":
        url = reverse("cases:assessment_new", args=[case.pk])
        data, first = _ratings()
        del data[f"{first}-note"]
        return (
            url,
            f"{first}-note",
            500,
            url,
            data,
            lambda: not Assessment.objects.exists(),
        )
    if name == "case note":
        url = reverse("cases:notes", args=[case.person_id])
        return (
            url,
            "text",
            2000,
            url,
            {"note_type": "general", "written_on": TODAY().isoformat()},
            lambda: not CaseNote.objects.exists(),
        )
    plan = ReentryPlan.objects.create(
        person=case.person,
        organization_id=case.organization_id,
        facility="Stateville Correctional Center",
        expected_release_on=TODAY() + datetime.timedelta(days=30),
    )
    return (
        reverse("cases:reentry", args=[case.person_id]),
        "note",
        1000,
        reverse("cases:pre_release_contact_add", args=[plan.pk]),
        {"contacted_on": TODAY().isoformat(), "kind": "visit"},
        lambda: not PreReleaseContact.objects.exists(),
    )


@pytest.mark.parametrize(
    "name",
    [
        "goal progress note",
        "goal description",
        "closing reason",
        "intake reasons",
        "assessment note",
        "case note",
        "pre-release contact note",
    ],
)
def test_free_text_is_not_cut_by_the_browser_and_too_long_is_refused(
    client_for, carmen, case, name
):
    page_url, field, limit, post_url, data, nothing_saved = _pages(name, case)
    client = client_for(carmen)
    assert_limit_said_and_too_long_refused(client, page_url, field, limit, post_url, data)
    assert nothing_saved()


def _first_option(page: str, name: str) -> str:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return select.split("<option", 2)[1].split("</option>", 1)[0]


def test_a_goals_domain_starts_unchosen_and_unchosen_is_refused_on_it(client_for, carmen, case):
    client = client_for(carmen)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert _first_option(page, "domain") == ' value="" selected>Choose…'

    response = client.post(
        reverse("cases:goal_add", args=[case.pk]),
        {
            "domain": "",
            "description": "Pass the GED math test",
            "target_date": (TODAY() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert response.context["goal_form"].errors["domain"] == ["This field is required."]
    # What was typed is still there.
    assert "Pass the GED math test" in response.content.decode()
    assert not Goal.objects.exists()
