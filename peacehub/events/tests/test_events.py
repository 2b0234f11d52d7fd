"""Staff pages for single events: add, edit, cancel. HTTP-level: it works, another
organization gets 404, a weaker role gets 403, bad input saves nothing."""

import pytest
from django.urls import reverse

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.events.models import Event
from peacehub.events.tests.factories import EventFactory, PlaceFactory, at

pytestmark = pytest.mark.django_db


def _form(where, organization, **changes):
    data = {
        "title": "Light in the Night at Hamilton",
        "kind": "light_in_the_night",
        "place": where.pk,
        "hosts": [organization.pk],
        "starts_at": at(3, 18).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(3, 22).strftime("%Y-%m-%dT%H:%M"),
        "food_served": "on",
        "food_description": "Tacos",
        "activities": "Double-dutch, DJ",
        "services": ["legal_aid", "job_sign_up"],
        "is_public": "on",
    }
    data.update(changes)
    return data


def test_a_host_adds_an_event(client_for, alice, org_a):
    place = PlaceFactory()
    response = client_for(alice).post(reverse("events:event_new"), _form(place, org_a))

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.title == "Light in the Night at Hamilton"
    assert list(event.hosts.all()) == [org_a]
    assert event.services == ["job_sign_up", "legal_aid"]
    assert event.is_public and event.food_description == "Tacos"
    assert event.starts_at == at(3, 18)
    assert event.series is None
    assert AuditEvent.objects.filter(record_id=str(event.pk), action="create").exists()


def test_the_form_offers_own_and_partner_organizations_and_checks_own(
    client_for, alice, org_a, org_b
):
    client = client_for(alice)
    page = client.get(reverse("events:event_new"))
    assert page.status_code == 200
    assert page.context["form"].initial["hosts"] == [org_a.pk]
    hosts = set(page.context["form"].fields["hosts"].queryset)
    assert {org_a, org_b} <= hosts

    response = client.post(
        reverse("events:event_new"), _form(PlaceFactory(), org_a, hosts=[org_b.pk])
    )
    assert response.status_code == 400
    assert "Include your own organization among the hosts." in response.content.decode()
    assert not Event.objects.exists()

    response = client.post(
        reverse("events:event_new"), _form(PlaceFactory(), org_a, hosts=[org_a.pk, org_b.pk])
    )
    assert response.status_code == 302
    assert set(Event.objects.get().hosts.all()) == {org_a, org_b}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"ends_at": at(3, 17).strftime("%Y-%m-%dT%H:%M")},
            "ends_at",
            "The event ends before it starts.",
        ),
        (
            {"ends_at": at(3, 18).strftime("%Y-%m-%dT%H:%M")},
            "ends_at",
            "The event ends before it starts.",
        ),
        ({"title": "   "}, "title", "This field is required."),
        ({"hosts": []}, "hosts", "Choose at least one host organization."),
        ({"place": "00000000-0000-4000-8000-000000000009"}, "place", "Choose a place"),
        ({"services": ["police_check"]}, "services", "Select a valid choice"),
        ({"starts_at": "tomorrow"}, "starts_at", "Enter a valid date/time."),
    ],
)
def test_bad_input_saves_nothing(client_for, alice, org_a, changes, field, message):
    response = client_for(alice).post(
        reverse("events:event_new"), _form(PlaceFactory(), org_a, **changes)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in str(response.context["form"].errors[field])
    assert b"Nothing was saved" in response.content
    assert not Event.objects.exists()


def test_edit_saves_and_bumps_the_sequence(client_for, alice, org_a):
    event = EventFactory(hosts=[org_a])
    client = client_for(alice)
    page = client.get(reverse("events:event_edit", args=[event.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["hosts"] == [org_a.pk]

    response = client.post(
        reverse("events:event_edit", args=[event.pk]),
        _form(event.place, org_a, title="Moved indoors", food_served=""),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Moved indoors"
    assert event.food_served is False and event.food_description == ""
    assert event.sequence == 1
    audit = AuditEvent.objects.get(record_id=str(event.pk), action="update")
    assert "title" in audit.detail["fields"]


def test_a_bad_edit_changes_nothing(client_for, alice, org_a):
    event = EventFactory(hosts=[org_a])
    before = (event.title, event.starts_at, event.ends_at)
    response = client_for(alice).post(
        reverse("events:event_edit", args=[event.pk]),
        _form(event.place, org_a, title="New", ends_at=at(3, 10).strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 400
    event.refresh_from_db()
    assert (event.title, event.starts_at, event.ends_at) == before
    assert event.sequence == 0


def test_an_event_that_is_over_cannot_be_edited_or_cancelled(client_for, alice, org_a):
    event = EventFactory(hosts=[org_a], starts_at=at(-2, 18), ends_at=at(-2, 22))
    client = client_for(alice)
    assert client.get(reverse("events:event_edit", args=[event.pk])).status_code == 302
    response = client.post(
        reverse("events:event_edit", args=[event.pk]), _form(event.place, org_a, title="Late")
    )
    assert response.status_code == 400
    assert "This event is over" in response.content.decode()
    response = client.post(reverse("events:event_cancel", args=[event.pk]), {"notice": "Rain"})
    assert response.status_code == 400
    event.refresh_from_db()
    assert event.title != "Late" and not event.is_cancelled


def test_cancel_with_a_public_notice(client_for, alice, org_a):
    event = EventFactory(hosts=[org_a])
    client = client_for(alice)
    assert client.get(reverse("events:event_cancel", args=[event.pk])).status_code == 200

    response = client.post(reverse("events:event_cancel", args=[event.pk]), {"notice": "  "})
    assert response.status_code == 400
    assert b"Write the notice the public will read." in response.content
    event.refresh_from_db()
    assert not event.is_cancelled

    response = client.post(
        reverse("events:event_cancel", args=[event.pk]),
        {"notice": "Storm warning. See you on Friday."},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    assert event.cancellation_notice == "Storm warning. See you on Friday."
    assert AuditEvent.objects.filter(record_id=str(event.pk), action="status_change").exists()

    # Still listed, with its notice, on the public page.
    page = client.get(reverse("events:detail", args=[event.pk]))
    assert b"This event is cancelled." in page.content
    assert b"Storm warning. See you on Friday." in page.content


def test_another_organization_gets_404_and_a_weaker_role_403(client_for, org_a, charlie):
    event = EventFactory(hosts=[org_a], title="Hamilton night")
    client = client_for(charlie)
    for name in ("events:event_edit", "events:event_cancel", "events:attendance"):
        response = client.get(reverse(name, args=[event.pk]))
        assert response.status_code == 404
        assert b"Hamilton night" not in response.content
    clinician = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN)
    client.force_login(clinician)
    assert client.get(reverse("events:event_edit", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:event_new")).status_code == 403
    response = client.post(reverse("events:event_new"), _form(PlaceFactory(), org_a))
    assert response.status_code == 403
    assert Event.objects.count() == 1


def test_a_co_host_manages_the_event_too(client_for, alice, org_a, org_b, charlie):
    event = EventFactory(hosts=[org_a, org_b])
    response = client_for(charlie).get(reverse("events:event_edit", args=[event.pk]))
    assert response.status_code == 200


def test_manage_list_shows_own_organization_events_only(
    client_for, alice, org_a, org_b, django_assert_max_num_queries
):
    for k in range(6):
        EventFactory(hosts=[org_a], title=f"Ours {k}", starts_at=at(k + 1, 18))
    EventFactory(hosts=[org_b], title="Theirs")
    past = EventFactory(hosts=[org_a], title="Held", starts_at=at(-3), ends_at=at(-3, 22))
    client = client_for(alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:manage"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ours 5" in body and "Theirs" not in body and "Held" not in body
    assert "1 night still needs its head counts." in body

    with django_assert_max_num_queries(12):
        response = client.get(reverse("events:manage"), {"when": "past"})
    assert "Held" in response.content.decode()
    assert reverse("events:attendance", args=[past.pk]) in response.content.decode()
