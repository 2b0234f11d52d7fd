"""Every staff URL of the events app, for every role, in the host organization and in
another one. Expectations are written from the design, not derived from the code's
role table: the staff who run events (outreach, case management, victim advocates,
supervisors, organization admins) manage their own organization's events; supervisors,
organization admins and convener staff see the summer check."""

import datetime

import pytest
from django.urls import reverse

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import OrganizationFactory, member
from peacehub.events.tests.factories import EventFactory, PlaceFactory, at, make_series

pytestmark = pytest.mark.django_db

HOSTS = {
    Role.OUTREACH_WORKER,
    Role.CASE_MANAGER,
    Role.VICTIM_ADVOCATE,
    Role.SUPERVISOR,
    Role.ORGANIZATION_ADMIN,
}
SUMMER = {Role.SUPERVISOR, Role.ORGANIZATION_ADMIN, Role.CONVENER_STAFF}


@pytest.fixture
def world(org_a, alice):
    place = PlaceFactory()
    return {
        "event": EventFactory(hosts=[org_a], place=place, title="Hamilton night"),
        "held": EventFactory(
            hosts=[org_a], place=place, title="Held night", starts_at=at(-1), ends_at=at(-1, 22)
        ),
        "series": make_series(
            alice,
            hosts=[org_a],
            place=place,
            weekdays=(4,),
            last=datetime.date.today() + datetime.timedelta(days=8),
        ),
    }


# name → (method, url(world), data, success status)
RECORD_URLS = {
    "event_edit": ("get", lambda w: reverse("events:event_edit", args=[w["event"].pk]), {}, 200),
    "event_cancel": (
        "post",
        lambda w: reverse("events:event_cancel", args=[w["event"].pk]),
        {"notice": "Storm"},
        302,
    ),
    "attendance_form": (
        "get",
        lambda w: reverse("events:attendance", args=[w["held"].pk]),
        {},
        200,
    ),
    "attendance_save": (
        "post",
        lambda w: reverse("events:attendance", args=[w["held"].pk]),
        {"adults": "10"},
        302,
    ),
    "series": ("get", lambda w: reverse("events:series", args=[w["series"].pk]), {}, 200),
    "series_edit": (
        "get",
        lambda w: reverse("events:series_edit", args=[w["series"].pk]),
        {},
        200,
    ),
    "series_cancel": (
        "post",
        lambda w: reverse("events:series_cancel", args=[w["series"].pk]),
        {"notice": "Closed"},
        302,
    ),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("same_organization", [True, False], ids=["own-org", "other-org"])
def test_event_record_matrix(client, world, org_a, role, same_organization):
    """Every record URL in turn, in the order that keeps each one meaningful (reads,
    then writes; the cancellations last)."""
    organization = org_a if same_organization else OrganizationFactory(name="Elsewhere")
    client.force_login(member(organization, role))
    outcomes = {}
    for url_name, (method, build, data, success) in RECORD_URLS.items():
        response = getattr(client, method)(build(world), data)
        expected = (success if role in HOSTS else 403) if same_organization else 404
        outcomes[url_name] = (response.status_code, expected)
        if expected in (403, 404):
            assert b"Hamilton night" not in response.content
            assert b"Summer nights" not in response.content
    assert {name: got for name, (got, _) in outcomes.items()} == {
        name: expected for name, (_, expected) in outcomes.items()
    }


PAGE_URLS = {
    "events:manage": HOSTS,
    "events:event_new": HOSTS,
    "events:series_new": HOSTS,
    "events:places": HOSTS,
    "events:place_new": HOSTS,
    "events:summer": SUMMER,
}


@pytest.mark.parametrize("role", list(Role))
def test_event_page_matrix(client, org_a, org_b, role):
    EventFactory(hosts=[org_b], title="Their staff night", is_public=False)
    client.force_login(member(org_a, role))
    outcomes = {}
    for url_name in PAGE_URLS:
        response = client.get(reverse(url_name))
        outcomes[url_name] = response.status_code
        assert b"Their staff night" not in response.content
        if response.status_code == 200:
            assert response["Cache-Control"] == "no-store"
    assert outcomes == {
        url_name: 200 if role in allowed else 403 for url_name, allowed in PAGE_URLS.items()
    }
