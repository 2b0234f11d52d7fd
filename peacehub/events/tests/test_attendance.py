"""Head counts after a night: counted, never registered by name."""

import re

import pytest
from django.db import models
from django.urls import reverse

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.events.models import Attendance, Event, Place, Series
from peacehub.events.tests.factories import EventFactory, at

pytestmark = pytest.mark.django_db

COUNTS = {
    "children": "14",
    "teens": "22",
    "young_adults": "9",
    "adults": "31",
    "seniors": "4",
    "meals_served": "120",
    "legal_aid_connections": "2",
    "job_sign_ups": "7",
    "counseling_connections": "1",
    "health_screenings": "12",
    "other_connections": "0",
}


@pytest.fixture
def held(org_a):
    return EventFactory(hosts=[org_a], starts_at=at(-1, 18), ends_at=at(-1, 22))


def test_no_model_of_the_app_has_a_field_for_a_name():
    """No attendee can be written down by name, even by mistake: no field is named
    for a name, and attendance has no free text at all."""
    for model in (Attendance, Event, Series, Place):
        for field in model._meta.get_fields():
            if model is Place and field.name == "name":
                continue  # a park's name
            assert "name" not in field.name, f"{model.__name__}.{field.name}"
    text_fields = [
        f.name
        for f in Attendance._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    assert text_fields == []


def test_a_host_records_the_head_counts(client_for, alice, held):
    client = client_for(alice)
    page = client.get(reverse("events:attendance", args=[held.pk]))
    assert page.status_code == 200
    assert b"Never write down who came" in page.content
    html = page.content.decode()
    assert not re.search(r'<input[^>]+name="[^"]*name', html)
    assert "<textarea" not in html

    response = client.post(reverse("events:attendance", args=[held.pk]), COUNTS)

    assert response.status_code == 302
    attendance = Attendance.objects.get(event=held)
    assert attendance.total == 80
    assert attendance.meals_served == 120
    assert attendance.job_sign_ups == 7
    assert attendance.services_connected == 22
    assert attendance.recorded_by == alice
    assert AuditEvent.objects.filter(record_id=str(attendance.pk), action="create").exists()

    # Correcting the counts replaces them.
    response = client.post(reverse("events:attendance", args=[held.pk]), {**COUNTS, "seniors": "5"})
    assert response.status_code == 302
    assert Attendance.objects.get().seniors == 5


def test_blank_counts_are_zero(client_for, alice, held):
    response = client_for(alice).post(reverse("events:attendance", args=[held.pk]), {"adults": 3})
    assert response.status_code == 302
    assert Attendance.objects.get().total == 3


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("teens", "-1", "A count cannot be below zero."),
        ("meals_served", "-20", "A count cannot be below zero."),
        ("adults", "lots", "Enter a whole number."),
        ("children", "2.5", "Enter a whole number."),
        ("adults", "1000000", "Check this count"),
    ],
)
def test_a_bad_count_saves_nothing(client_for, alice, held, field, value, message):
    response = client_for(alice).post(
        reverse("events:attendance", args=[held.pk]), {**COUNTS, field: value}
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert b"Nothing was saved" in response.content
    assert not Attendance.objects.exists()


def test_a_night_that_has_not_begun_or_was_cancelled_has_no_counts(client_for, alice, org_a):
    coming = EventFactory(hosts=[org_a])
    cancelled = EventFactory(
        hosts=[org_a],
        starts_at=at(-1),
        ends_at=at(-1, 22),
        cancelled_at=at(-2),
        cancellation_notice="Rain",
    )
    client = client_for(alice)
    response = client.post(reverse("events:attendance", args=[coming.pk]), COUNTS)
    assert response.status_code == 400
    assert b"once the event has started" in response.content
    response = client.post(reverse("events:attendance", args=[cancelled.pk]), COUNTS)
    assert response.status_code == 400
    assert b"This event was cancelled" in response.content
    assert not Attendance.objects.exists()


def test_only_the_hosts_staff_record_counts(client_for, held, charlie, org_a):
    client = client_for(charlie)
    assert client.post(reverse("events:attendance", args=[held.pk]), COUNTS).status_code == 404
    client.force_login(member(org_a, Role.LEGAL_STAFF))
    assert client.post(reverse("events:attendance", args=[held.pk]), COUNTS).status_code == 403
    assert not Attendance.objects.exists()
