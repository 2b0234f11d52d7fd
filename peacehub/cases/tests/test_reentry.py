"""Re-entry as the case manager meets it: a release date that went by with nothing
recorded, and the services lined up for the first days home moving along."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.cases.models import ReentryPlan, ReentryService
from peacehub.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

PASSED_GROUP = "Release date passed — record the release"
PASSED_NOTICE = "has passed and no release is recorded"


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _plan(person, expected, released=None, facility="Stateville Correctional Center"):
    return ReentryPlan.objects.create(
        person=person,
        organization_id=person.organization_id,
        facility=facility,
        expected_release_on=expected,
        released_on=released,
    )


def _on_caseload_of(case_manager, organization):
    return CaseFactory(case_manager=case_manager, person__organization=organization).person


def test_a_passed_release_date_stays_listed_until_the_release_is_recorded(
    client_for, carmen, org_a, person_a
):
    CaseFactory(person=person_a, case_manager=carmen)
    long_ago = _plan(_on_caseload_of(carmen, org_a), _days(-20), facility="Cook County Jail")
    recent = _plan(person_a, _days(-3))
    coming = _plan(_on_caseload_of(carmen, org_a), _days(10))
    _plan(_on_caseload_of(carmen, org_a), _days(-5), released=_days(-4))
    client = client_for(carmen)

    releases = client.get(reverse("cases:releases"))
    assert [p.pk for p in releases.context["passed"]] == [long_ago.pk, recent.pk]
    assert [p.pk for p in releases.context["plans"]] == [coming.pk]
    assert PASSED_GROUP in releases.content.decode()
    caseload = client.get(reverse("cases:caseload"))
    assert [p.pk for p in caseload.context["releases_passed"]] == [long_ago.pk, recent.pk]
    assert [p.pk for p in caseload.context["releases"]] == [coming.pk]
    assert PASSED_GROUP in caseload.content.decode()

    client.post(
        reverse("cases:reentry", args=[person_a.pk]),
        {
            "facility": recent.facility,
            "expected_release_on": recent.expected_release_on.isoformat(),
            "released_on": _days(-1).isoformat(),
        },
    )
    releases = client.get(reverse("cases:releases"))
    assert [p.pk for p in releases.context["passed"]] == [long_ago.pk]
    assert [p.pk for p in client.get(reverse("cases:caseload")).context["releases_passed"]] == [
        long_ago.pk
    ]


def test_saving_a_plan_whose_release_date_passed_warns_to_record_the_release(
    client_for, carmen, person_a
):
    client = client_for(carmen)
    url = reverse("cases:reentry", args=[person_a.pk])
    data = {"facility": "Cook County Jail", "expected_release_on": _days(-2).isoformat()}

    response = client.post(url, data, follow=True)
    plan = ReentryPlan.objects.get()
    assert plan.expected_release_on == _days(-2) and plan.released_on is None
    page = response.content.decode()
    assert "Re-entry plan saved." in page
    assert PASSED_NOTICE in page

    response = client.post(url, {**data, "released_on": _days(-1).isoformat()}, follow=True)
    plan.refresh_from_db()
    assert plan.released_on == _days(-1)
    assert PASSED_NOTICE not in response.content.decode()


@pytest.fixture
def lined_up(person_a):
    plan = _plan(person_a, _days(10))
    service = ReentryService.objects.create(
        plan=plan,
        domain="identity_documents",
        description="State ID appointment",
        day_after_release=2,
    )
    return plan, service


def _status_url(plan, service):
    return reverse("cases:reentry_service_status", args=[plan.pk, service.pk])


def test_a_lined_up_service_moves_from_planned_to_arranged_to_done(
    client_for, carmen, person_a, lined_up
):
    plan, service = lined_up
    client = client_for(carmen)
    page = client.get(reverse("cases:reentry", args=[person_a.pk])).content.decode()
    assert _status_url(plan, service) in page

    response = client.post(_status_url(plan, service), {"status": "arranged"}, follow=True)
    service.refresh_from_db()
    assert service.status == ReentryService.Status.ARRANGED
    page = response.content.decode()
    assert "Service status updated." in page
    assert '<span class="badge">Arranged</span>' in page

    client.post(_status_url(plan, service), {"status": "done"})
    service.refresh_from_db()
    assert service.status == ReentryService.Status.DONE


def test_a_bad_service_status_changes_nothing(client_for, carmen, lined_up):
    plan, service = lined_up
    response = client_for(carmen).post(_status_url(plan, service), {"status": "lost"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    service.refresh_from_db()
    assert service.status == ReentryService.Status.PLANNED


def test_a_service_status_change_is_refused_outside_the_case_team(
    client_for, client, org_a, org_b, lined_up, person_b
):
    plan, service = lined_up
    outreach = member(org_a, Role.OUTREACH_WORKER)
    assert (
        client_for(outreach).post(_status_url(plan, service), {"status": "done"}).status_code == 403
    )
    other = member(org_b, Role.CASE_MANAGER)
    assert client_for(other).post(_status_url(plan, service), {"status": "done"}).status_code == 404
    # A service of another plan, reached through a plan the user may change: not found.
    their_plan = _plan(person_b, _days(10))
    assert (
        client_for(other)
        .post(
            reverse("cases:reentry_service_status", args=[their_plan.pk, service.pk]),
            {"status": "done"},
        )
        .status_code
        == 404
    )
    service.refresh_from_db()
    assert service.status == ReentryService.Status.PLANNED


DAY_RULE = "Give a day from 1, the first day home, to 90."


@pytest.mark.parametrize("day", ["0", "-1", "91", "40000"])
def test_a_day_after_release_out_of_range_gets_one_message(client_for, carmen, lined_up, day):
    plan, _service = lined_up
    client = client_for(carmen)
    form = client.get(reverse("cases:reentry", args=[plan.person_id])).content.decode()
    assert "From 1, the first day home, to 90." in form
    response = client.post(
        reverse("cases:reentry_service_add", args=[plan.pk]),
        {
            "domain": "housing",
            "description": "A bed",
            "day_after_release": day,
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert response.context["service_form"].errors["day_after_release"] == [DAY_RULE]
    assert plan.services.count() == 1


@pytest.mark.parametrize(
    "field, day",
    [("expected_release_on", "1990-06-01"), ("released_on", "1980-03-02")],
)
def test_a_plans_dates_before_the_coalitions_records_are_refused(
    client_for, carmen, person_a, field, day
):
    data = {"facility": "Cook County Jail", "expected_release_on": _days(10).isoformat()}
    response = client_for(carmen).post(
        reverse("cases:reentry", args=[person_a.pk]), {**data, field: day}
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [
        "This date is too far in the past: check the year."
    ]
    assert not ReentryPlan.objects.exists()


def test_a_pre_release_contact_before_the_coalitions_records_is_refused(
    client_for, carmen, lined_up
):
    plan, _service = lined_up
    response = client_for(carmen).post(
        reverse("cases:pre_release_contact_add", args=[plan.pk]),
        {"contacted_on": "1990-05-04", "kind": "visit", "note": "First visit"},
    )
    assert response.status_code == 400
    assert response.context["contact_form"].errors["contacted_on"] == [
        "This date is too far in the past: check the year."
    ]
    assert not plan.contacts.exists()


def _first_option(page: str, name: str) -> str:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return select.split("<option", 2)[1].split("</option>", 1)[0]


def test_the_contact_kind_and_the_service_domain_start_unchosen(client_for, carmen, lined_up):
    """Nothing is chosen for the case manager: "Choose…" first, and leaving it so is
    refused on that field, saving nothing."""
    plan, _service = lined_up
    client = client_for(carmen)
    page = client.get(reverse("cases:reentry", args=[plan.person_id])).content.decode()
    for name in ("kind", "domain"):
        assert _first_option(page, name) == ' value="" selected>Choose…'
    assert "---------" not in page

    contact = client.post(
        reverse("cases:pre_release_contact_add", args=[plan.pk]),
        {"contacted_on": _days(-1).isoformat(), "kind": "", "note": "First visit"},
    )
    assert contact.status_code == 400
    assert contact.context["contact_form"].errors["kind"] == ["This field is required."]
    assert not plan.contacts.exists()
    service = client.post(
        reverse("cases:reentry_service_add", args=[plan.pk]),
        {"domain": "", "description": "A bed", "day_after_release": "3", "status": "planned"},
    )
    assert service.status_code == 400
    assert service.context["service_form"].errors["domain"] == ["This field is required."]
    assert plan.services.count() == 1
