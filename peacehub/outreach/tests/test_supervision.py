"""The outreach supervisor's numbers say how many responses each median counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.outreach.tests.factories import IncidentFactory, IncidentResponseFactory

pytestmark = pytest.mark.django_db


def test_response_times_say_how_many_responses_were_acknowledged_and_reached_the_scene(
    client_for, bob, org_a
):
    """Medians of the responses that happened only: the table also says how many of
    the incidents got there, so that 4 never acknowledged of 30 do not vanish."""
    now = timezone.now()
    for minutes_to_ack, minutes_to_scene in [(4, 20), (10, None), (None, None)]:
        notified = now - datetime.timedelta(hours=2)
        IncidentResponseFactory(
            incident=IncidentFactory(reported_by_organization=org_a),
            notified_at=notified,
            acknowledged_at=notified + datetime.timedelta(minutes=minutes_to_ack)
            if minutes_to_ack
            else None,
            on_scene_at=notified + datetime.timedelta(minutes=minutes_to_scene)
            if minutes_to_scene
            else None,
            state="on_scene"
            if minutes_to_scene
            else "acknowledged"
            if minutes_to_ack
            else "notified",
        )
    page = client_for(bob).get(reverse("outreach:supervisor")).content.decode()
    row = page.split('<th scope="row">Englewood</th>')[1].split("</tr>")[0]
    assert row == "<td>3</td><td>2</td><td>7</td><td>1</td><td>20</td>"


def test_an_incident_recorded_too_late_to_alert_is_left_out_of_response_times(
    client_for, bob, org_a
):
    """A shooting of last week, entered today for the record, alerted nobody: its
    "minutes after the alert" would count from an alert nobody got. Left out of the
    figures, and the page says so."""
    now = timezone.now()
    notified = now - datetime.timedelta(hours=2)
    IncidentResponseFactory(
        incident=IncidentFactory(reported_by_organization=org_a),
        notified_at=notified,
        acknowledged_at=notified + datetime.timedelta(minutes=6),
        on_scene_at=notified + datetime.timedelta(minutes=30),
        state="on_scene",
    )
    late = IncidentFactory(
        reported_by_organization=org_a, occurred_at=now - datetime.timedelta(days=6)
    )
    IncidentResponseFactory(
        incident=late,
        notified_at=notified,
        # Acknowledged days later, when someone opened it: not a response time.
        acknowledged_at=notified + datetime.timedelta(minutes=600),
        on_scene_at=notified + datetime.timedelta(minutes=900),
        state="on_scene",
    )

    page = client_for(bob).get(reverse("outreach:supervisor")).content.decode()

    row = page.split('<th scope="row">Englewood</th>')[1].split("</tr>")[0]
    assert row == "<td>1</td><td>1</td><td>6</td><td>1</td><td>30</td>"
    assert (
        "1 incident was recorded more than 72 hours after it happened: it alerted nobody, "
        "and is left out of these figures." in page
    )


def test_no_note_when_every_incident_alerted(client_for, bob, org_a):
    IncidentResponseFactory(incident=IncidentFactory(reported_by_organization=org_a))
    page = client_for(bob).get(reverse("outreach:supervisor")).content.decode()
    assert "left out of these figures" not in page
