"""A closed case is a record of what was: nothing is added to it or changed, by a page
left open in another tab or by the API; its page says when and why it closed; the
person goes back to outreach."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peacehub.accounts.services import api_token_create
from peacehub.cases.models import Assessment, AssessmentTemplate, Case, Goal, GoalProgress, Intake
from peacehub.people.models import Status, StatusChange

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
NEXT_MONTH = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
CLOSED = "This case is closed"


@pytest.fixture
def case(client_for, carmen, person_a):
    """Opened through the page, as a case manager does: the person is in case management."""
    client_for(carmen).post(
        reverse("cases:open", args=[person_a.pk]), {"case_manager": carmen.memberships.get().pk}
    )
    return Case.objects.get(person=person_a)


@pytest.fixture
def goal(case, carmen):
    return Goal.objects.create(
        case=case, domain="education", description="Pass the GED", target_date=NEXT_MONTH
    )


def _close(client, case, reason="Moved to Milwaukee with his mother"):
    return client.post(reverse("cases:close", args=[case.pk]), {"reason": reason})


def _intake(**changes):
    return {
        "intake_on": TODAY().isoformat(),
        "referred_by": "self",
        "reasons": "A job",
        **changes,
    }


def _ratings():
    template = AssessmentTemplate.objects.get(is_current=True)
    data = {"assessed_on": TODAY().isoformat()}
    for key in template.domain_keys():
        data[f"{key}-rating"] = "3"
        data[f"{key}-note"] = ""
    return data


def test_nothing_is_written_to_a_closed_case_from_a_page_left_open(client_for, carmen, case, goal):
    client = client_for(carmen)
    client.post(reverse("cases:intake", args=[case.pk]), _intake())
    assert _close(client, case).status_code == 302

    refused = {
        "intake": client.post(
            reverse("cases:intake", args=[case.pk]), _intake(reasons="TYPED INTAKE")
        ),
        "assessment": client.post(reverse("cases:assessment_new", args=[case.pk]), _ratings()),
        "goal": client.post(
            reverse("cases:goal_add", args=[case.pk]),
            {"domain": "housing", "description": "TYPED GOAL", "target_date": NEXT_MONTH},
        ),
        "progress": client.post(
            reverse("cases:goal_progress", args=[goal.pk]),
            {"status": "met", "note": "TYPED PROGRESS"},
        ),
    }
    closed_on = date_format(TODAY(), "SHORT_DATE_FORMAT")
    for what, response in refused.items():
        page = response.content.decode()
        assert response.status_code == 400, what
        assert f"{CLOSED} ({closed_on}): it can no longer be changed." in page, what
        # What was typed comes back, to be copied elsewhere.
        assert "TYPED" in page or what == "assessment", what
    assert Intake.objects.get().reasons == "A job"
    assert not Assessment.objects.exists()
    assert list(Goal.objects.values_list("description", flat=True)) == ["Pass the GED"]
    goal.refresh_from_db()
    assert goal.status == "not_started"
    assert not GoalProgress.objects.exists()


def test_a_closed_cases_page_says_when_and_why_and_offers_no_form(
    client_for, carmen, bob, case, goal
):
    client = client_for(carmen)
    client.post(reverse("cases:intake", args=[case.pk]), _intake())
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "still open when the case closed" not in page
    assert reverse("cases:goal_progress", args=[goal.pk]) in page
    _close(client, case)

    for reader in (carmen, bob):
        page = client_for(reader).get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert "Case closed" in page
        assert date_format(TODAY(), "SHORT_DATE_FORMAT") in page
        assert "Moved to Milwaukee with his mother" in page
        # The open goal is shown as it was, and said to be still open at the closing.
        assert "Pass the GED" in page
        assert "still open when the case closed" in page
        for action in ("goal_add", "goal_progress", "intake", "assessment_new", "close"):
            args = [goal.pk] if action == "goal_progress" else [case.pk]
            assert reverse(f"cases:{action}", args=args) not in page, action
        assert "Refer to a service" not in page


@pytest.mark.parametrize("form", ["intake", "assessment_new"])
def test_a_closed_cases_forms_lead_back_to_the_case(client_for, carmen, case, form):
    client = client_for(carmen)
    _close(client, case)
    response = client.get(reverse(f"cases:{form}", args=[case.pk]), follow=True)
    assert response.redirect_chain == [(reverse("cases:detail", args=[case.pk]), 302)]
    assert CLOSED in response.content.decode()


def _api(client, user, method, path, data):
    _, raw = api_token_create(user=user, name="laptop")
    return getattr(client, method)(
        path, data=data, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )


def test_the_api_refuses_a_closed_case_with_400_and_the_message(client, carmen, case, goal):
    case.closed_on = TODAY()
    case.close_reason = "Moved away"
    case.save(update_fields=["closed_on", "close_reason"])
    template = AssessmentTemplate.objects.get(is_current=True)
    calls = [
        (
            "post",
            f"/api/v1/cases/{case.pk}/assessments",
            {
                "assessed_on": TODAY().isoformat(),
                "ratings": dict.fromkeys(template.domain_keys(), 3),
            },
        ),
        (
            "post",
            f"/api/v1/cases/{case.pk}/goals",
            {"domain": "housing", "description": "A lease", "target_date": NEXT_MONTH},
        ),
        ("patch", f"/api/v1/goals/{goal.pk}", {"status": "met"}),
    ]
    for method, path, data in calls:
        response = _api(client, carmen, method, path, data)
        assert response.status_code == 400, path
        [message] = response.json()["errors"]["__all__"]
        assert message.startswith(CLOSED), path
    assert not Assessment.objects.exists()
    assert Goal.objects.count() == 1
    assert not GoalProgress.objects.exists()


def test_closing_the_case_takes_the_person_back_to_outreach(client_for, carmen, case, person_a):
    person_a.refresh_from_db()
    assert person_a.status == Status.CASE_MANAGEMENT
    _close(client_for(carmen), case, reason="Goals met")

    person_a.refresh_from_db()
    assert person_a.status == Status.ENGAGED
    change = StatusChange.objects.filter(person=person_a).first()  # newest first
    assert (change.from_status, change.to_status) == (Status.CASE_MANAGEMENT, Status.ENGAGED)
    assert change.note == "Case closed: Goals met"
    assert change.changed_by == carmen
    assert "Case closed: Goals met" in (
        client_for(carmen).get(reverse("people:detail", args=[person_a.pk])).content.decode()
    )
    # A new case brings them back into case management.
    client_for(carmen).post(
        reverse("cases:open", args=[person_a.pk]), {"case_manager": carmen.memberships.get().pk}
    )
    person_a.refresh_from_db()
    assert person_a.status == Status.CASE_MANAGEMENT


def test_after_the_case_closed_the_participation_can_close_by_hand(
    client_for, carmen, case, person_a
):
    client = client_for(carmen)
    _close(client, case)
    response = client.post(
        reverse("people:status", args=[person_a.pk]),
        {"to_status": "closed", "reason": "moved", "note": ""},
    )
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.status == Status.CLOSED
