import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import OrganizationFactory, member
from peacehub.audit.models import AuditEvent
from peacehub.notifications.models import Notification
from peacehub.outreach.duty import shift_covers
from peacehub.outreach.models import (
    DutyShift,
    Incident,
    IncidentPerson,
    IncidentResponse,
    ResponseAction,
    ResponseState,
)
from peacehub.outreach.services import incident_report
from peacehub.outreach.tests.factories import IncidentFactory, always_on_duty, area

pytestmark = pytest.mark.django_db


@pytest.fixture
def englewood_partners(org_a, org_b):
    """Both organizations serve Englewood (68); org C serves only Austin (25)."""
    org_a.community_areas.add(area(68))
    org_b.community_areas.add(area(68))
    org_c = OrganizationFactory(name="Far West Outreach")
    org_c.community_areas.add(area(25))
    return org_c


def _report(client, follow=False, **changes):
    data = {
        "kind": "nonfatal_shooting",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "community_area": area(68).pk,
        "block": "6300 block of S Halsted",
        "source": "hospital",
        "summary": "One man hit, taken to the trauma center",
        **changes,
    }
    return client.post(reverse("outreach:incident_new"), data, follow=follow)


def test_an_incident_alerts_on_duty_responders_of_serving_organizations(
    client_for,
    alice,
    bob,
    charlie,
    org_a,
    org_b,
    englewood_partners,
    smtp_inbox,
    django_capture_on_commit_callbacks,
):
    always_on_duty(alice, org_a)
    always_on_duty(charlie, org_b)
    off_duty = member(org_b, Role.OUTREACH_WORKER, "offduty@example.org")
    case_manager = member(org_b, Role.CASE_MANAGER, "cm@example.org")
    always_on_duty(case_manager, org_b)
    far = member(englewood_partners, Role.OUTREACH_WORKER, "far@example.org")
    always_on_duty(far, englewood_partners)
    charlie.preferred_language = "es"
    charlie.save(update_fields=["preferred_language"])

    with django_capture_on_commit_callbacks(execute=True):
        response = _report(client_for(bob))

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert set(incident.responses.values_list("organization__name", flat=True)) == {
        "Southside Bridges",
        "West Side Peacekeepers",
    }
    recipients = set(Notification.objects.values_list("recipient__email", flat=True))
    assert recipients == {"alice@example.org", "charlie@example.org"}
    assert off_duty.notifications.count() == 0
    when = timezone.localtime(incident.occurred_at).strftime("%H:%M")
    english = Notification.objects.get(recipient=alice).message
    assert english == f"Non-fatal shooting in Englewood at {when} — open PeaceHub"

    mails = {m["To"]: m for m in smtp_inbox.messages}
    assert set(mails) == {"alice@example.org", "charlie@example.org"}
    body = mails["alice@example.org"].get_payload(decode=True).decode()
    assert english in body
    assert f"/outreach/incidents/{incident.pk}/" in body
    spanish = Notification.objects.get(recipient=charlie).message
    assert spanish == f"Tiroteo no mortal en Englewood a las {when}: abra PeaceHub"
    assert spanish in mails["charlie@example.org"].get_payload(decode=True).decode()
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_the_alert_names_nobody(
    client_for, alice, bob, org_a, person_a, smtp_inbox, django_capture_on_commit_callbacks
):
    org_a.community_areas.add(area(68))
    always_on_duty(alice, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        _report(client_for(bob), summary="")
    incident = Incident.objects.get()
    client_for(alice).post(
        reverse("outreach:incident_link_person", args=[incident.pk]),
        {"person": person_a.pk, "relation": "victim"},
    )
    [mail] = smtp_inbox.messages
    text = mail.as_string()
    assert "Jamal" not in text and "Washington" not in text
    assert "Jamal" not in Notification.objects.get().message
    assert "Jamal" not in str(Notification.objects.get().texts)  # in no language


def test_the_reporter_learns_how_many_were_alerted(client_for, alice, bob, org_a):
    org_a.community_areas.add(area(68))
    nobody = _report(client_for(alice), summary="")
    assert nobody.status_code == 302
    page = client_for(alice).get(nobody["Location"]).content.decode()
    assert "nobody is on duty" in page
    always_on_duty(bob, org_a)
    response = client_for(alice).post(
        reverse("outreach:incident_new"),
        {
            "kind": "threat",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "community_area": area(68).pk,
            "source": "community",
        },
        follow=True,
    )
    assert "1 on-duty responder was alerted" in response.content.decode()


def test_an_alert_for_an_earlier_day_carries_the_date(client_for, alice, bob, org_a):
    org_a.community_areas.add(area(68))
    always_on_duty(alice, org_a)
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    _report(client_for(bob), occurred_at=yesterday.strftime("%Y-%m-%dT%H:%M"))
    message = Notification.objects.get().message
    assert f" on {yesterday:%m/%d/%Y} at {yesterday:%H:%M} " in message


def test_feed_shows_the_alert_and_the_badge_counts_it(client_for, alice, bob, org_a):
    org_a.community_areas.add(area(68))
    always_on_duty(alice, org_a)
    _report(client_for(bob))
    client = client_for(alice)
    feed = client.get(reverse("notifications:feed"), {"poll": "1"})
    badge = client.get(reverse("notifications:feed"), {"fragment": "badge", "poll": "1"})
    assert "Non-fatal shooting in Englewood" in feed.content.decode()
    assert '<span class="count">1</span>' in badge.content.decode()
    client.post(reverse("notifications:mark_read"))
    badge = client.get(reverse("notifications:feed"), {"fragment": "badge", "poll": "1"})
    assert 'class="count"' not in badge.content.decode()


def test_a_failing_mail_server_does_not_lose_the_alert(
    client_for, alice, bob, org_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    org_a.community_areas.add(area(68))
    always_on_duty(alice, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _report(client_for(bob))
    notification = Notification.objects.get()
    assert response.status_code == 302
    assert notification.emailed_at is None
    assert notification.email_error


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"community_area": ""}, "community_area", "This field is required"),
        ({"community_area": "9999"}, "community_area", "Choose a community area"),
        ({"occurred_at": "2999-01-01T22:40"}, "occurred_at", "cannot be in the future"),
        ({"block": "6347 S Halsted St"}, "block", "never a house number"),
        ({"block": "12 Elm Street"}, "block", "never a house number"),
        # Glued to letters, or a round number that is not said to be a block.
        ({"block": "S6329 Halsted"}, "block", "never a house number"),
        ({"block": "No6329 S Halsted"}, "block", "never a house number"),
        ({"block": "6300 S Halsted"}, "block", "never a house number"),
        ({"summary": "Shots fired in front of 4815 W Madison"}, "summary", "Keep the summary"),
        ({"summary": "Shots fired at S6329 Halsted"}, "summary", "Keep the summary"),
        ({"summary": "Man hit in front of 12 Elm Street"}, "summary", "never a house number"),
        ({"kind": ""}, "kind", "Choose what happened."),
        ({"source": ""}, "source", "Choose how we know."),
        ({"source": "police"}, "source", "Select a valid choice"),
        ({"kind": "drive_by"}, "kind", "Select a valid choice"),
        ({"summary": "s" * 301}, "summary", "at most 300"),
    ],
)
def test_bad_incidents_are_refused_and_nothing_saved(client_for, alice, changes, field, message):
    response = _report(client_for(alice), **changes)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Incident.objects.exists()
    assert not Notification.objects.exists()


def test_an_incident_in_1900_is_refused_and_alerts_no_one(client_for, alice, org_a):
    always_on_duty(alice, org_a)  # would be alerted by an incident in Englewood
    response = _report(client_for(alice), occurred_at="1900-06-01T22:40")
    assert response.status_code == 400
    assert response.context["form"].errors["occurred_at"] == [
        "This date is too far in the past: check the year."
    ]
    assert not Incident.objects.exists()
    assert not IncidentResponse.objects.exists()
    assert not Notification.objects.exists()
    # The service refuses it too, whoever calls it.
    request = RequestFactory().post("/")
    request.user = alice
    with pytest.raises(ValidationError, match="too far in the past"):
        incident_report(
            request=request,
            organization=org_a,
            data={
                "kind": "nonfatal_shooting",
                "occurred_at": timezone.make_aware(datetime.datetime(1900, 6, 1, 22, 40)),
                "community_area": area(68),
                "source": "hospital",
            },
        )
    assert not Incident.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "block",
    [
        "",
        "6300 block of S Halsted",
        "63rd & Halsted",
        "Hamilton Park",
        "6,300 block of S Halsted",
        "I-94 at 63rd St",
        "6300-6400 blocks of S Halsted",
        "Route 41 at 79th St",
        "103rd & Cottage Grove",
    ],
)
def test_block_level_places_are_accepted(client_for, alice, block):
    assert _report(client_for(alice), block=block).status_code == 302


def test_a_response_moves_step_by_step_with_times_and_minutes(client_for, alice, org_a):
    client = client_for(alice)
    _report(client)
    incident = Incident.objects.get()
    response = incident.responses.get(organization=org_a)
    IncidentResponse.objects.filter(pk=response.pk).update(
        notified_at=timezone.now() - datetime.timedelta(minutes=12)
    )
    step = reverse("outreach:response_step", args=[response.pk])

    client.post(step, {"state": "acknowledged"})
    client.post(step, {"state": "on_scene"})
    response.refresh_from_db()

    assert response.state == "on_scene"
    assert response.acknowledged_by == alice
    assert response.minutes_to_acknowledge == 12
    assert response.minutes_to_scene == 12
    page = client.get(reverse("outreach:incident", args=[incident.pk])).content.decode()
    assert "12 minutes after the alert" in page


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [("on_scene", None, "notified"), ("acknowledged", "follow_up_done", "acknowledged")],
)
def test_a_step_out_of_order_is_refused(client_for, alice, org_a, first, second, expected):
    client = client_for(alice)
    _report(client)
    response = Incident.objects.get().responses.get(organization=org_a)
    step = reverse("outreach:response_step", args=[response.pk])
    client.post(step, {"state": first})
    page = client.post(step, {"state": second or first}, follow=True)
    response.refresh_from_db()
    assert response.state == expected
    assert "the next step is" in page.content.decode()


def test_a_step_tapped_twice_keeps_the_first_time_and_worker(client, alice, org_a):
    """A double tap on a slow phone, or a colleague acknowledging a moment later: no
    error, and the response keeps who acknowledged first and when."""
    colleague = member(org_a, Role.OUTREACH_WORKER, "dee@example.org", full_name="Dee Colleague")
    client.force_login(alice)
    _report(client)
    response = Incident.objects.get().responses.get(organization=org_a)
    step = reverse("outreach:response_step", args=[response.pk])
    client.post(step, {"state": "acknowledged"})
    response.refresh_from_db()
    first_at = response.acknowledged_at

    client.force_login(colleague)
    page = client.post(step, {"state": "acknowledged"}, follow=True)

    response.refresh_from_db()
    assert (response.state, response.acknowledged_by, response.acknowledged_at) == (
        "acknowledged",
        alice,
        first_at,
    )
    content = page.content.decode()
    assert "“Acknowledged” was already recorded." in content
    assert "the next step is" not in content


def test_actions_are_logged_with_notes_for_the_own_organization(
    client_for, alice, charlie, org_a, org_b
):
    org_b.community_areas.add(area(68))
    client = client_for(alice)
    _report(client)
    incident = Incident.objects.get()
    ours = incident.responses.get(organization=org_a)
    for kind, note in [
        ("rumor_control", "Calmed the group at the corner"),
        ("victim_family_support", ""),
    ]:
        client.post(
            reverse("outreach:response_action", args=[ours.pk]), {"kind": kind, "note": note}
        )
    assert list(ResponseAction.objects.values_list("kind", flat=True)) == [
        "rumor_control",
        "victim_family_support",
    ]

    theirs = client_for(charlie).get(reverse("outreach:incident", args=[incident.pk]))
    assert theirs.status_code == 200
    assert "Calmed the group" not in theirs.content.decode()
    assert "Southside Bridges" in theirs.content.decode()  # they see we respond


def test_another_organization_cannot_act_on_our_response(client_for, alice, charlie, org_a, org_b):
    org_b.community_areas.add(area(68))
    _report(client_for(alice))
    ours = Incident.objects.get().responses.get(organization=org_a)
    client = client_for(charlie)
    assert (
        client.post(
            reverse("outreach:response_step", args=[ours.pk]), {"state": "acknowledged"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("outreach:response_action", args=[ours.pk]), {"kind": "other"}
        ).status_code
        == 404
    )
    ours.refresh_from_db()
    assert ours.state == "notified"


def test_linked_people_stay_inside_their_organization(
    client_for, alice, charlie, org_a, org_b, person_a
):
    org_b.community_areas.add(area(68))
    _report(client_for(alice))
    incident = Incident.objects.get()
    client_for(alice).post(
        reverse("outreach:incident_link_person", args=[incident.pk]),
        {"person": person_a.pk, "relation": "victim_family"},
    )
    assert IncidentPerson.objects.get().organization == org_a
    ours = client_for(alice).get(reverse("outreach:incident", args=[incident.pk])).content.decode()
    theirs = (
        client_for(charlie).get(reverse("outreach:incident", args=[incident.pk])).content.decode()
    )
    assert "Jamal Washington" in ours
    assert "Jamal" not in theirs and "Washington" not in theirs


def test_another_organizations_person_cannot_be_linked(client_for, alice, org_a, person_b):
    _report(client_for(alice))
    incident = Incident.objects.get()
    response = client_for(alice).post(
        reverse("outreach:incident_link_person", args=[incident.pk]),
        {"person": person_b.pk, "relation": "victim"},
    )
    assert response.status_code == 400
    assert not IncidentPerson.objects.exists()
    assert b"Luis" not in response.content


def test_an_organization_not_serving_the_area_does_not_see_the_incident(
    client_for, alice, englewood_partners
):
    stranger = member(englewood_partners, Role.OUTREACH_WORKER)
    _report(client_for(alice))
    incident = Incident.objects.get()
    client = client_for(stranger)
    assert client.get(reverse("outreach:incident", args=[incident.pk])).status_code == 404
    assert incident.pk not in [
        i.pk for i in client.get(reverse("outreach:incidents")).context["page"]
    ]


def test_convener_staff_see_incidents_but_no_people(client_for, alice, dana, person_a):
    _report(client_for(alice))
    incident = Incident.objects.get()
    client_for(alice).post(
        reverse("outreach:incident_link_person", args=[incident.pk]),
        {"person": person_a.pk, "relation": "victim"},
    )
    page = client_for(dana).get(reverse("outreach:incident", args=[incident.pk]))
    assert page.status_code == 200
    assert "Jamal" not in page.content.decode()


def test_only_the_reporting_organization_closes_an_incident(client_for, alice, charlie, org_b):
    org_b.community_areas.add(area(68))
    _report(client_for(alice))
    incident = Incident.objects.get()
    assert (
        client_for(charlie).post(reverse("outreach:incident_close", args=[incident.pk])).status_code
        == 403
    )
    client_for(alice).post(reverse("outreach:incident_close", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.closed_at is not None


@pytest.mark.parametrize(
    ("our_state", "still_listed"),
    [
        (ResponseState.NOTIFIED, False),
        (ResponseState.ACKNOWLEDGED, True),
        (ResponseState.ON_SCENE, True),
        (ResponseState.FOLLOW_UP_DONE, False),
    ],
)
def test_closing_by_the_reporter_does_not_hide_a_response_under_way(
    client_for, alice, charlie, org_a, org_b, our_state, still_listed
):
    """West Side reported and closed a shooting in Englewood; Lantern, which serves
    Englewood too, is still on scene: its worker keeps the incident on her home page,
    marked closed, until her organization's follow-up is done."""
    org_a.community_areas.add(area(68))
    org_b.community_areas.add(area(68))
    _report(client_for(charlie))
    incident = Incident.objects.get()
    IncidentResponse.objects.filter(incident=incident, organization=org_a).update(state=our_state)
    client_for(charlie).post(reverse("outreach:incident_close", args=[incident.pk]))

    home = client_for(alice).get(reverse("outreach:home"))

    listed = [i.pk for i in home.context["incidents"]]
    assert (incident.pk in listed) is still_listed
    if still_listed:
        assert "Closed" in home.content.decode()


@pytest.mark.parametrize(
    "summary",
    [
        "Two men hit near 63rd & Halsted at 22:40, 9mm casings",
        "2 victims taken to the trauma center, about three hundred people at the scene",
        "Shots on the 6,300 block, 3 shot outside St Sabina",
        # A block of a hundred, a range of blocks.
        "Shots fired on the 6300 block of S Halsted",
        "Group fight across the 6300-6400 blocks",
        # Times, with or without the colon.
        "Shots heard at 22:40",
        "Shots heard at 2240 hrs, again at 0015 hrs",
        "Shots heard around 1030 pm",
        # Numbered streets and highways.
        "Car chase from 103rd to 111th",
        "Shots on I-94 near the 63rd St exit",
        "Crash on Route 41, one hurt",
        "Shots on I-290 at Austin",
        # Short numbers: counts, a number in a list, a calibre.
        "Victim #2 is the brother of victim #1",
        "Shots fired x2, 9mm casings, 2 men hit",
    ],
)
def test_a_summary_with_counts_times_and_corners_is_kept(client_for, alice, summary):
    assert _report(client_for(alice), summary=summary).status_code == 302
    assert Incident.objects.get().summary == summary


@pytest.mark.parametrize(
    "summary",
    [
        # Three digits or more that are not a block, a time, a street or a highway: they
        # may be a house number, whatever follows them.
        "Shots fired in front of 4815 W Madison",
        "Shots fired near 4815 Madison",
        "Shots fired at 4815, the grey house",
        "Man hit outside #4815",
        "Man hit at S6329 Halsted",
        "about 300 people at the scene",
        "Shots on the 6347 block",
        "Shots fired on 6300 S Halsted",
        # Not a time: no such minute, no such hour.
        "Shots heard at 2275 hrs",
        "Shots heard at 2540 hrs",
        # Short, but written as an address is.
        "Man hit in front of 12 Elm Street",
        "Man hit in front of 12 W Madison",
    ],
)
def test_a_summary_with_a_number_that_may_be_a_house_is_refused(client_for, alice, summary):
    response = _report(client_for(alice), summary=summary)
    assert response.status_code == 400
    [error] = response.context["form"].errors["summary"]
    assert "never a house number" in error
    assert "a time (“22:40”), a street (“63rd”) or a highway (“I-94”)" in error
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    "field, text, message",
    [
        ("summary", "Shots fired in front of 4815 W Madison", "Keep the summary to the block"),
        ("block", "No6329 S Halsted", "never a house number"),
    ],
)
def test_the_service_refuses_a_house_number_whoever_calls_it(
    alice, bob, org_a, field, text, message
):
    always_on_duty(bob, org_a)
    request = RequestFactory().post("/")
    request.user = alice
    with pytest.raises(ValidationError) as refused:
        incident_report(
            request=request,
            organization=org_a,
            data={
                "kind": "nonfatal_shooting",
                "occurred_at": timezone.now(),
                "community_area": area(68),
                "source": "hospital",
                field: text,
            },
        )
    assert message in refused.value.message_dict[field][0]
    assert not Incident.objects.exists()
    assert not Notification.objects.exists()


def test_the_reporter_is_neither_alerted_nor_counted(client_for, alice, bob, org_a):
    """Alice, on duty, reports a shooting she saw: she knows. Alone on duty, she is told
    that nobody was alerted; with Bob on duty too, that one responder was: Bob."""
    org_a.community_areas.add(area(68))
    always_on_duty(alice, org_a)
    alone = _report(client_for(alice), summary="", follow=True).content.decode()
    assert not Notification.objects.exists()
    assert "nobody is on duty" in alone
    assert "was alerted" not in alone

    always_on_duty(bob, org_a)
    page = _report(client_for(alice), summary="", follow=True).content.decode()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [bob.pk]
    assert "1 on-duty responder was alerted" in page
    assert "nobody is on duty" not in page


def test_what_happened_and_how_we_know_start_empty(client_for, alice):
    """One tap on "Save and alert" must not report a fatal shooting to everyone on
    shift: nothing is chosen in advance, and nothing is saved until both are chosen."""
    client = client_for(alice)
    form = client.get(reverse("outreach:incident_new")).context["form"]
    html = str(form["kind"]) + str(form["source"])
    assert html.count("selected") == 2
    assert html.count('<option value="" selected>') == 2

    response = _report(client, kind="", source="")

    assert response.status_code == 400
    assert response.context["form"].errors["kind"] == ["Choose what happened."]
    assert response.context["form"].errors["source"] == ["Choose how we know."]
    assert not Incident.objects.exists()


@pytest.mark.parametrize(("hours_ago", "alerted"), [(71, True), (73, False)])
def test_only_an_incident_of_the_last_72_hours_alerts(
    client_for, alice, bob, org_a, hours_ago, alerted
):
    """An old shooting, entered for the record, is kept with its responses; it wakes
    nobody up, and the reporter is told why."""
    org_a.community_areas.add(area(68))
    always_on_duty(bob, org_a)
    then = timezone.localtime() - datetime.timedelta(hours=hours_ago)

    page = _report(
        client_for(alice), occurred_at=then.strftime("%Y-%m-%dT%H:%M"), follow=True
    ).content.decode()

    incident = Incident.objects.get()
    assert incident.responses.filter(organization=org_a).exists()
    assert Notification.objects.filter(recipient=bob).exists() is alerted
    told = "Incident recorded without alerts: it happened more than 72 hours ago."
    assert (told in page) is not alerted
    assert ("1 on-duty responder was alerted" in page) is alerted
    assert "nobody is on duty" not in page

    # The incident's page says it for as long as the incident is read, to everyone.
    later = client_for(bob).get(reverse("outreach:incident", args=[incident.pk])).content.decode()
    nobody = "Nobody was alerted: this incident was recorded more than 72 hours after it happened."
    assert (nobody in later) is not alerted


def test_the_incident_filters_combine_and_only_open_toggles(client_for, alice, org_a):
    org_a.community_areas.add(area(68))
    open_threat = IncidentFactory(
        kind="threat", reported_by_organization=org_a, community_area=area(68)
    )
    IncidentFactory(
        kind="threat",
        reported_by_organization=org_a,
        community_area=area(68),
        closed_at=timezone.now(),
    )
    IncidentFactory(kind="nonfatal_shooting", reported_by_organization=org_a)
    client = client_for(alice)
    url = reverse("outreach:incidents")

    both = client.get(url, {"open": "1", "kind": "threat"})

    assert [i.pk for i in both.context["page"]] == [open_threat.pk]
    html = both.content.decode()
    # "Only open" shows that it is on, and turning it off keeps the kind...
    assert re.search(
        r'<input type="hidden" name="kind" value="threat">\s*<button type="submit" '
        r'name="open" value="0"[^>]*aria-pressed="true"',
        html,
    )
    # ... and filtering by kind keeps "Only open".
    assert '<input type="hidden" name="open" value="1">' in html

    threats = client.get(url, {"open": "0", "kind": "threat"})
    assert len(threats.context["page"]) == 2
    html = threats.content.decode()
    assert re.search(r'name="open" value="1"[^>]*aria-pressed="false"', html)
    assert '<input type="hidden" name="open"' not in html


def _linked(client, incident, person, relation="victim"):
    client.post(
        reverse("outreach:incident_link_person", args=[incident.pk]),
        {"person": person.pk, "relation": relation},
    )
    return IncidentPerson.objects.get(incident=incident, person=person)


def test_a_link_made_by_mistake_is_removed_and_audited(
    client_for, alice, bob, carmen, charlie, org_a, org_b, person_a
):
    org_b.community_areas.add(area(68))
    _report(client_for(alice))
    incident = Incident.objects.get()
    link = _linked(client_for(alice), incident, person_a)
    remove = reverse("outreach:incident_unlink_person", args=[incident.pk, link.pk])
    page = client_for(alice).get(reverse("outreach:incident", args=[incident.pk]))
    assert remove in page.content.decode()
    assert 'data-confirm="Remove the link of Jamal Washington to this incident?"' in (
        page.content.decode()
    )
    # Another organization never learns of the link; a case manager sees it, may not.
    assert client_for(charlie).post(remove).status_code == 404
    assert client_for(carmen).post(remove).status_code == 403
    assert remove not in client_for(carmen).get(page.request["PATH_INFO"]).content.decode()
    assert IncidentPerson.objects.filter(pk=link.pk).exists()

    response = client_for(bob).post(remove, follow=True)

    assert not IncidentPerson.objects.filter(pk=link.pk).exists()
    assert "The participant is no longer linked to the incident." in response.content.decode()
    event = AuditEvent.objects.filter(record_id=str(person_a.pk), action="update").latest("pk")
    assert event.detail["unlinked"] is True and event.detail["incident"] == str(incident.pk)
    assert event.detail["relation"] == "victim"
    assert client_for(bob).post(remove).status_code == 404  # gone


def test_an_incident_closed_by_mistake_is_reopened_by_the_reporting_organization(
    client_for, alice, charlie, org_b
):
    org_b.community_areas.add(area(68))
    _report(client_for(alice))
    incident = Incident.objects.get()
    reopen = reverse("outreach:incident_reopen", args=[incident.pk])
    client_for(alice).post(reverse("outreach:incident_close", args=[incident.pk]))
    page = client_for(alice).get(reverse("outreach:incident", args=[incident.pk]))
    assert reopen in page.content.decode()
    assert reopen not in (
        client_for(charlie).get(reverse("outreach:incident", args=[incident.pk])).content.decode()
    )
    assert client_for(charlie).post(reopen).status_code == 403
    incident.refresh_from_db()
    assert incident.closed_at is not None

    response = client_for(alice).post(reopen, follow=True)

    incident.refresh_from_db()
    assert incident.closed_at is None
    assert "Incident reopened." in response.content.decode()
    assert "Close incident" in response.content.decode()
    assert AuditEvent.objects.filter(
        record_id=str(incident.pk), action="update", detail__reopened=True
    ).exists()
    assert not Notification.objects.exists()  # reopening alerts no one


@pytest.mark.parametrize(
    "weekday, start, end, moment, expected",
    [
        (4, "20:00", "04:00", "2026-11-27 23:30", True),  # Friday night
        (4, "20:00", "04:00", "2026-11-28 03:59", True),  # into Saturday morning
        (4, "20:00", "04:00", "2026-11-28 04:00", False),
        (4, "20:00", "04:00", "2026-11-27 19:59", False),
        (0, "09:00", "17:00", "2026-11-30 12:00", True),  # Monday
        (0, "09:00", "17:00", "2026-12-01 12:00", False),  # Tuesday
        (6, "22:00", "02:00", "2026-11-30 01:00", True),  # Sunday night into Monday
    ],
)
def test_duty_shifts_cover_their_hours_and_run_past_midnight(weekday, start, end, moment, expected):
    shift = DutyShift(
        weekday=weekday,
        starts_at=datetime.time.fromisoformat(start),
        ends_at=datetime.time.fromisoformat(end),
    )
    assert shift_covers(shift, datetime.datetime.fromisoformat(moment)) is expected


def test_supervisor_sets_shifts_of_own_workers_only(client_for, bob, alice, charlie, org_a):
    client = client_for(bob)
    response = client.post(
        reverse("outreach:duty"),
        {
            "membership": alice.memberships.get().pk,
            "weekday": 4,
            "starts_at": "20:00",
            "ends_at": "04:00",
        },
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("outreach:duty"),
        {
            "membership": charlie.memberships.get().pk,
            "weekday": 4,
            "starts_at": "20:00",
            "ends_at": "04:00",
        },
    )
    assert refused.status_code == 400
    assert DutyShift.objects.count() == 1
    assert (
        client_for(alice)
        .post(
            reverse("outreach:duty"),
            {
                "membership": alice.memberships.get().pk,
                "weekday": 1,
                "starts_at": "20:00",
                "ends_at": "04:00",
            },
        )
        .status_code
        == 403
    )


def _add_shift(client, user, weekday, starts_at, ends_at):
    return client.post(
        reverse("outreach:duty"),
        {
            "membership": user.memberships.get().pk,
            "weekday": weekday,
            "starts_at": starts_at,
            "ends_at": ends_at,
        },
    )


@pytest.mark.parametrize(
    "weekday, starts_at, ends_at, refused",
    [
        (2, "17:00", "01:00", True),  # the same shift again: a second tap on Add shift
        (2, "18:00", "20:00", True),  # inside it
        (2, "16:00", "17:30", True),  # across its start
        (3, "00:30", "02:00", True),  # after midnight, while it runs into Thursday
        (3, "01:00", "03:00", False),  # from when it ends
        (2, "15:00", "17:00", False),  # until it starts
        (1, "23:00", "18:00", True),  # from Tuesday night into Wednesday's shift
        (1, "23:00", "17:00", False),  # from Tuesday night until it starts
        (3, "17:00", "01:00", False),  # the next day
    ],
)
def test_a_shift_overlapping_one_the_worker_has_is_refused(
    client_for, bob, alice, weekday, starts_at, ends_at, refused
):
    client = client_for(bob)
    assert _add_shift(client, alice, 2, "17:00", "01:00").status_code == 302  # Wednesday

    response = _add_shift(client, alice, weekday, starts_at, ends_at)

    shifts = DutyShift.objects.filter(membership__user=alice)
    if refused:
        assert response.status_code == 400
        assert (
            "Alice Outreach already has a shift that overlaps this one: Wednesday 17:00–01:00."
            in response.content.decode()
        )
        assert shifts.count() == 1
    else:
        assert response.status_code == 302
        assert shifts.count() == 2


def test_shifts_overlap_across_the_end_of_the_week(client_for, bob, alice):
    client = client_for(bob)
    assert _add_shift(client, alice, 6, "22:00", "02:00").status_code == 302  # Sunday night
    response = _add_shift(client, alice, 0, "01:00", "09:00")  # Monday morning
    assert response.status_code == 400
    assert "Sunday 22:00–02:00" in response.content.decode()
    assert _add_shift(client, alice, 0, "02:00", "09:00").status_code == 302


def test_two_workers_may_have_the_same_shift(client_for, bob, alice, org_a):
    carl = member(org_a, Role.OUTREACH_WORKER, "carl@example.org", full_name="Carl Later")
    client = client_for(bob)
    assert _add_shift(client, alice, 4, "20:00", "04:00").status_code == 302
    assert _add_shift(client, carl, 4, "20:00", "04:00").status_code == 302
    assert DutyShift.objects.count() == 2


def test_the_day_of_a_shift_is_chosen_not_preset(client_for, bob, alice):
    client = client_for(bob)
    page = client.get(reverse("outreach:duty")).content.decode()
    assert "---------" not in page
    day = page.split('id="id_weekday"')[1].split("</select>")[0]
    assert re.match(r'[^>]*>\s*<option value="" selected>Choose…</option>', day)
    response = _add_shift(client, alice, "", "20:00", "04:00")
    assert response.status_code == 400
    assert not DutyShift.objects.exists()


def test_the_worker_of_a_shift_is_chosen_not_preset(client_for, bob, alice, org_a):
    """The list of workers starts on "Choose…", not on whoever comes first: a shift
    added without looking would go to the wrong worker. Opened for one worker
    (?worker=), it starts on them."""
    member(org_a, Role.OUTREACH_WORKER, "aaliyah@example.org", full_name="Aaliyah Aa")
    client = client_for(bob)
    page = client.get(reverse("outreach:duty")).content.decode()
    worker = page.split('id="id_membership"')[1].split("</select>")[0]
    assert re.match(r'[^>]*>\s*<option value="" selected>Choose…</option>', worker)
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', worker) == [""]

    mine = str(alice.memberships.get().pk)
    page = client.get(reverse("outreach:duty"), {"worker": mine}).content.decode()
    worker = page.split('id="id_membership"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', worker) == [mine]

    response = client.post(
        reverse("outreach:duty"), {"weekday": 4, "starts_at": "20:00", "ends_at": "04:00"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["membership"] == ["This field is required."]
    assert 'id="id_membership_error"' in response.content.decode()
    assert not DutyShift.objects.exists()


def _shift_not_now(user):
    """A shift three days from now: never covering this moment."""
    later = timezone.localtime() + datetime.timedelta(days=3)
    return DutyShift.objects.create(
        membership=user.memberships.get(),
        weekday=later.weekday(),
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(11, 0),
    )


def test_the_duty_page_says_who_an_alert_would_reach_now(client_for, bob, alice, org_a):
    always_on_duty(alice, org_a)
    carl = member(org_a, Role.OUTREACH_WORKER, "carl@example.org", full_name="Carl Later")
    _shift_not_now(carl)
    page = client_for(bob).get(reverse("outreach:duty"))
    on_duty = [m.user for m in page.context["on_duty"]]
    assert on_duty == [alice]
    content = page.content.decode()
    assert "On duty now" in content and "would alert no one" not in content
    # Every responder's week in one line, and a way to change it; no remove buttons yet.
    assert "Change the shifts of Carl Later" in content
    assert (
        reverse("outreach:duty_remove", args=[carl.memberships.get().duty_shifts.get().pk])
        not in content
    )


def test_nobody_on_duty_is_a_warning(client_for, bob, alice):
    _shift_not_now(alice)
    content = client_for(bob).get(reverse("outreach:duty")).content.decode()
    assert "Nobody is on duty now: an incident reported now would alert no one." in content


def test_a_supervisor_changes_one_workers_shifts(client_for, bob, alice, org_a):
    shift = _shift_not_now(alice)
    carl = member(org_a, Role.OUTREACH_WORKER, "carl@example.org", full_name="Carl Later")
    other = _shift_not_now(carl)
    client = client_for(bob)
    membership = alice.memberships.get()
    content = client.get(reverse("outreach:duty"), {"worker": membership.pk}).content.decode()
    assert "Shifts of Alice Outreach" in content
    assert reverse("outreach:duty_remove", args=[shift.pk]) in content
    assert reverse("outreach:duty_remove", args=[other.pk]) not in content

    response = client.post(reverse("outreach:duty_remove", args=[shift.pk]), {"confirm": "1"})
    assert response["Location"] == f"{reverse('outreach:duty')}?worker={membership.pk}#shifts"
    assert not DutyShift.objects.filter(pk=shift.pk).exists()


def test_removing_a_shift_asks_first(client_for, bob, alice):
    """A shift removed by a slip means nobody is woken up in its hours: "Remove" opens a
    question, and only its answer removes the shift. No JavaScript needed."""
    shift = _shift_not_now(alice)
    client = client_for(bob)
    remove = reverse("outreach:duty_remove", args=[shift.pk])
    duty = client.get(reverse("outreach:duty"), {"worker": alice.memberships.get().pk})
    assert f'<a class="danger-text" href="{remove}">Remove {shift}</a>' in duty.content.decode()

    question = client.get(remove)

    assert question.status_code == 200
    page = question.content.decode()
    assert f"Remove the shift {shift} of Alice Outreach?" in page
    assert re.search(r'<form[^>]*method="post"', page)
    assert '<input type="hidden" name="confirm" value="1">' in page
    assert DutyShift.objects.filter(pk=shift.pk).exists()
    # A POST that did not come from the question (a stale form, a replayed request)
    # asks again and removes nothing.
    again = client.post(remove)
    assert again.status_code == 200
    assert f"Remove the shift {shift} of Alice Outreach?" in again.content.decode()
    assert DutyShift.objects.filter(pk=shift.pk).exists()

    removed = client.post(remove, {"confirm": "1"}, follow=True)
    assert "Shift removed." in removed.content.decode()
    assert not DutyShift.objects.filter(pk=shift.pk).exists()


def test_a_worker_sees_their_own_week_and_changes_nothing(client_for, alice, bob):
    shift = _shift_not_now(alice)
    _shift_not_now(bob)
    content = client_for(alice).get(reverse("outreach:duty")).content.decode()
    assert str(shift) in content
    assert "Bob" not in content and "Change the shifts" not in content
    remove = reverse("outreach:duty_remove", args=[shift.pk])
    assert client_for(alice).get(remove).status_code == 403
    assert client_for(alice).post(remove, {"confirm": "1"}).status_code == 403
    assert DutyShift.objects.filter(pk=shift.pk).exists()


def test_another_organizations_shift_cannot_be_removed(client_for, charlie, alice):
    shift = _shift_not_now(alice)
    remove = reverse("outreach:duty_remove", args=[shift.pk])
    assert client_for(charlie).get(remove).status_code == 404
    response = client_for(charlie).post(remove, {"confirm": "1"})
    assert response.status_code == 404
    assert DutyShift.objects.filter(pk=shift.pk).exists()


def test_a_refused_shift_comes_back_for_the_worker_it_was_for(client_for, bob, alice, org_a):
    """The list of workers starts with someone else: after the refusal, fixing the times
    and saving must still give the shift to Alice."""
    aaliyah = member(org_a, Role.OUTREACH_WORKER, "aaliyah@example.org", full_name="Aaliyah Aa")
    client = client_for(bob)
    assert _add_shift(client, alice, 2, "17:00", "01:00").status_code == 302

    refused = _add_shift(client, alice, 2, "18:00", "20:00")

    assert refused.status_code == 400
    chosen = re.search(r'<option value="([^"]+)" selected>', refused.content.decode())
    assert chosen and chosen.group(1) == str(alice.memberships.get().pk)
    assert not DutyShift.objects.filter(membership__user=aaliyah).exists()


def _select(page: str, name: str) -> str:
    return re.search(rf'<select name="{name}"[^>]*>.*?</select>', page, re.S).group()


def test_relation_and_action_start_on_choose_and_are_required(client_for, alice, org_a, person_a):
    """On a phone at night, a select that starts on "Victim" or "De-escalation" is
    submitted as it is: each starts on "Choose…", and a form sent without a choice is
    refused on that field, nothing saved."""
    org_a.community_areas.add(area(68))
    incident = IncidentFactory(reported_by_organization=org_a, community_area=area(68))
    response = IncidentResponse.objects.create(incident=incident, organization=org_a)
    client = client_for(alice)
    page = client.get(reverse("outreach:incident", args=[incident.pk])).content.decode()
    for name in ("relation", "kind"):
        select = _select(page, name)
        assert re.findall(r'<option value="([^"]*)"[^>]*selected', select) == [""]
        assert '<option value="" selected>Choose…</option>' in select

    linked = client.post(
        reverse("outreach:incident_link_person", args=[incident.pk]), {"person": person_a.pk}
    )
    acted = client.post(reverse("outreach:response_action", args=[response.pk]), {"note": "x"})

    assert linked.status_code == acted.status_code == 400
    assert linked.context["link_form"].errors["relation"] == ["This field is required."]
    assert acted.context["action_form"].errors["kind"] == ["This field is required."]
    assert 'id="id_relation_error"' in linked.content.decode()
    assert not IncidentPerson.objects.exists()
    assert not ResponseAction.objects.exists()
