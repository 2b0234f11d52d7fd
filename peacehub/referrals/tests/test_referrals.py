import datetime
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection  # noqa: F401 (read by a skipif condition)
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peacehub.notifications.models import Notification
from peacehub.people.models import ConsentKind, ShareScope
from peacehub.people.tests.factories import ConsentFactory
from peacehub.referrals.access import Side
from peacehub.referrals.models import Referral, ReferralEvent, ReferralStatus
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


@pytest.fixture
def case_of_person_a(person_a, carmen):
    from peacehub.cases.tests.factories import CaseFactory

    return CaseFactory(person=person_a, case_manager=carmen)


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
    before = ReferralEvent.objects.count()
    # A step posted from the page left open: refused, saying why, and the note kept.
    response = _step(receiver, referral, "received", note="Called him, no answer")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert (
        "The person withdrew their consent to share with your organization: the step was "
        "not saved, and this referral can no longer be opened here."
    ) in page
    assert "Called him, no answer" in page
    assert "Jamal" not in page and "Eviction" not in page  # nothing of the referral
    assert ReferralEvent.objects.count() == before
    referral.refresh_from_db()
    assert referral.status == "closed"
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
        (
            ["received"],
            "declined",
            "Give the reason: it is required when declining the referral.",
        ),
        (
            ["received", "accepted"],
            "first_appointment",
            "Give the date and time of the first appointment: it is required when the "
            "next step is “First appointment”.",
        ),
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


# --- An out-of-date tab, the consent detour, duplicates, revocation, the lists --------


def test_a_step_saved_from_a_tab_left_open_after_the_referral_ended_says_so(
    client_for, carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    _step(client_for(carmen), referral, "closed", note="Person moved away")
    events = ReferralEvent.objects.count()

    response = _step(client_for(lena), referral, "received", note="Called him TYPED TODAY")
    page = response.content.decode()
    assert response.status_code == 400
    assert "This referral has ended: nothing was saved." in page
    assert "Called him TYPED TODAY" in page
    assert ReferralEvent.objects.count() == events
    referral.refresh_from_db()
    assert referral.status == "closed"
    # And in the service, for a post that passed the form as the referral ended.
    with pytest.raises(ValidationError, match="This referral has ended"):
        referral_step(
            request=RequestFactory().post("/"),
            referral=referral,
            side=Side.SENDER,
            to_status="closed",
            note="again",
        )


def _new(person, **query):
    address = reverse("referrals:new", args=[person.pk])
    return f"{address}?{urlencode(query)}" if query else address


def test_show_services_keeps_the_reason_and_the_service_chosen(
    client_for, carmen, person_a, service, consent, case_of_person_a
):
    from peacehub.services.models import Attribute, need_term_id
    from peacehub.services.services import needs_taxonomy_ensure

    needs_taxonomy_ensure()
    Attribute.objects.create(service=service, taxonomy_term_id=need_term_id("legal"))
    client = client_for(carmen)
    form = _new(person_a, case=case_of_person_a.pk)
    response = client.post(
        form,
        {
            "need": "legal",
            "service": service.pk,
            "consent": consent.pk,
            "reason": "TYPED REASON before choosing a need",
            "show_services": "1",
        },
    )
    assert response.status_code == 302
    assert "TYPED" not in response["Location"]  # the reason travels in no address
    assert not Referral.objects.exists()

    page = client.get(response["Location"])
    form_again = page.context["form"]
    assert page.context["need"] == "legal"
    assert page.context["case"] == case_of_person_a
    assert form_again["service"].value() == service.pk
    assert form_again["consent"].value() == consent.pk
    assert form_again["reason"].value() == "TYPED REASON before choosing a need"
    # Kept for one way back only.
    assert client.get(response["Location"]).context["form"]["reason"].value() == ""


def test_record_consent_goes_there_and_back_with_what_was_chosen_and_typed(
    client_for, carmen, person_a, service, legal_aid, org_b, case_of_person_a
):
    # A consent names another organization: the form still offers to record one for
    # the organization of the service chosen.
    ConsentFactory(person=person_a, kind=ConsentKind.SHARE, recipient=org_b)
    client = client_for(carmen)
    form = _new(person_a, case=case_of_person_a.pk)
    refused = client.post(form, {"service": service.pk, "reason": "Expunge an old charge"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "No current consent of the person names Commons Legal Aid" in page
    assert 'name="record_consent"' in page

    detour = client.post(
        form, {"service": service.pk, "reason": "Expunge an old charge", "record_consent": "1"}
    )
    back = _new(person_a, case=case_of_person_a.pk, service=service.pk)
    consent_form = reverse("people:consent_create", args=[person_a.pk])
    assert detour["Location"] == f"{consent_form}?" + urlencode(
        {"next": back, "recipient": legal_aid.pk}
    )
    assert "Expunge" not in detour["Location"]
    consent_page = client.get(detour["Location"])
    assert consent_page.context["form"]["recipient"].value() == legal_aid.pk
    assert consent_page.context["form"]["kind"].value() == "share"
    recorded = client.post(
        detour["Location"],
        {
            "kind": "share",
            "recipient": legal_aid.pk,
            "method": "signed",
            "given_on": timezone.localdate().isoformat(),
        },
    )
    assert recorded["Location"] == back

    page = client.get(back)
    new_consent = person_a.consents.get(recipient=legal_aid)
    assert page.context["form"]["service"].value() == service.pk
    assert page.context["form"]["consent"].value() == new_consent.pk
    assert page.context["form"]["reason"].value() == "Expunge an old charge"
    assert page.context["consent_missing_for"] is None
    assert 'name="record_consent"' not in page.content.decode()
    sent = client.post(
        back,
        {"service": service.pk, "consent": new_consent.pk, "reason": "Expunge an old charge"},
    )
    assert sent.status_code == 302
    assert Referral.objects.get().case == case_of_person_a


def test_the_reason_kept_in_the_session_is_encrypted(client_for, carmen, person_a, service):
    client = client_for(carmen)
    client.post(
        _new(person_a), {"service": service.pk, "reason": "SECRET REASON", "record_consent": "1"}
    )
    kept = client.session["peacehub_referral_reason"]
    assert kept["person"] == str(person_a.pk)
    assert kept["reason"].startswith("fernet:")
    assert "SECRET REASON" not in str(dict(client.session))


def test_a_second_post_of_the_same_referral_is_refused(
    client_for, carmen, person_a, service, consent
):
    client = client_for(carmen)
    assert _send(client, person_a, service, consent).status_code == 302
    response = _send(client, person_a, service, consent)
    assert response.status_code == 400
    sent_on = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    assert response.context["form"].errors["service"] == [
        "This participant already has an open referral to Legal Aid Justice Corps, sent on "
        f"{sent_on}: follow that one up instead."
    ]
    assert Referral.objects.count() == 1
    # Once it has ended, the person may be referred there again.
    _step(client, Referral.objects.get(), "closed", note="Missed the appointment")
    assert _send(client, person_a, service, consent).status_code == 302
    assert Referral.objects.count() == 2


def test_the_api_refuses_the_same_referral_twice(api_as, carmen, person_a, service, consent):
    call = api_as(carmen)
    body = {"person": str(person_a.pk), "service": str(service.pk), "consent": str(consent.pk)}
    body["reason"] = "Eviction hearing"
    assert call("post", "/api/v1/referrals", body).status_code == 201
    response = call("post", "/api/v1/referrals", body)
    assert response.status_code == 400
    assert "already has an open referral to Legal Aid Justice Corps" in str(response.json())
    assert Referral.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite's in-memory test database takes no second connection; its transactions "
    "take the write lock at BEGIN anyway",
)
def test_two_posts_at_once_send_one_referral(carmen, person_a, service, consent):
    """A double submit on a slow connection: both posts arrive together."""
    import threading

    from django.db import connection as main_connection

    barrier = threading.Barrier(2)
    answers = []

    def post():
        client = Client()
        client.force_login(carmen)
        barrier.wait()
        try:
            answers.append(_send(client, person_a, service, consent).status_code)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert main_connection.vendor == "postgresql"
    assert sorted(answers) == [302, 400]
    assert Referral.objects.count() == 1


def test_revoking_the_consent_closes_the_open_referrals_it_carried(
    client_for, carmen, lena, person_a, service, consent, legal_aid
):
    accepted = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    _accepted(client_for(lena), accepted)
    done = ReferralFactory(
        person=person_a,
        service=coalition_service(legal_aid, "Expungement clinic"),
        consent=consent,
        sent_by=carmen,
        status="completed",
    )
    other_consent = ConsentFactory(person=person_a, kind=ConsentKind.SHARE, recipient=legal_aid)
    carried_by_another = ReferralFactory(
        person=person_a,
        service=coalition_service(legal_aid, "Housing court help"),
        consent=other_consent,
        sent_by=carmen,
    )
    revoker = client_for(carmen)
    revoker.post(reverse("people:consent_revoke", args=[person_a.pk, consent.pk]))

    accepted.refresh_from_db()
    assert accepted.status == "closed"
    step = accepted.events.order_by("at").last()
    assert (step.status, step.by, step.by_organization) == ("closed", carmen, person_a.organization)
    # Stored as a code, read in the language of each page.
    assert (step.code, step.note) == ("consent_withdrawn", "")
    page = revoker.get(reverse("referrals:detail", args=[accepted.pk])).content.decode()
    assert "The person&#x27;s consent to share was withdrawn." in page
    revoker.post(reverse("site:set_language"), {"language": "es", "next": "/"})
    page = revoker.get(reverse("referrals:detail", args=[accepted.pk])).content.decode()
    assert "Se retiró el consentimiento de la persona para compartir." in page
    assert "consent to share was withdrawn" not in page
    assert not accepted.is_stale
    done.refresh_from_db()
    carried_by_another.refresh_from_db()
    assert (done.status, carried_by_another.status) == ("completed", "sent")
    assert client_for(lena).get(reverse("referrals:detail", args=[accepted.pk])).status_code == 404


def test_revoking_through_the_api_closes_them_too(api_as, carmen, person_a, service, consent):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    response = api_as(carmen)(
        "post", f"/api/v1/people/{person_a.pk}/consents/{consent.pk}/revoke", {}
    )
    assert response.status_code == 200, response.content
    referral.refresh_from_db()
    assert referral.status == "closed"


def test_the_first_appointment_says_when_it_is_needed(client_for, lena, person_a, service, consent):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    _accepted(client_for(lena), referral)
    page = client_for(lena).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    label = page.split('for="id_first_appointment_at"', 1)[1].split("</label>", 1)[0]
    assert "optional" not in label
    assert "Required when the next step is “First appointment”." in page
    note = page.split('for="id_note"', 1)[1].split("</label>", 1)[0]
    assert "optional" not in note
    # Accepted: the receiver can no longer decline, only close.
    assert (
        "Required when closing the referral. Both organizations read it: no clinical detail."
    ) in page
    received = ReferralFactory(
        person=person_a, service=service, consent=consent, status=ReferralStatus.RECEIVED
    )
    page = client_for(lena).get(reverse("referrals:detail", args=[received.pk])).content.decode()
    assert "Required when declining or closing the referral." in page


def test_the_sender_is_told_closing_needs_a_reason(client_for, carmen, person_a, service, consent):
    """The sender may only close: the note's help says so, and closing without one
    names the condition and saves nothing."""
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    client = client_for(carmen)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Required when closing the referral." in page
    assert "declining" not in page
    before = ReferralEvent.objects.count()
    response = _step(client, referral, "closed")
    assert response.status_code == 400
    errors = response.context["step_form"].errors
    assert errors["note"] == ["Give the reason: it is required when closing the referral."]
    assert ReferralEvent.objects.count() == before
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_referral_lists_show_the_day_of_the_last_step(
    client_for, carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    _days_pass(referral, 20)
    _step(client_for(lena), referral, "received")
    today = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    sent_on = date_format(timezone.localdate() - datetime.timedelta(days=20), "SHORT_DATE_FORMAT")
    for user, path in ((carmen, "sent"), (lena, "received")):
        page = client_for(user).get(reverse(f"referrals:{path}")).content.decode()
        assert f"last step {today}" in page
        assert sent_on not in page


@pytest.mark.parametrize(
    "query, current",
    [("", "All"), ("?open=1", "Only open"), ("?stale=1", "Only without news for 14 days")],
)
def test_referral_list_filters_say_which_is_shown(client_for, carmen, query, current):
    page = client_for(carmen).get(reverse("referrals:sent") + query).content.decode()
    filters = page.split('<nav class="filter-tabs"', 1)[1].split("</nav>", 1)[0]
    assert filters.count('aria-current="page"') == 1
    assert f'aria-current="page">{current}</a>' in filters
    assert 'href="?"' in filters  # "All" is always there to go back to


def test_no_referral_is_added_to_a_closed_case(
    client_for, carmen, person_a, service, consent, case_of_person_a
):
    case_of_person_a.closed_on = timezone.localdate()
    case_of_person_a.save(update_fields=["closed_on"])
    response = client_for(carmen).post(
        _new(person_a, case=case_of_person_a.pk),
        {"service": service.pk, "consent": consent.pk, "reason": "Eviction hearing"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This case is closed: send the referral from the participant&#x27;s page." in page
    assert "Eviction hearing" in page
    assert not Referral.objects.exists()


def test_the_consent_form_that_carries_referrals_starts_unchosen(
    client_for, carmen, person_a, legal_aid
):
    """What the consent is to, the organization named and how it was given start on
    "Choose…"; a share left without an organization says why it is required."""
    client = client_for(carmen)
    url = reverse("people:consent_create", args=[person_a.pk])
    page = client.get(url).content.decode()
    for name in ("kind", "recipient", "method"):
        select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        first = select.split("<option", 2)[1].split("</option>", 1)[0]
        assert first == ' value="" selected>Choose…', name
    assert "Required when the consent is to share information." in page
    label = page.split('for="id_recipient"', 1)[1].split("</label>", 1)[0]
    assert "optional" not in label

    today = timezone.localdate().isoformat()
    response = client.post(url, {"kind": "", "recipient": "", "method": "", "given_on": today})
    errors = response.context["form"].errors
    assert errors["kind"] == ["This field is required."]
    assert errors["method"] == ["This field is required."]
    response = client.post(url, {"kind": "share", "method": "signed", "given_on": today})
    assert response.context["form"].errors["recipient"] == [
        "Name the organization the person agrees to share with: it is required when the "
        "consent is to share information."
    ]
    assert not person_a.consents.exists()


def test_a_step_after_the_consent_expired_says_why_nothing_was_saved(
    client_for, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    consent.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    consent.save(update_fields=["expires_on"])
    response = _step(client_for(lena), referral, "received")
    assert response.status_code == 403
    assert "consent to share with your organization has expired" in response.content.decode()
    assert referral.events.count() == 1


def test_a_stranger_posting_a_step_still_gets_404(client_for, charlie, person_a, service, consent):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    assert _step(client_for(charlie), referral, "received").status_code == 404


def _appointment(client, referral, moment, **data):
    return _step(
        client,
        referral,
        "first_appointment",
        first_appointment_at=_at(moment),
        **data,
    )


def test_the_receiver_corrects_the_first_appointment_and_the_sender_sees_it(
    client_for, carmen, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    receiver = client_for(lena)
    _accepted(receiver, referral)
    first = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    assert _appointment(receiver, referral, first).status_code == 302
    page = receiver.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Correct the first appointment" in page

    moved = first + datetime.timedelta(days=2)
    response = _appointment(receiver, referral, moved, note="The person asked for Friday")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "first_appointment"
    assert referral.first_appointment_at == moved
    steps = list(referral.events.filter(status="first_appointment").order_by("at"))
    assert [(e.appointment_at, e.code) for e in steps] == [
        (first, ""),
        (moved, "appointment_corrected"),
    ]

    assert Notification.objects.filter(
        recipient=carmen,
        message="The first appointment of a referral you sent has a new date — open PeaceHub",
    ).exists()
    page = client_for(carmen).get(reverse("referrals:detail", args=[referral.pk]))
    content = page.content.decode()
    shown = date_format(timezone.localtime(moved), "SHORT_DATETIME_FORMAT")
    assert f"<dd>{shown}</dd>" in content
    assert "The first appointment was corrected. — The person asked for Friday" in content
    assert date_format(timezone.localtime(first), "SHORT_DATETIME_FORMAT") in content
    assert "Correct the first appointment" not in content  # the sender may only close


def test_the_same_appointment_again_or_once_in_service_is_no_correction(
    client_for, lena, person_a, service, consent
):
    referral = ReferralFactory(person=person_a, service=service, consent=consent)
    receiver = client_for(lena)
    _accepted(receiver, referral)
    soon = (timezone.localtime() + datetime.timedelta(hours=1)).replace(second=0, microsecond=0)
    _appointment(receiver, referral, soon)
    before = referral.events.count()
    response = _appointment(receiver, referral, soon)
    assert response.status_code == 400
    assert response.context["step_form"].errors["first_appointment_at"] == [
        "This is the first appointment already recorded: give its new date and time."
    ]
    assert referral.events.count() == before
    Referral.objects.filter(pk=referral.pk).update(
        status="in_service", first_appointment_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = _appointment(receiver, referral, soon + datetime.timedelta(days=1))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "in_service"


def test_the_migration_turns_stored_withdrawal_texts_into_the_code(
    client_for, carmen, lena, person_a, service, consent
):
    """Steps written before the code was stored (in the revoker's language) read in each
    page's language once it has run; an appointment step keeps its date."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "peacehub.referrals.migrations.0002_referralevent_code_appointment_at"
    )
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    _accepted(client_for(lena), referral)
    soon = timezone.localtime() + datetime.timedelta(days=1)
    _step(client_for(lena), referral, "first_appointment", first_appointment_at=_at(soon))
    events = referral.events
    closing = ReferralEvent.objects.create(
        referral=referral,
        status="closed",
        by_organization=person_a.organization,
        note="Se retiró el consentimiento de la persona para compartir.",
    )
    typed = ReferralEvent.objects.create(
        referral=referral, status="closed", by_organization=person_a.organization, note="Moved"
    )
    events.filter(status="first_appointment").update(appointment_at=None)

    migration.to_codes(apps, None)

    closing.refresh_from_db()
    typed.refresh_from_db()
    assert (closing.code, closing.note) == ("consent_withdrawn", "")
    assert (typed.code, typed.note) == ("", "Moved")
    referral.refresh_from_db()
    booked = events.get(status="first_appointment")
    assert booked.appointment_at == referral.first_appointment_at is not None
    page = client_for(carmen).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "The person&#x27;s consent to share was withdrawn." in page
