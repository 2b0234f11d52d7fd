import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peacehub.notifications.models import Notification
from peacehub.people.models import ConsentKind, ShareScope
from peacehub.people.tests.factories import ConsentFactory
from peacehub.referrals.access import Side
from peacehub.referrals.models import Referral, ReferralEvent
from peacehub.referrals.services import referral_step
from peacehub.referrals.tests.factories import ReferralFactory, coalition_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(legal_aid):
    return coalition_service(legal_aid)


@pytest.fixture
def consent(person_a, legal_aid):
    person_a.phone = "(773) 555-0142"
    person_a.save(update_fields=["phone"])
    return ConsentFactory(
        person=person_a, kind=ConsentKind.SHARE, recipient=legal_aid, scope=[ShareScope.PHONE]
    )


def _send(client, person, service, consent, reason="Eviction hearing on the 12th"):
    return client.post(
        reverse("referrals:new", args=[person.pk]),
        {"service": service.pk, "consent": consent.pk, "reason": reason},
    )


def _step(client, referral, status, **data):
    return client.post(reverse("referrals:step", args=[referral.pk]), {"status": status, **data})


def _days_pass(referral, days):
    """As if ``days`` had passed: every moment of the referral that many days earlier."""
    earlier = datetime.timedelta(days=days)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=F("created_at") - earlier,
        updated_at=F("updated_at") - earlier,
        first_appointment_at=F("first_appointment_at") - earlier,
    )
    ReferralEvent.objects.filter(referral=referral).update(at=F("at") - earlier)


def test_the_loop_closes_and_the_sender_sees_every_step(carmen, lena, person_a, service, consent):
    sender, receiver = Client(), Client()
    sender.force_login(carmen)
    receiver.force_login(lena)

    assert _send(sender, person_a, service, consent).status_code == 302
    referral = Referral.objects.get()
    assert lena.notifications.count() == 1
    assert "Jamal" not in lena.notifications.get().message

    packet = receiver.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Jamal Washington" in packet
    assert "(773) 555-0142" in packet
    assert "Eviction hearing on the 12th" in packet

    _step(receiver, referral, "received")
    _step(receiver, referral, "accepted")
    _step(
        receiver,
        referral,
        "first_appointment",
        first_appointment_at=(timezone.localtime() + datetime.timedelta(days=2)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
    )
    _days_pass(referral, 3)  # the person went to the appointment
    _step(receiver, referral, "in_service")
    _step(receiver, referral, "completed")

    referral.refresh_from_db()
    assert referral.status == "completed"
    timeline = sender.get(reverse("referrals:detail", args=[referral.pk]))
    assert [e.status for e in timeline.context["events"]] == [
        "sent",
        "received",
        "accepted",
        "first_appointment",
        "in_service",
        "completed",
    ]
    assert carmen.notifications.filter(message__contains="Completed").exists()


def test_the_receiver_never_sees_the_case_notes_or_assessment(
    client_for, carmen, lena, person_a, service, consent
):
    from peacehub.cases.models import CaseNote
    from peacehub.cases.tests.factories import CaseFactory

    case = CaseFactory(person=person_a, case_manager=carmen)
    CaseNote.objects.create(
        person=person_a, organization=person_a.organization, note_type="general", text="SECRETNOTE"
    )
    referral = ReferralFactory(person=person_a, service=service, consent=consent, case=case)
    receiver = client_for(lena)
    page = receiver.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "SECRETNOTE" not in page
    assert str(case.pk) not in page
    assert receiver.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert receiver.get(reverse("cases:notes", args=[person_a.pk])).status_code == 404


def test_without_the_phone_in_the_consent_the_packet_says_how_to_reach_through_the_sender(
    client_for, carmen, lena, person_a, service, legal_aid
):
    person_a.phone = "(773) 555-0142"
    person_a.save(update_fields=["phone"])
    consent = ConsentFactory(person=person_a, kind=ConsentKind.SHARE, recipient=legal_aid, scope=[])
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    page = client_for(lena).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "555-0142" not in page
    assert "Through Carmen Casemanager" in page


def test_revoking_the_consent_closes_the_receivers_access_at_once(
    carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    receiver = Client()
    receiver.force_login(lena)
    assert receiver.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200

    sender = Client()
    sender.force_login(carmen)
    sender.post(reverse("people:consent_revoke", args=[person_a.pk, consent.pk]))

    assert receiver.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert _step(receiver, referral, "received").status_code == 404
    assert b"Jamal" not in receiver.get(reverse("referrals:received")).content
    page = sender.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "can no longer open this referral" in page


def test_no_referral_without_a_consent_naming_the_receiver(
    client_for, carmen, person_a, service, org_b
):
    other = ConsentFactory(person=person_a, kind=ConsentKind.SHARE, recipient=org_b)
    response = _send(client_for(carmen), person_a, service, other)
    assert response.status_code == 400
    assert "does not name Commons Legal Aid" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("reason", "", "required"),
        ("reason", "r" * 1001, "at most 1000"),
        ("service", "00000000-0000-4000-8000-000000000000", "Choose a service"),
        ("consent", "00000000-0000-4000-8000-000000000000", "Choose one of the person"),
    ],
)
def test_bad_referrals_are_refused(
    client_for, carmen, person_a, service, consent, field, value, message
):
    data = {"service": service.pk, "consent": consent.pk, "reason": "ok", field: value}
    response = client_for(carmen).post(reverse("referrals:new", args=[person_a.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Referral.objects.exists()


def test_a_revoked_consent_cannot_carry_a_new_referral(
    client_for, carmen, person_a, service, consent
):
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    response = _send(client_for(carmen), person_a, service, consent)
    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "steps, bad, message",
    [
        ([], "accepted", "Select a valid choice"),
        (["received"], "completed", "Select a valid choice"),
        (["received"], "declined", "Give the reason"),
        (["received", "accepted"], "first_appointment", "Give the date and time"),
    ],
)
def test_steps_out_of_order_or_without_what_they_need_are_refused(
    client_for, lena, person_a, service, consent, steps, bad, message
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    client = client_for(lena)
    for status in steps:
        _step(client, referral, status)
    before = ReferralEvent.objects.count()
    response = _step(client, referral, bad)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReferralEvent.objects.count() == before


def test_a_first_appointment_before_the_referral_was_sent_is_refused(
    client_for, lena, person_a, service, consent
):
    """Legal staff record the appointment: a date before the referral even existed is a
    slip of the finger, and is refused on the form and in the service alike."""
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    client = client_for(lena)
    for status in ("received", "accepted"):
        _step(client, referral, status)
    too_early = timezone.localtime() - datetime.timedelta(days=5)

    response = _step(
        client,
        referral,
        "first_appointment",
        first_appointment_at=too_early.strftime("%Y-%m-%dT%H:%M"),
    )

    assert response.status_code == 400
    assert "cannot be before the referral was sent" in response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.first_appointment_at) == ("accepted", None)
    with pytest.raises(ValidationError):
        referral_step(
            request=RequestFactory().post("/"),
            referral=referral,
            side=Side.RECEIVER,
            to_status="first_appointment",
            first_appointment_at=too_early,
        )


def _accepted(client, referral):
    for status in ("received", "accepted"):
        _step(client, referral, status)


def _at(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("ahead", ["2098-05-04T10:00", "YEAR_AND_A_DAY"])
def test_a_first_appointment_more_than_a_year_ahead_is_refused(
    client_for, lena, person_a, service, consent, ahead
):
    if ahead == "YEAR_AND_A_DAY":
        ahead = _at(timezone.now() + datetime.timedelta(days=367))
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    client = client_for(lena)
    _accepted(client, referral)
    before = ReferralEvent.objects.count()

    response = _step(client, referral, "first_appointment", first_appointment_at=ahead)

    assert response.status_code == 400
    assert response.context["step_form"].errors["first_appointment_at"] == [
        "A first appointment cannot be more than a year ahead."
    ]
    referral.refresh_from_db()
    assert (referral.status, referral.first_appointment_at) == ("accepted", None)
    assert ReferralEvent.objects.count() == before
    with pytest.raises(ValidationError, match="more than a year ahead"):
        referral_step(
            request=RequestFactory().post("/"),
            referral=referral,
            side=Side.RECEIVER,
            to_status="first_appointment",
            first_appointment_at=timezone.now() + datetime.timedelta(days=367),
        )


def test_a_first_appointment_within_the_year_is_kept(client_for, lena, person_a, service, consent):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    client = client_for(lena)
    _accepted(client, referral)
    in_a_season = (timezone.localtime() + datetime.timedelta(days=90)).replace(
        second=0, microsecond=0
    )
    response = _step(client, referral, "first_appointment", first_appointment_at=_at(in_a_season))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.first_appointment_at == in_a_season


@pytest.mark.parametrize(
    "status, to_status", [("first_appointment", "in_service"), ("in_service", "completed")]
)
def test_no_service_before_the_first_appointment_has_happened(
    client_for, lena, person_a, service, consent, status, to_status
):
    appointment = (timezone.localtime() + datetime.timedelta(days=2)).replace(
        second=0, microsecond=0
    )
    referral = ReferralFactory(
        person=person_a,
        service=service,
        consent=consent,
        status=status,
        first_appointment_at=appointment,
    )
    before = ReferralEvent.objects.count()

    response = _step(client_for(lena), referral, to_status)

    assert response.status_code == 400
    when = date_format(appointment, "SHORT_DATETIME_FORMAT")
    assert response.context["step_form"].errors["status"] == [
        f"The first appointment ({when}) has not happened yet."
    ]
    referral.refresh_from_db()
    assert referral.status == status
    assert ReferralEvent.objects.count() == before
    with pytest.raises(ValidationError, match="has not happened yet"):
        referral_step(
            request=RequestFactory().post("/"),
            referral=referral,
            side=Side.RECEIVER,
            to_status=to_status,
        )


def test_a_referral_waiting_for_its_first_appointment_can_still_close(
    client_for, lena, person_a, service, consent
):
    referral = ReferralFactory(
        person=person_a,
        service=service,
        consent=consent,
        status="first_appointment",
        first_appointment_at=timezone.now() + datetime.timedelta(days=2),
    )
    response = _step(client_for(lena), referral, "closed", note="The person moved away")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "closed"


def test_referral_states_agree_in_spanish(carmen, person_a, service, consent):
    """La referencia: "Completada", "Cerrada", "Solo abiertas" (not the masculine forms
    that incidents and courses use)."""
    for status in ("completed", "closed"):
        ReferralFactory(
            person=person_a, service=service, consent=consent, sent_by=carmen, status=status
        )
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(carmen)

    html = client.get(reverse("referrals:sent")).content.decode()

    assert "Completada" in html and "Cerrada" in html and "Solo abiertas" in html
    assert "Completado" not in html and "Solo abiertos" not in html


def test_a_decline_carries_its_reason_to_the_sender(
    client_for, carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    receiver = client_for(lena)
    _step(receiver, referral, "received")
    _step(receiver, referral, "declined", note="No attorney for housing until March")
    sender_page = Client()
    sender_page.force_login(carmen)
    assert (
        "No attorney for housing until March"
        in sender_page.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    )


def test_the_sender_may_only_close(client_for, carmen, person_a, service, consent):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    client = client_for(carmen)
    assert _step(client, referral, "received").status_code == 400
    assert _step(client, referral, "closed", note="Person moved away").status_code == 302
    referral.refresh_from_db()
    assert referral.status == "closed"


def test_a_referral_without_news_for_14_days_is_flagged_to_both(
    client_for, carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    Referral.objects.filter(pk=referral.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=15)
    )
    call_command("flag_stale_referrals", stdout=__import__("io").StringIO())
    call_command("flag_stale_referrals", stdout=__import__("io").StringIO())  # once only
    assert Notification.objects.filter(recipient=lena, message__contains="14 days").count() == 1
    assert Notification.objects.filter(recipient=carmen, message__contains="14 days").count() == 1
    for user, url in ((carmen, "referrals:sent"), (lena, "referrals:received")):
        page = client_for(user).get(reverse(url)).content.decode()
        assert "no news for 14 days" in page


def test_other_organizations_see_nothing(client_for, charlie, person_a, service, consent):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    client = client_for(charlie)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert b"Jamal" not in client.get(reverse("referrals:sent")).content


def test_a_stale_referral_with_a_revoked_consent_alerts_only_the_sender(
    carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    Referral.objects.filter(pk=referral.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=20)
    )
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    call_command("flag_stale_referrals", stdout=__import__("io").StringIO())
    assert not Notification.objects.filter(recipient=lena).exists()
    assert Notification.objects.filter(recipient=carmen).count() == 1


@pytest.mark.parametrize("case", ["abc", "12", "00000000-0000-0000-0000-00000000000"])
def test_a_cut_off_case_id_in_the_referral_link_is_not_an_error_page(
    client_for, carmen, person_a, service, consent, case
):
    client = client_for(carmen)
    page = reverse("referrals:new", args=[person_a.pk]) + f"?case={case}"
    assert client.get(page).status_code == 200
    sent = client.post(
        page,
        {"service": service.pk, "consent": consent.pk, "reason": "Eviction hearing", "case": case},
    )
    assert sent.status_code == 302
    assert Referral.objects.get().case is None
