"""Milestones, legal matters, sessions and the safety plan: what each accepts, what it
refuses with a clear message (saving nothing), and how it is stored."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.programs.models import (
    Enrollment,
    LegalMatter,
    Program,
    ProgramSession,
    WorkforceMilestone,
)
from peacehub.programs.services import milestone_problems
from peacehub.programs.tests.factories import (
    EnrollmentFactory,
    MatterFactory,
    MilestoneFactory,
    SessionFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db


def iso(days_back: int) -> str:
    return days_ago(days_back).isoformat()


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def wes(org_a):
    return member(org_a, Role.WORKFORCE_STAFF, "wes@example.org", full_name="Wes Workforce")


@pytest.fixture
def workforce(person_a):
    return EnrollmentFactory(person=person_a, program=Program.WORKFORCE, enrolled_on=days_ago(300))


def add_milestone(client, enrollment, **data):
    return client.post(reverse("programs:milestone_add", args=[enrollment.pk]), data)


# --- Workforce ----------------------------------------------------------------------------


def test_the_whole_workforce_path(client_for, wes, workforce):
    client = client_for(wes)
    steps = [
        {"kind": "ged", "achieved_on": iso(290)},
        {"kind": "hope", "achieved_on": iso(280)},
        {"kind": "skill_training", "achieved_on": iso(250), "industry": "construction"},
        {"kind": "skill_training", "achieved_on": iso(240), "industry": "electrical"},
        {"kind": "placed", "achieved_on": iso(200), "employer": "Southside Builders"},
        {"kind": "retained_30", "achieved_on": iso(170)},
        {"kind": "retained_90", "achieved_on": iso(110)},
        {"kind": "retained_180", "achieved_on": iso(20)},
    ]
    for step in steps:
        response = add_milestone(client, workforce, **step)
        assert response.status_code == 302, (step, response.context["milestone_form"].errors)
    kinds = list(workforce.milestones.values_list("kind", flat=True))
    assert kinds == [s["kind"] for s in steps]
    assert AuditEvent.objects.filter(
        action="update", record_id=str(workforce.pk), detail__milestone="placed"
    ).exists()
    page = client.get(reverse("programs:enrollment", args=[workforce.pk])).content.decode()
    assert "Southside Builders" in page
    assert "Retained 180 days" in page


@pytest.mark.parametrize(
    "existing, data, field, message",
    [
        ([], {"kind": "ged", "achieved_on": TOMORROW}, "achieved_on", "cannot be in the future"),
        ([], {"kind": "ged", "achieved_on": iso(400)}, "achieved_on", "before the enrollment"),
        ([], {"kind": "retained_30", "achieved_on": iso(5)}, "kind", "job placement before"),
        (
            [("placed", 100)],
            {"kind": "retained_90", "achieved_on": iso(5)},
            "kind",
            "“Retained 30 days” first",
        ),
        (
            [("placed", 100)],
            {"kind": "retained_30", "achieved_on": iso(80)},
            "achieved_on",
            "30 days in the job are reached on",
        ),
        ([("ged", 100)], {"kind": "ged", "achieved_on": iso(5)}, "kind", "already recorded"),
        ([], {"kind": "skill_training", "achieved_on": iso(5)}, "industry", "Choose the industry"),
        (
            [],
            {"kind": "skill_training", "achieved_on": iso(5), "industry": "welding"},
            "industry",
            "Select a valid choice",
        ),
        ([], {"kind": "placed", "achieved_on": iso(5)}, "employer", "Name the employer"),
        (
            [],
            {"kind": "placed", "achieved_on": iso(5), "employer": "x" * 201},
            "employer",
            "at most 200 characters",
        ),
        ([], {"kind": "parole_check", "achieved_on": iso(5)}, "kind", "Select a valid choice"),
    ],
)
def test_bad_milestones_save_nothing(client_for, wes, workforce, existing, data, field, message):
    for kind, back in existing:
        MilestoneFactory(
            enrollment=workforce,
            kind=kind,
            achieved_on=days_ago(back),
            employer="Acme" if kind == "placed" else "",
        )
    before = WorkforceMilestone.objects.count()
    response = add_milestone(client_for(wes), workforce, **data)
    assert response.status_code == 400
    assert message in " ".join(response.context["milestone_form"].errors[field])
    assert WorkforceMilestone.objects.count() == before


def test_dates_in_milestone_messages_read_as_the_pages_show_them(client_for, wes, workforce):
    """Not 2025-06-01: the short date of the page's language."""
    placed = MilestoneFactory(
        enrollment=workforce, kind="placed", achieved_on=days_ago(100), employer="Acme"
    )
    due = placed.achieved_on + datetime.timedelta(days=30)
    client = client_for(wes)
    response = add_milestone(client, workforce, kind="retained_30", achieved_on=iso(80))
    assert response.context["milestone_form"].errors["achieved_on"] == [
        f"30 days in the job are reached on {date_format(due, 'SHORT_DATE_FORMAT')} at the "
        f"earliest (started {date_format(placed.achieved_on, 'SHORT_DATE_FORMAT')})."
    ]
    response = add_milestone(client, workforce, kind="ged", achieved_on=iso(400))
    assert response.context["milestone_form"].errors["achieved_on"] == [
        "This date comes before the enrollment "
        f"({date_format(workforce.enrolled_on, 'SHORT_DATE_FORMAT')})."
    ]
    assert workforce.enrolled_on.isoformat() not in response.content.decode()
    with translation.override("es"):
        problems = milestone_problems(workforce, {"kind": "ged", "achieved_on": days_ago(400)}, [])
        spanish_day = date_format(workforce.enrolled_on, "SHORT_DATE_FORMAT")
    assert spanish_day in problems["achieved_on"]
    assert workforce.enrolled_on.isoformat() not in problems["achieved_on"]


def test_a_milestone_in_1901_is_refused_even_on_an_enrollment_that_old(client_for, wes, person_a):
    # Recorded before enrollments had to start in this century.
    old = EnrollmentFactory(
        person=person_a, program=Program.WORKFORCE, enrolled_on=datetime.date(1901, 1, 1)
    )
    response = add_milestone(client_for(wes), old, kind="ged", achieved_on="1901-06-01")
    assert response.status_code == 400
    assert response.context["milestone_form"].errors["achieved_on"] == [
        "This date is too far in the past: check the year."
    ]
    assert not WorkforceMilestone.objects.exists()


def test_the_same_skill_training_is_not_recorded_twice(client_for, wes, workforce):
    client = client_for(wes)
    data = {"kind": "skill_training", "achieved_on": iso(10), "industry": "plumbing"}
    assert add_milestone(client, workforce, **data).status_code == 302
    again = add_milestone(client, workforce, **data)
    assert again.status_code == 400
    assert again.context["milestone_form"].errors["industry"] == [
        "This training is already recorded."
    ]


def test_a_milestone_on_a_legal_enrollment_does_not_exist(client_for, org_a, person_a):
    legal = EnrollmentFactory(person=person_a, program=Program.LEGAL)
    lawyer = member(org_a, Role.LEGAL_STAFF)
    response = add_milestone(client_for(lawyer), legal, kind="ged", achieved_on=iso(1))
    assert response.status_code == 404
    assert not WorkforceMilestone.objects.exists()


# --- Legal aid ----------------------------------------------------------------------------


@pytest.fixture
def lee(org_a):
    return member(org_a, Role.LEGAL_STAFF, "lee@example.org", full_name="Lee Lawyer")


@pytest.fixture
def legal(person_a):
    return EnrollmentFactory(person=person_a, program=Program.LEGAL, enrolled_on=days_ago(200))


def test_a_matter_from_opening_to_closing(client_for, lee, legal):
    client = client_for(lee)
    opened = client.post(
        reverse("programs:matter_add", args=[legal.pk]),
        {"matter_type": "crime_victim", "opened_on": iso(100), "notes": "Victim comp claim"},
    )
    assert opened.status_code == 302
    matter = LegalMatter.objects.get()
    prefix = f"matter-{matter.pk}"
    closed = client.post(
        reverse("programs:matter_update", args=[legal.pk, matter.pk]),
        {
            f"{prefix}-status": "closed",
            f"{prefix}-closed_on": iso(10),
            f"{prefix}-outcome": "resolved_favorably",
            f"{prefix}-outcome_note": "Claim paid in full",
            f"{prefix}-notes": "Victim comp claim",
        },
    )
    assert closed.status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.outcome, matter.outcome_note) == (
        "closed",
        "resolved_favorably",
        "Claim paid in full",
    )
    event = AuditEvent.objects.filter(action="update", record_id=str(matter.pk)).get()
    assert set(event.detail["fields"]) == {"status", "closed_on", "outcome", "outcome_note"}
    assert "Claim paid" not in str(event.detail)


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"status": "closed", "closed_on": "OPENED-1", "outcome": "settled"},
            "closed_on",
            "cannot close before it was opened",
        ),
        (
            {"status": "closed", "closed_on": TOMORROW, "outcome": "settled"},
            "closed_on",
            "cannot close in the future",
        ),
        (
            {"status": "closed", "outcome": "settled"},
            "closed_on",
            "Give the date the matter closed: it is required when closing the matter.",
        ),
        (
            {"status": "closed", "closed_on": "OPENED"},
            "outcome",
            "Give the outcome of the matter: it is required when closing the matter.",
        ),
        ({"status": "archived"}, "status", "Select a valid choice"),
        ({"status": "open", "notes": "n" * 2001}, "notes", "at most 2000 characters"),
    ],
)
def test_bad_matter_updates_save_nothing(client_for, lee, legal, data, field, message):
    matter = MatterFactory(enrollment=legal, opened_on=days_ago(50), notes="kept")
    opened = matter.opened_on
    replace = {
        "OPENED-1": (opened - datetime.timedelta(days=1)).isoformat(),
        "OPENED": opened.isoformat(),
    }
    prefix = f"matter-{matter.pk}"
    response = client_for(lee).post(
        reverse("programs:matter_update", args=[legal.pk, matter.pk]),
        {f"{prefix}-{k}": replace.get(v, v) for k, v in data.items()},
    )
    assert response.status_code == 400
    form = next(m.form for m in response.context["matters"] if m.pk == matter.pk)
    assert message in " ".join(form.errors[field])
    matter.refresh_from_db()
    assert (matter.status, matter.closed_on, matter.notes) == ("open", None, "kept")


def _label(page: str, field_id: str) -> str:
    return page.split(f'for="{field_id}"', 1)[1].split("</label>", 1)[0]


def test_fields_required_for_closing_say_so(client_for, lee, legal):
    """The closing date and the outcome are asked for only when closing: never labelled
    optional, their help says when they are required; the same for the reason for
    leaving a program."""
    matter = MatterFactory(enrollment=legal, opened_on=days_ago(5))
    page = client_for(lee).get(reverse("programs:enrollment", args=[legal.pk])).content.decode()
    for field in ("closed_on", "outcome"):
        assert "optional" not in _label(page, f"id_matter-{matter.pk}-{field}")
    assert page.count("Required when closing the matter.") == 2
    assert "optional" not in _label(page, "id_exit_reason")
    assert "Required when the person left before completing." in page


def test_a_matter_cannot_open_before_the_enrollment(client_for, lee, legal):
    response = client_for(lee).post(
        reverse("programs:matter_add", args=[legal.pk]),
        {"matter_type": "housing", "opened_on": iso(365)},
    )
    assert response.status_code == 400
    assert not LegalMatter.objects.exists()


# --- Sessions -----------------------------------------------------------------------------


def test_a_clinician_records_a_session_for_a_colleague(client_for, org_a, person_a):
    bh = EnrollmentFactory(person=person_a, program=Program.BEHAVIORAL_HEALTH)
    clinician = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN, full_name="Clara Clinician")
    colleague = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN, full_name="Cole Colleague")
    response = client_for(clinician).post(
        reverse("programs:session_add", args=[bh.pk]),
        {
            "held_on": iso(2),
            "format": "family",
            "language": "es",
            "minutes": "75",
            "staff": colleague.pk,
            "note": "Sesión familiar",
        },
    )
    assert response.status_code == 302
    session = ProgramSession.objects.get()
    assert (session.staff, session.recorded_by, session.language) == (colleague, clinician, "es")


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"held_on": TOMORROW}, "held_on", "cannot be in the future"),
        ({"minutes": "0"}, "minutes", "greater than or equal to 1"),
        ({"minutes": "600"}, "minutes", "less than or equal to 480"),
        ({"language": "fr"}, "language", "Select a valid choice"),
        ({"staff": "SUPERVISOR"}, "staff", "Choose a member of the program's staff"),
        ({"note": "n" * 2001}, "note", "at most 2000 characters"),
    ],
)
def test_bad_sessions_save_nothing(client_for, org_a, bob, person_a, data, field, message):
    bh = EnrollmentFactory(person=person_a, program=Program.BEHAVIORAL_HEALTH)
    clinician = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN)
    post = {
        "held_on": iso(1),
        "format": "individual",
        "language": "en",
        "minutes": "50",
        "staff": clinician.pk,
        **data,
    }
    if post["staff"] == "SUPERVISOR":
        post["staff"] = bob.pk  # a supervisor is not a clinician
    response = client_for(clinician).post(reverse("programs:session_add", args=[bh.pk]), post)
    assert response.status_code == 400
    assert message in " ".join(response.context["session_form"].errors[field])
    assert not ProgramSession.objects.exists()


def test_the_ipv_program_holds_no_family_sessions(client_for, org_a, person_a):
    ipv = EnrollmentFactory(person=person_a, program=Program.IPV)
    staff = member(org_a, Role.IPV_STAFF)
    response = client_for(staff).post(
        reverse("programs:session_add", args=[ipv.pk]),
        {
            "held_on": iso(1),
            "format": "family",
            "language": "en",
            "minutes": "90",
            "staff": staff.pk,
        },
    )
    assert response.status_code == 400
    assert "format" in response.context["session_form"].errors
    assert not ProgramSession.objects.exists()


def test_bh_session_notes_are_for_clinicians_only(client_for, org_a, bob, person_a):
    bh = EnrollmentFactory(person=person_a, program=Program.BEHAVIORAL_HEALTH)
    clinician = member(org_a, Role.BEHAVIORAL_HEALTH_CLINICIAN)
    SessionFactory(enrollment=bh, staff=clinician, note="Talked about the funeral")
    url = reverse("programs:enrollment", args=[bh.pk])
    assert "Talked about the funeral" in client_for(clinician).get(url).content.decode()
    supervisor_page = client_for(bob).get(url)
    assert supervisor_page.status_code == 200
    assert "Talked about the funeral" not in supervisor_page.content.decode()
    assert "1 session" in supervisor_page.content.decode()


# --- The safety plan ------------------------------------------------------------------------


@pytest.fixture
def ipv(person_a):
    return EnrollmentFactory(person=person_a, program=Program.IPV)


def test_ipv_staff_write_the_safety_plan(client_for, org_a, ipv):
    staff = member(org_a, Role.IPV_STAFF)
    client = client_for(staff)
    page = client.get(reverse("programs:enrollment", args=[ipv.pk])).content.decode()
    assert "Record only what safety requires" in page
    assert "Never the survivor" in page
    response = client.post(
        reverse("programs:safety_plan", args=[ipv.pk]),
        {"safety_plan": "Respects the no-contact order; firearms surrendered."},
    )
    assert response.status_code == 302
    ipv.refresh_from_db()
    assert ipv.safety_plan == "Respects the no-contact order; firearms surrendered."
    assert ipv.safety_plan_updated_by == staff
    event = AuditEvent.objects.get(action="update", record_id=str(ipv.pk))
    assert event.detail == {"fields": ["safety_plan"]}


def test_an_oversized_safety_plan_saves_nothing(client_for, org_a, ipv):
    staff = member(org_a, Role.IPV_STAFF)
    response = client_for(staff).post(
        reverse("programs:safety_plan", args=[ipv.pk]), {"safety_plan": "x" * 4001}
    )
    assert response.status_code == 400
    assert "at most 4000 characters" in str(response.context["safety_plan_form"].errors)
    ipv.refresh_from_db()
    assert ipv.safety_plan == ""


def test_a_safety_plan_on_another_program_does_not_exist(client_for, org_a, person_a):
    workforce = EnrollmentFactory(person=person_a, program=Program.WORKFORCE)
    staff = member(org_a, Role.WORKFORCE_STAFF)
    response = client_for(staff).post(
        reverse("programs:safety_plan", args=[workforce.pk]), {"safety_plan": "x"}
    )
    assert response.status_code == 404


# --- Storage ----------------------------------------------------------------------------------


def _stored(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (our own names)
        return [value for (value,) in cursor.fetchall() if value]


def test_sensitive_text_is_encrypted_in_the_database(person_a):
    ipv = EnrollmentFactory(
        person=person_a, program=Program.IPV, safety_plan="No contact with the survivor"
    )
    SessionFactory(enrollment=ipv, format="group", note="Named the control pattern")
    SessionFactory(note="Grief after the shooting")
    MatterFactory(notes="Landlord retaliation", outcome_note="Case dismissed")
    for table, column, plain in [
        (Enrollment._meta.db_table, "safety_plan", ["No contact"]),
        (ProgramSession._meta.db_table, "note", ["control pattern", "Grief"]),
        (LegalMatter._meta.db_table, "notes", ["Landlord"]),
        (LegalMatter._meta.db_table, "outcome_note", ["dismissed"]),
    ]:
        stored = _stored(table, column)
        assert stored, table
        for value in stored:
            assert value.startswith("fernet:"), (table, column)
            assert not any(text in value for text in plain)
    ipv.refresh_from_db()
    assert ipv.safety_plan == "No contact with the survivor"


def _first_option(page: str, name: str) -> str:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return select.split("<option", 2)[1].split("</option>", 1)[0]


def test_the_milestone_kind_starts_unchosen_and_must_be_chosen(client_for, wes, workforce):
    client = client_for(wes)
    page = client.get(reverse("programs:enrollment", args=[workforce.pk])).content.decode()
    assert _first_option(page, "kind") == ' value="" selected>Choose…'
    response = add_milestone(client, workforce, kind="", achieved_on=iso(5))
    assert response.status_code == 400
    assert response.context["milestone_form"].errors["kind"] == ["This field is required."]
    assert not WorkforceMilestone.objects.exists()


def test_the_matter_type_starts_unchosen_and_must_be_chosen(client_for, lee, legal):
    client = client_for(lee)
    page = client.get(reverse("programs:enrollment", args=[legal.pk])).content.decode()
    assert _first_option(page, "matter_type") == ' value="" selected>Choose…'
    response = client.post(
        reverse("programs:matter_add", args=[legal.pk]),
        {"matter_type": "", "opened_on": iso(1)},
    )
    assert response.status_code == 400
    assert response.context["matter_form"].errors["matter_type"] == ["This field is required."]
    assert not LegalMatter.objects.exists()
