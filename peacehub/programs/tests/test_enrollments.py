import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.geo.models import CommunityArea
from peacehub.people.models import ConsentKind, ShareScope
from peacehub.people.tests.factories import ConsentFactory, PersonFactory
from peacehub.programs.models import PROGRAM_SLUGS, Enrollment, EnrollmentStatus, Program
from peacehub.programs.tests.factories import (
    EnrollmentFactory,
    MatterFactory,
    MilestoneFactory,
    SessionFactory,
    days_ago,
)
from peacehub.referrals.models import ReferralStatus
from peacehub.referrals.tests.factories import ReferralFactory, coalition_service

pytestmark = pytest.mark.django_db

UNKNOWN_ID = "00000000-0000-4000-8000-000000000099"
STRANGER = "Choose a participant of your organization from the search."


@pytest.fixture
def wes(org_a):
    return member(org_a, Role.WORKFORCE_STAFF, "wes@example.org", full_name="Wes Workforce")


@pytest.fixture
def ivy(org_a):
    return member(org_a, Role.IPV_STAFF, "ivy@example.org", full_name="Ivy Program")


def today() -> str:
    return timezone.localdate().isoformat()


def test_workforce_staff_enroll_a_participant(client_for, wes, person_a):
    client = client_for(wes)
    response = client.post(
        reverse("programs:enroll", args=["workforce"]),
        {"person": person_a.pk, "enrolled_on": today()},
    )
    enrollment = Enrollment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:enrollment", args=[enrollment.pk])
    assert (enrollment.person, enrollment.organization) == (person_a, person_a.organization)
    assert (enrollment.program, enrollment.status) == (Program.WORKFORCE, EnrollmentStatus.ACTIVE)
    assert enrollment.enrolled_by == wes
    assert AuditEvent.objects.filter(
        action="create", record_type="programs.enrollment", record_id=str(enrollment.pk)
    ).exists()
    page = client.get(reverse("programs:list", args=["workforce"]))
    assert "Jamal" in page.content.decode()


@pytest.fixture
def received(person_a, legal_aid):
    """A referral of organization A's participant to the legal aid provider, accepted
    there, under a current consent naming the provider."""
    consent = ConsentFactory(person=person_a, kind=ConsentKind.SHARE, recipient=legal_aid)
    return ReferralFactory(
        person=person_a,
        service=coalition_service(legal_aid),
        consent=consent,
        status=ReferralStatus.ACCEPTED,
    )


@pytest.fixture
def lenas_client(client_for, lena, legal_aid):
    """Legal staff of the provider, who keep their own record of the referred person
    (their own record: another id, the same legal name)."""
    PersonFactory(organization=legal_aid, legal_first_name="Jamal", legal_last_name="Washington")
    return client_for(lena)


def _enroll_answering(client, person, referral_id):
    return client.post(
        reverse("programs:enroll", args=["legal"]),
        {"person": person.pk, "enrolled_on": today(), "referral_id": referral_id},
    )


def test_the_enroll_form_prefills_the_person_and_the_referral(client_for, wes, person_a):
    referral = "11111111-2222-4333-8444-555555555555"
    response = client_for(wes).get(
        reverse("programs:enroll", args=["workforce"])
        + f"?person={person_a.pk}&referral={referral}"
    )
    content = response.content.decode()
    assert response.context["chosen"] == person_a
    assert f'value="{person_a.pk}"' in content
    assert f'value="{referral}"' in content


def test_the_receiver_enrolls_from_the_referral_and_the_enrollment_keeps_it(
    lenas_client, legal_aid, received
):
    own_record = legal_aid.people.get()
    referral_page = lenas_client.get(reverse("referrals:detail", args=[received.pk]))
    enroll_url = reverse("programs:enroll", args=["legal"]) + f"?referral={received.pk}"
    assert enroll_url in referral_page.content.decode()

    response = _enroll_answering(lenas_client, own_record, received.pk)
    enrollment = Enrollment.objects.get()
    assert response.status_code == 302
    assert (enrollment.referral, enrollment.person) == (received, own_record)
    page = lenas_client.get(reverse("programs:enrollment", args=[enrollment.pk])).content.decode()
    assert reverse("referrals:detail", args=[received.pk]) in page
    referral_page = lenas_client.get(reverse("referrals:detail", args=[received.pk]))
    assert reverse("programs:enrollment", args=[enrollment.pk]) in referral_page.content.decode()


def test_the_receiver_adds_the_referred_person_from_the_packet_then_enrolls_them(
    client_for, lena, legal_aid, received
):
    """No record of the person at the provider yet: the enroll page offers to add
    them, the form starts from the packet, and the enrollment follows."""
    client = client_for(lena)
    enroll = client.get(
        reverse("programs:enroll", args=["legal"]) + f"?referral={received.pk}"
    ).content.decode()
    assert "This enrollment answers the referral of Jamal Washington" in enroll
    add_url = reverse("people:create") + f"?referral={received.pk}&amp;program=legal"
    assert add_url in enroll

    form = client.get(add_url.replace("&amp;", "&")).content.decode()
    assert 'value="Jamal"' in form and 'value="Washington"' in form
    response = client.post(
        reverse("people:create"),
        {
            "referral": received.pk,
            "program": "legal",
            "legal_first_name": "Jamal",
            "legal_last_name": "Washington",
            "gender": "man",
            "preferred_language": "en",
        },
    )
    own_record = legal_aid.people.get()
    assert own_record.pk != received.person_id
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("programs:enroll", args=["legal"])
        + f"?person={own_record.pk}&referral={received.pk}"
    )
    _enroll_answering(client, own_record, received.pk)
    assert Enrollment.objects.get().referral == received


def test_add_to_your_participants_shows_once_and_not_for_a_person_already_yours(
    client_for, lena, legal_aid, received
):
    url = reverse("programs:enroll", args=["legal"]) + f"?referral={received.pk}"
    add = "Add Jamal Washington to your participants"
    client = client_for(lena)
    assert client.get(url).content.decode().count(add) == 1
    # Once the provider has its own record of Jamal, that record is chosen instead.
    own_record = PersonFactory(
        organization=legal_aid, legal_first_name="Jamal", legal_last_name="Washington"
    )
    page = client.get(url).content.decode()
    assert add not in page
    assert f'value="{own_record.pk}"' in page
    assert 'value="Jamal Washington"' in page  # the picker shows whom
    # Someone else of the same last name is not taken for him.
    own_record.legal_first_name = "Marcus"
    own_record.save(update_fields=["legal_first_name"])
    assert client.get(url).content.decode().count(add) == 1


def test_reading_the_packet_to_add_or_enroll_is_in_the_audit_log(
    client_for, lena, charlie, received
):
    client_for(lena).get(reverse("people:create") + f"?referral={received.pk}")
    client_for(lena).get(reverse("programs:enroll", args=["legal"]) + f"?referral={received.pk}")
    client_for(charlie).get(reverse("people:create") + f"?referral={received.pk}")
    reads = AuditEvent.objects.filter(action="view", record_id=str(received.pk))
    assert sorted(e.detail["view"] for e in reads) == ["enroll", "person_create"]
    assert {e.actor_email for e in reads} == {lena.email}
    assert {e.organization_id for e in reads} == {str(received.sending_organization_id)}


@pytest.mark.parametrize("shared", [True, False])
def test_the_packet_fills_in_the_phone_only_when_the_consent_shares_it(
    client_for, lena, legal_aid, received, shared
):
    received.person.phone = "(773) 555-0142"
    received.person.save(update_fields=["phone"])
    received.consent.scope = [ShareScope.PHONE] if shared else []
    received.consent.save(update_fields=["scope"])
    form = client_for(lena).get(reverse("people:create") + f"?referral={received.pk}")
    assert ("555-0142" in form.content.decode()) is shared


def test_a_referral_that_is_not_ours_fills_in_nothing(client_for, charlie, received):
    """Another partner's staff (or anyone but the receiver) get the plain form: the
    referral's person is not named."""
    form = client_for(charlie).get(reverse("people:create") + f"?referral={received.pk}")
    assert form.status_code == 200
    assert 'value="Washington"' not in form.content.decode()
    assert "Jamal" not in form.content.decode()


def test_after_revocation_the_packet_fills_in_nothing(client_for, lena, received):
    received.consent.revoked_at = timezone.now()
    received.consent.save(update_fields=["revoked_at"])
    form = client_for(lena).get(reverse("people:create") + f"?referral={received.pk}")
    assert 'value="Washington"' not in form.content.decode()
    assert "Jamal" not in form.content.decode()


def test_the_sender_never_sees_the_receivers_enrollment(
    client_for, carmen, lenas_client, legal_aid, received
):
    _enroll_answering(lenas_client, legal_aid.people.get(), received.pk)
    enrollment = Enrollment.objects.get()
    page = client_for(carmen).get(reverse("referrals:detail", args=[received.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert str(enrollment.pk) not in content and "In our programs" not in content


def test_after_revocation_the_enrollment_no_longer_links_to_the_referral(
    lenas_client, legal_aid, received
):
    _enroll_answering(lenas_client, legal_aid.people.get(), received.pk)
    enrollment = Enrollment.objects.get()
    received.consent.revoked_at = timezone.now()
    received.consent.save(update_fields=["revoked_at"])
    page = lenas_client.get(reverse("programs:enrollment", args=[enrollment.pk])).content.decode()
    assert "Answers a referral" in page
    assert reverse("referrals:detail", args=[received.pk]) not in page


@pytest.mark.parametrize(
    "status", [ReferralStatus.ACCEPTED, ReferralStatus.FIRST_APPOINTMENT, ReferralStatus.IN_SERVICE]
)
def test_an_enrollment_answers_an_accepted_open_referral(lenas_client, legal_aid, received, status):
    received.status = status
    received.save(update_fields=["status"])
    response = _enroll_answering(lenas_client, legal_aid.people.get(), received.pk)
    assert response.status_code == 302
    assert Enrollment.objects.get().referral == received


@pytest.mark.parametrize(
    "status, shown",
    [
        (ReferralStatus.SENT, "Sent"),
        (ReferralStatus.RECEIVED, "Received"),
        (ReferralStatus.DECLINED, "Declined"),
        (ReferralStatus.COMPLETED, "Completed"),
        (ReferralStatus.CLOSED, "Closed"),
    ],
)
def test_an_enrollment_cannot_answer_a_referral_not_accepted_or_no_longer_open(
    lenas_client, legal_aid, received, status, shown
):
    received.status = status
    received.save(update_fields=["status"])
    response = _enroll_answering(lenas_client, legal_aid.people.get(), received.pk)
    assert response.status_code == 400
    assert (
        f"This referral is “{shown}”: an enrollment can answer a referral only once your "
        "organization has accepted it and while it is open."
    ) in response.content.decode()
    assert not Enrollment.objects.exists()


def test_an_enrollment_answers_a_referral_about_the_same_person_only(
    client_for, lena, legal_aid, received
):
    """The provider's own record must carry the packet's legal name (accents and case
    aside); another participant of theirs cannot take the referral."""
    someone_else = PersonFactory(
        organization=legal_aid, legal_first_name="Marcus", legal_last_name="Washington"
    )
    same = PersonFactory(
        organization=legal_aid, legal_first_name="JAMAL", legal_last_name="washington"
    )
    client = client_for(lena)
    response = _enroll_answering(client, someone_else, received.pk)
    assert response.status_code == 400
    assert (
        "This referral is about Jamal Washington, not the participant chosen. Choose your "
        "record of Jamal Washington, or add them from the referral."
    ) in response.content.decode()
    assert not Enrollment.objects.exists()
    assert _enroll_answering(client, same, received.pk).status_code == 302
    assert Enrollment.objects.get().person == same


@pytest.mark.parametrize("which", ["unknown", "not_received", "revoked", "malformed"])
def test_an_enrollment_answers_only_a_referral_its_organization_received(
    client_for, lenas_client, wes, legal_aid, received, which
):
    """Bad input: an id that is not a referral this organization sees gets one clear
    answer, and nothing is saved."""
    client, person, referral_id = lenas_client, legal_aid.people.get(), received.pk
    program = "legal"
    if which == "unknown":
        referral_id = UNKNOWN_ID
    elif which == "not_received":  # organization A's workforce staff: A sent it
        client, person, program = client_for(wes), received.person, "workforce"
    elif which == "revoked":
        received.consent.revoked_at = timezone.now()
        received.consent.save(update_fields=["revoked_at"])
    else:
        referral_id = "nope"
    response = client.post(
        reverse("programs:enroll", args=[program]),
        {"person": person.pk, "enrolled_on": today(), "referral_id": referral_id},
    )
    assert response.status_code == 400
    message = (
        "valid UUID"
        if which == "malformed"
        else "This referral is not one your organization received."
    )
    assert message in response.content.decode()
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("person", ["other_org", "unknown", "malformed"])
def test_another_organizations_person_gets_the_unknown_id_answer(client_for, wes, person_b, person):
    """The firewall: a provider cannot enroll a partner's record, and cannot tell it
    from an id that does not exist."""
    value = {"other_org": person_b.pk, "unknown": UNKNOWN_ID, "malformed": "x' OR 1=1"}[person]
    response = client_for(wes).post(
        reverse("programs:enroll", args=["workforce"]),
        {"person": value, "enrolled_on": today()},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [STRANGER]
    assert "Luis" not in response.content.decode()
    assert not Enrollment.objects.exists()


def test_a_second_active_enrollment_in_the_same_program_is_refused(client_for, wes, person_a):
    EnrollmentFactory(person=person_a, program=Program.WORKFORCE)
    response = client_for(wes).post(
        reverse("programs:enroll", args=["workforce"]),
        {"person": person_a.pk, "enrolled_on": today()},
    )
    assert response.status_code == 400
    assert "already enrolled" in response.context["form"].errors["person"][0]
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"enrolled_on": "2999-01-01"}, "enrolled_on", "cannot start in the future"),
        (
            {"enrolled_on": "1901-01-01"},
            "enrolled_on",
            "This date is too far in the past: check the year.",
        ),
        ({"enrolled_on": "not a date"}, "enrolled_on", "Enter a valid date"),
        ({"enrolled_on": ""}, "enrolled_on", "required"),
        ({"enrolled_on": "2024-01-01", "referral_id": "nope"}, "referral_id", "valid UUID"),
    ],
)
def test_bad_enrollments_save_nothing(client_for, wes, person_a, data, field, message):
    response = client_for(wes).post(
        reverse("programs:enroll", args=["workforce"]), {"person": person_a.pk, **data}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_ipv_requires_the_voluntary_confirmation(client_for, ivy, person_a):
    response = client_for(ivy).post(
        reverse("programs:enroll", args=["ipv"]), {"person": person_a.pk, "enrolled_on": today()}
    )
    assert response.status_code == 400
    error = response.context["form"].errors["voluntary_confirmed"][0]
    assert "court-mandated referral cannot be enrolled" in error
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("number", [67, 68, 66, 46])
def test_ipv_enrolls_voluntary_participants_of_the_pilot_areas(client_for, ivy, org_a, number):
    person = PersonFactory(
        organization=org_a, community_area=CommunityArea.objects.get(number=number)
    )
    response = client_for(ivy).post(
        reverse("programs:enroll", args=["ipv"]),
        {"person": person.pk, "enrolled_on": today(), "voluntary_confirmed": "on"},
    )
    assert response.status_code == 302
    assert Enrollment.objects.get().voluntary_confirmed is True


@pytest.mark.parametrize("number", [25, None])
def test_ipv_refuses_people_outside_the_pilot_areas(client_for, ivy, org_a, number):
    area = CommunityArea.objects.get(number=number) if number else None
    person = PersonFactory(organization=org_a, community_area=area)
    response = client_for(ivy).post(
        reverse("programs:enroll", args=["ipv"]),
        {"person": person.pk, "enrolled_on": today(), "voluntary_confirmed": "on"},
    )
    assert response.status_code == 400
    error = response.context["form"].errors["person"][0]
    assert "pilot community areas" in error
    if number:
        assert "Austin" in error
    assert not Enrollment.objects.exists()


def test_finishing_an_enrollment(client_for, wes, person_a):
    enrollment = EnrollmentFactory(person=person_a, enrolled_on=days_ago(30))
    client = client_for(wes)
    url = reverse("programs:enrollment_finish", args=[enrollment.pk])

    early = client.post(url, {"status": "exited", "ended_on": days_ago(40).isoformat()})
    assert early.status_code == 400
    errors = early.context["finish_form"].errors
    assert errors["ended_on"] == ["The enrollment cannot end before it started."]
    assert errors["exit_reason"] == [
        "Give the reason for leaving: it is required when the person left before completing."
    ]
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE

    done = client.post(url, {"status": "exited", "ended_on": today(), "exit_reason": "moved"})
    assert done.status_code == 302
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.exit_reason) == ("exited", "moved")
    assert client.post(url, {"status": "completed", "ended_on": today()}).status_code == 400


def test_the_list_shows_my_program_with_the_latest_step(client_for, wes, org_a):
    enrollment = EnrollmentFactory(person=PersonFactory(organization=org_a))
    MilestoneFactory(enrollment=enrollment, kind="hope", achieved_on=days_ago(100))
    MilestoneFactory(enrollment=enrollment, kind="ged", achieved_on=days_ago(20))
    EnrollmentFactory(person=PersonFactory(organization=org_a), program=Program.LEGAL)
    response = client_for(wes).get(reverse("programs:list", args=["workforce"]))
    assert [e.pk for e in response.context["page"].object_list] == [enrollment.pk]
    assert "Latest: GED attained" in response.content.decode()


def test_the_list_filters_by_status(client_for, wes, org_a):
    active = EnrollmentFactory(person=PersonFactory(organization=org_a))
    done = EnrollmentFactory(
        person=PersonFactory(organization=org_a), status="completed", ended_on=days_ago(1)
    )
    client = client_for(wes)
    shown = client.get(reverse("programs:list", args=["workforce"])).context["page"].object_list
    assert [e.pk for e in shown] == [active.pk]
    shown = client.get(reverse("programs:list", args=["workforce"]) + "?status=all")
    assert {e.pk for e in shown.context["page"].object_list} == {active.pk, done.pk}


def test_an_unknown_program_is_not_found(client_for, wes):
    assert client_for(wes).get("/programs/police/").status_code == 404


@pytest.mark.parametrize(
    "program, role, extra",
    [
        ("workforce", Role.WORKFORCE_STAFF, "milestones"),
        ("legal", Role.LEGAL_STAFF, "matters"),
        ("behavioral-health", Role.BEHAVIORAL_HEALTH_CLINICIAN, "sessions"),
        ("ipv", Role.IPV_STAFF, "sessions"),
    ],
)
def test_list_query_count_does_not_grow_with_enrollments(
    client_for, org_a, program, role, extra, django_assert_max_num_queries
):
    user = member(org_a, role)
    for _ in range(12):
        enrollment = EnrollmentFactory(
            person=PersonFactory(organization=org_a), program=PROGRAM_SLUGS[program]
        )
        if extra == "milestones":
            MilestoneFactory(enrollment=enrollment)
        elif extra == "matters":
            MatterFactory(enrollment=enrollment)
        else:
            SessionFactory(enrollment=enrollment, staff=user)
    client = client_for(user)
    client.get(reverse("programs:list", args=[program]))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programs:list", args=[program]))
    assert len(response.context["page"].object_list) == 12


def test_enrollment_page_query_count_is_bounded(
    client_for, ivy, org_a, django_assert_max_num_queries
):
    enrollment = EnrollmentFactory(
        person=PersonFactory(organization=org_a), program=Program.IPV, safety_plan="plan"
    )
    for _ in range(10):
        SessionFactory(enrollment=enrollment, staff=ivy, format="group")
    client = client_for(ivy)
    url = reverse("programs:enrollment", args=[enrollment.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["sessions"]) == 10


def test_the_page_read_is_audited_with_the_restricted_fields(client_for, ivy, org_a):
    enrollment = EnrollmentFactory(person=PersonFactory(organization=org_a), program=Program.IPV)
    client_for(ivy).get(reverse("programs:enrollment", args=[enrollment.pk]))
    event = AuditEvent.objects.get(action="view", record_id=str(enrollment.pk))
    assert event.detail["restricted"] == ["sessions", "session_notes", "safety_plan"]
    assert event.detail["person"] == str(enrollment.person_id)


def test_end_date_in_the_future_is_refused(client_for, wes, person_a):
    enrollment = EnrollmentFactory(person=person_a)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_for(wes).post(
        reverse("programs:enrollment_finish", args=[enrollment.pk]),
        {"status": "completed", "ended_on": future},
    )
    assert response.status_code == 400
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE


@pytest.mark.parametrize("program", ["workforce", "legal"])
def test_an_enrollment_answering_a_referral_cannot_start_before_it_was_sent(
    client_for, lena, legal_aid, received, program
):
    from django.utils.formats import date_format

    from peacehub.referrals.models import Referral

    sent = timezone.now() - datetime.timedelta(days=10)
    Referral.objects.filter(pk=received.pk).update(created_at=sent)
    staff = lena if program == "legal" else member(legal_aid, Role.WORKFORCE_STAFF)
    person = PersonFactory(
        organization=legal_aid, legal_first_name="Jamal", legal_last_name="Washington"
    )
    client = client_for(staff)
    too_early = (timezone.localdate(sent) - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("programs:enroll", args=[program]),
        {"person": person.pk, "enrolled_on": too_early, "referral_id": received.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["enrolled_on"] == [
        "An enrollment that answers a referral cannot start before the referral was sent "
        f"({date_format(timezone.localdate(sent), 'SHORT_DATE_FORMAT')})."
    ]
    assert not Enrollment.objects.exists()
    # The day it was sent is fine, and without a referral an older day is too.
    on_the_day = timezone.localdate(sent).isoformat()
    response = client.post(
        reverse("programs:enroll", args=[program]),
        {"person": person.pk, "enrolled_on": on_the_day, "referral_id": received.pk},
    )
    assert response.status_code == 302
    assert Enrollment.objects.get().referral == received


def test_the_list_filters_agree_with_the_enrollment_in_spanish(client_for, wes, person_a, settings):
    """In Spanish the filters read Activa / Completada / Todas (la inscripción), as the
    badges do: one context, "enrollment status", for both (not "Completado", the plain
    "Completed" of other pages)."""
    from django.utils import translation

    EnrollmentFactory(
        person=person_a,
        program=Program.WORKFORCE,
        status=EnrollmentStatus.COMPLETED,
        ended_on=timezone.localdate(),
    )
    client = client_for(wes)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(reverse("programs:list", args=["workforce"]) + "?status=completed")
    content = page.content.decode()
    filters = content.split('class="filter-tabs"', 1)[1].split("</nav>", 1)[0]
    with translation.override("es"):
        completed = translation.pgettext("enrollment status", "Completed")
        expected = [
            translation.pgettext("enrollment status", "Active"),
            completed,
            translation.gettext("Exited"),
            translation.pgettext("enrollment status", "All"),
        ]
        plain_completed = translation.gettext("Completed")
        shown = [str(label) for _value, label in page.context["statuses"]]
    assert shown == expected
    for label in expected:
        assert f">{label}</a>" in filters
    assert f'<span class="badge state-completed">{completed}</span>' in content
    assert f">{plain_completed}<" not in content
