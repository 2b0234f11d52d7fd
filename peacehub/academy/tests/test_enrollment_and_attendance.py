import csv
import html
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from peacehub.academy.models import Attendance, Enrollment, Trainee, TraineeCategory
from peacehub.academy.tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    SessionFactory,
    TraineeFactory,
    attend,
    sessions_for,
)
from peacehub.accounts.models import Membership, User
from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- Enrollment ------------------------------------------------------------------------


def test_a_trainer_enrolls_a_staff_member_of_any_partner(client_for, tara, cohort, alice):
    memberships_before = list(Membership.objects.values_list("pk", "role"))
    client = client_for(tara)
    assert client.get(reverse("academy:enroll", args=[cohort.pk])).status_code == 200
    response = client.post(
        reverse("academy:enroll_staff", args=[cohort.pk]), {"email": "Alice@Example.org"}
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert enrollment.trainee.user == alice
    assert enrollment.trainee.category == TraineeCategory.STAFF
    assert enrollment.trainee.organization == cohort.organization
    assert list(Membership.objects.values_list("pk", "role")) == memberships_before


@pytest.mark.parametrize(
    "email, message",
    [
        ("nobody@example.org", "No coalition staff member"),
        ("officer.reyes@example.org", "No coalition staff member"),  # a trainee's sign-in
        ("not an email", "valid email"),
    ],
)
def test_enrolling_staff_needs_a_staff_address(client_for, tara, cohort, officer, email, message):
    before = Enrollment.objects.count()
    response = client_for(tara).post(
        reverse("academy:enroll_staff", args=[cohort.pk]), {"email": email}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Enrollment.objects.count() == before


def test_enrolling_twice_is_refused(client_for, tara, cohort, alice):
    client = client_for(tara)
    client.post(reverse("academy:enroll_staff", args=[cohort.pk]), {"email": alice.email})
    response = client.post(
        reverse("academy:enroll_staff", args=[cohort.pk]), {"email": alice.email}
    )
    assert response.status_code == 400
    assert "already enrolled" in response.content.decode()
    assert Enrollment.objects.count() == 1


def _outside(**changes):
    return {
        "full_name": "Officer Dana Whitfield",
        "category": "police_officer",
        "agency": "District 7",
        "email": "dwhitfield@example.org",
        "preferred_language": "en",
        **changes,
    }


def test_a_police_officer_is_a_trainee_never_a_member(
    client_for, tara, police_cohort, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()
    memberships_before = Membership.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tara).post(
            reverse("academy:enroll_outside", args=[police_cohort.pk]),
            _outside(give_sign_in="on"),
        )
    assert response.status_code == 302
    trainee = Trainee.objects.get(full_name="Officer Dana Whitfield")
    assert trainee.category == TraineeCategory.POLICE_OFFICER
    assert trainee.user is not None
    assert not trainee.user.memberships.exists()
    assert not trainee.user.has_usable_password()
    assert not trainee.user.is_staff
    assert User.objects.count() == users_before + 1
    assert Membership.objects.count() == memberships_before
    # The sign-in link sets a password and leads to the record.
    [message] = mail.outbox
    assert message.to == ["dwhitfield@example.org"]
    assert "/accounts/password-reset/" in message.body
    assert reverse("academy:my_training") in message.body


def test_the_sign_in_email_goes_through_smtp(client_for, tara, police_cohort, smtp_inbox):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(tara).post(
            reverse("academy:enroll_outside", args=[police_cohort.pk]),
            _outside(give_sign_in="on", preferred_language="es"),
        )
    [message] = smtp_inbox.messages
    assert message["To"] == "dwhitfield@example.org"


def test_no_enrollment_form_offers_a_role_or_an_organization(client_for, tara, cohort):
    response = client_for(tara).get(reverse("academy:enroll", args=[cohort.pk]))
    forms = [response.context["staff_form"], response.context["outside_form"]]
    fields = {name for form in forms for name in form.fields}
    assert not fields & {"role", "organization", "membership", "is_staff"}
    assert "staff" not in dict(response.context["outside_form"].fields["category"].choices)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"category": "staff"}, "category", "valid choice"),
        ({"category": "police"}, "category", "valid choice"),
        ({"category": "supervisor"}, "category", "valid choice"),
        ({"full_name": ""}, "full_name", "required"),
        ({"email": "", "give_sign_in": "on"}, "email", "needs the trainee's email"),
        ({"email": "bad"}, "email", "valid email"),
        ({"phone": "call me"}, "phone", "7 to 15 digits"),
        ({"email": "alice@example.org"}, "email", "belongs to coalition staff"),
    ],
)
def test_a_bad_outside_trainee_is_refused_and_nothing_saved(
    client_for, tara, cohort, alice, changes, field, message
):
    users_before = User.objects.count()
    response = client_for(tara).post(
        reverse("academy:enroll_outside", args=[cohort.pk]), _outside(**changes)
    )
    assert response.status_code == 400
    errors = response.context["outside_form"].errors[field]
    assert any(message in e for e in errors), errors
    assert not Trainee.objects.exists()
    assert User.objects.count() == users_before


def test_a_known_outside_trainee_is_found_by_address(client_for, tara, cohort, police_cohort):
    client = client_for(tara)
    client.post(reverse("academy:enroll_outside", args=[police_cohort.pk]), _outside())
    client.post(reverse("academy:enroll_outside", args=[cohort.pk]), _outside())
    assert Trainee.objects.count() == 1
    assert Enrollment.objects.count() == 2


def test_a_trainer_sends_a_sign_in_later_and_withdraws(
    client_for, tara, cohort, django_capture_on_commit_callbacks
):
    enrollment = EnrollmentFactory(cohort=cohort, trainee__email="maya@example.org")
    client = client_for(tara)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("academy:enrollment_sign_in", args=[enrollment.pk]))
    assert response.status_code == 302
    enrollment.trainee.refresh_from_db()
    assert enrollment.trainee.user.email == "maya@example.org"
    assert not enrollment.trainee.user.memberships.exists()
    assert len(mail.outbox) == 1

    response = client.post(reverse("academy:enrollment_withdraw", args=[enrollment.pk]))
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.withdrawn_on is not None


def test_a_sign_in_needs_an_address(client_for, tara, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, trainee__email="")
    response = client_for(tara).post(reverse("academy:enrollment_sign_in", args=[enrollment.pk]))
    assert response.status_code == 302
    enrollment.trainee.refresh_from_db()
    assert enrollment.trainee.user is None
    assert not User.objects.filter(full_name=enrollment.trainee.full_name).exists()


def test_enrollment_writes_are_404_for_other_organizations_and_403_for_the_trainee(
    client, tara, trent, cohort, convener, officer
):
    enrollment = Enrollment.objects.get(trainee__user=officer)
    supervisor = member(convener, Role.SUPERVISOR)
    for user, expected in [(trent, 404), (supervisor, 403), (officer, 403)]:
        client.force_login(user)
        for name in ["academy:enrollment_withdraw", "academy:enrollment_sign_in"]:
            response = client.post(reverse(name, args=[enrollment.pk]))
            assert response.status_code == expected, (user, name)
    client.force_login(trent)
    response = client.post(reverse("academy:enroll_outside", args=[cohort.pk]), _outside())
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.withdrawn_on is None
    assert not Trainee.objects.filter(full_name="Officer Dana Whitfield").exists()


# --- Attendance --------------------------------------------------------------------------


def _sheet(*rows):
    data = {}
    for enrollment, present, hours in rows:
        if present:
            data[f"present-{enrollment.pk.hex}"] = "on"
        if hours is not None:
            data[f"hours-{enrollment.pk.hex}"] = hours
    return data


def test_a_trainer_takes_attendance_with_partial_hours(client_for, tara, cohort):
    session = SessionFactory(cohort=cohort, hours=Decimal(4))
    full, partial, absent = (EnrollmentFactory(cohort=cohort) for _ in range(3))
    client = client_for(tara)
    page = client.get(reverse("academy:session", args=[session.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="list", record_id=str(cohort.pk)).exists()

    response = client.post(
        reverse("academy:session", args=[session.pk]),
        _sheet((full, True, None), (partial, True, "2.5"), (absent, False, "4")),
    )
    assert response.status_code == 302
    credited = {a.enrollment_id: (a.present, a.hours_credited) for a in Attendance.objects.all()}
    assert credited == {
        full.pk: (True, Decimal(4)),
        partial.pk: (True, Decimal("2.5")),
        absent.pk: (False, Decimal(0)),
    }
    event = AuditEvent.objects.get(action="update", record_id=str(session.pk))
    assert set(event.detail["attendance_of"]) == {str(full.pk), str(partial.pk), str(absent.pk)}

    # A correction changes the row, never adds one.
    client.post(reverse("academy:session", args=[session.pk]), _sheet((partial, True, "3")))
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(enrollment=partial).hours_credited == 3
    assert Attendance.objects.get(enrollment=full).present is False


@pytest.mark.parametrize(
    "hours, message",
    [
        ("4.5", "No more than the session's 4 hours"),
        ("30", "No more than the session's 4 hours"),
        ("-1", "cannot be negative"),
        ("lots", "Enter a number"),
    ],
)
def test_bad_attendance_is_refused_and_nothing_saved(client_for, tara, cohort, hours, message):
    session = SessionFactory(cohort=cohort, hours=Decimal(4))
    good, bad = EnrollmentFactory(cohort=cohort), EnrollmentFactory(cohort=cohort)
    response = client_for(tara).post(
        reverse("academy:session", args=[session.pk]),
        _sheet((good, True, None), (bad, True, hours)),
    )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert b"Nothing was saved" in response.content
    assert not Attendance.objects.exists()


def test_attendance_of_another_organization_is_404(client, trent, cohort, convener):
    session = SessionFactory(cohort=cohort)
    enrollment = EnrollmentFactory(cohort=cohort)
    client.force_login(trent)
    response = client.post(
        reverse("academy:session", args=[session.pk]), _sheet((enrollment, True, None))
    )
    assert response.status_code == 404
    client.force_login(member(convener, Role.CONVENER_STAFF))
    assert client.get(reverse("academy:session", args=[session.pk])).status_code == 403
    assert not Attendance.objects.exists()


def test_a_withdrawn_trainee_is_not_on_the_sheet(client_for, tara, cohort):
    session = SessionFactory(cohort=cohort)
    stays = EnrollmentFactory(cohort=cohort)
    EnrollmentFactory(cohort=cohort, withdrawn_on=cohort.starts_on, trainee__full_name="Gone Away")
    response = client_for(tara).get(reverse("academy:session", args=[session.pk]))
    assert [e.pk for e in response.context["form"].enrollments] == [stays.pk]
    assert "Gone Away" not in response.content.decode()


# --- Completion and certificate -----------------------------------------------------------


def test_completion_when_hours_reach_the_requirement(client_for, tara, cohort):
    """Completion rule: as soon as the credited hours reach the course's required hours,
    dated by the session that got there, whether or not the cohort has ended."""
    sessions = sessions_for(cohort, 37, hours=Decimal(4))  # 148 hours scheduled
    enrollment = EnrollmentFactory(cohort=cohort, trainee__full_name="Andre Lewis")
    attend(enrollment, sessions[:35])  # 140 hours
    client = client_for(tara)
    # 140 + 2 = 142: not yet.
    client.post(reverse("academy:session", args=[sessions[35].pk]), _sheet((enrollment, True, "2")))
    enrollment.refresh_from_db()
    assert enrollment.completed_on is None
    assert client.get(reverse("academy:certificate", args=[enrollment.pk])).status_code == 404

    response = client.post(
        reverse("academy:session", args=[sessions[36].pk]), _sheet((enrollment, True, None))
    )
    enrollment.refresh_from_db()
    assert enrollment.completed_on == sessions[36].held_on
    assert enrollment.completed_on < cohort.ends_on
    assert (
        enrollment.certificate_number
        == f"PA-{sessions[36].held_on:%Y}-{enrollment.pk.hex[:8].upper()}"
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Andre Lewis has completed the course." in messages

    # A correction below the requirement withdraws it; the number is kept for later.
    client.post(
        reverse("academy:session", args=[sessions[36].pk]), _sheet((enrollment, False, None))
    )
    enrollment.refresh_from_db()
    assert enrollment.completed_on is None
    assert enrollment.certificate_number is not None
    assert client.get(reverse("academy:certificate", args=[enrollment.pk])).status_code == 404


def test_the_certificate_page(client_for, tara, cohort):
    sessions = sessions_for(cohort, 36, hours=Decimal(4))
    enrollment = EnrollmentFactory(cohort=cohort, trainee__full_name="Andre Lewis")
    attend(enrollment, sessions)
    from peacehub.academy.services import enrollment_completion_update

    enrollment_completion_update(enrollment)
    response = client_for(tara).get(reverse("academy:certificate", args=[enrollment.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Andre Lewis",
        "Signature Outreach Training",
        "144 hours of training",
        "Tara Trainer",
        enrollment.certificate_number,
        "data-print",
    ]:
        assert text in content, text
    assert AuditEvent.objects.filter(action="print", record_id=str(enrollment.pk)).exists()


# --- Roster export ----------------------------------------------------------------------


def test_the_roster_export(client_for, tara, cohort):
    session = SessionFactory(cohort=cohort)
    enrollment = EnrollmentFactory(
        cohort=cohort,
        trainee=TraineeFactory(
            organization=cohort.organization, full_name="=HYPERLINK(1)", phone="555-0100"
        ),
    )
    AttendanceFactory(session=session, enrollment=enrollment)
    EnrollmentFactory(cohort=cohort, trainee__full_name="Zed Zimmer")
    response = client_for(tara).get(reverse("academy:roster_export", args=[cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Trainee"
    assert rows[1][0] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert rows[1][5:8] == ["1", "4", "144"]
    assert rows[2][0] == "Zed Zimmer"
    event = AuditEvent.objects.get(action="export", record_id=str(cohort.pk))
    assert len(event.detail["trainee_ids"]) == 2
