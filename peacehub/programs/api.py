"""The programs in the JSON API: enrollments and workforce milestones, through the same
access module and the same forms as the pages. A restricted field the caller may not
read is null, and named in `withheld`."""

import datetime
from uuid import UUID

from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja import Status as Reply

from peacehub.accounts.access import has_permission, organization_ids_with
from peacehub.accounts.roles import Permission
from peacehub.api_helpers import (
    Day,
    ErrorOut,
    InputSchema,
    choice,
    forbidden,
    form_payload,
    invalid,
    page_of,
    role_required,
)
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.forms import NOT_SAVED, save_valid
from peacehub.people.models import Person
from peacehub.programs import services
from peacehub.programs.access import (
    can_read_legal_notes,
    can_read_safety_plan,
    can_read_session_notes,
    can_read_sessions,
    enrollments_visible_to,
    get_enrollment_for_user,
    get_enrollment_to_manage,
    program_permission,
)
from peacehub.programs.forms import EnrollmentForm, MilestoneForm
from peacehub.programs.models import Enrollment, EnrollmentStatus, Industry, MilestoneKind, Program

router = Router(tags=["programs"])


# What the page's form always requires is required here too, so that the schema says
# so; a field missing is refused before the form is read (peacehub.api). A field the
# form requires for one choice only (the IPV program's voluntary confirmation, a skill
# training's industry, a job placement's employer) stays optional.
class EnrollmentIn(InputSchema):
    # Strings, not UUIDs: a malformed id gets the form's answer, the same as a stranger's.
    person: str
    program: str
    # Today when not given.
    enrolled_on: Day | None = None
    referral_id: str | None = None
    voluntary_confirmed: bool | None = None


class MilestoneIn(InputSchema):
    kind: choice(MilestoneKind)
    achieved_on: Day
    industry: choice(Industry) | None = None
    employer: str | None = None


class MilestoneOut(Schema):
    id: UUID
    kind: str
    achieved_on: datetime.date
    industry: str
    employer: str


class MatterOut(Schema):
    id: UUID
    matter_type: str
    status: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    # Legal staff only; null for everyone else.
    outcome: str | None
    outcome_note: str | None
    notes: str | None


class SessionOut(Schema):
    id: UUID
    held_on: datetime.date
    format: str
    language: str
    minutes: int
    staff: UUID
    # The program's own staff only; null for everyone else.
    note: str | None


class EnrollmentOut(Schema):
    id: UUID
    organization: UUID
    person: UUID
    program: str
    status: str
    enrolled_on: datetime.date
    ended_on: datetime.date | None
    exit_reason: str
    referral_id: UUID | None


class EnrollmentDetailOut(EnrollmentOut):
    milestones: list[MilestoneOut] = []
    matters: list[MatterOut] = []
    # The program's own staff see `sessions`; others who follow progress see only
    # `session_count` and `last_session_on`.
    sessions: list[SessionOut] = []
    session_count: int | None = None
    last_session_on: datetime.date | None = None
    # IPV staff only; null for everyone else.
    safety_plan: str | None = None
    # The restricted fields left null because the caller may not read them.
    withheld: list[str] = []


class EnrollmentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EnrollmentOut]


def _enrollment_out(enrollment: Enrollment) -> dict:
    return {
        "id": enrollment.pk,
        "organization": enrollment.organization_id,
        "person": enrollment.person_id,
        "program": enrollment.program,
        "status": enrollment.status,
        "enrolled_on": enrollment.enrolled_on,
        "ended_on": enrollment.ended_on,
        "exit_reason": enrollment.exit_reason,
        "referral_id": enrollment.referral_id,
    }


def _milestone_out(milestone) -> dict:
    return {
        "id": milestone.pk,
        "kind": milestone.kind,
        "achieved_on": milestone.achieved_on,
        "industry": milestone.industry,
        "employer": milestone.employer,
    }


def _detail_out(user, enrollment: Enrollment) -> dict:
    data = _enrollment_out(enrollment)
    withheld: list[str] = []
    program = enrollment.program
    if program == Program.WORKFORCE:
        data["milestones"] = [_milestone_out(m) for m in enrollment.milestones.all()]
    elif program == Program.LEGAL:
        legal = can_read_legal_notes(user, enrollment)
        if not legal:
            withheld += ["matters.outcome", "matters.outcome_note", "matters.notes"]
        data["matters"] = [
            {
                "id": m.pk,
                "matter_type": m.matter_type,
                "status": m.status,
                "opened_on": m.opened_on,
                "closed_on": m.closed_on,
                "outcome": m.outcome if legal else None,
                "outcome_note": m.outcome_note if legal else None,
                "notes": m.notes if legal else None,
            }
            for m in enrollment.matters.all()
        ]
    elif can_read_sessions(user, enrollment):
        notes = can_read_session_notes(user, enrollment)
        data["sessions"] = [
            {
                "id": s.pk,
                "held_on": s.held_on,
                "format": s.format,
                "language": s.language,
                "minutes": s.minutes,
                "staff": s.staff_id,
                "note": s.note if notes else None,
            }
            for s in enrollment.sessions.all()
        ]
    else:
        # Attendance only: how many sessions, and the last one.
        attendance = enrollment.sessions.aggregate(count=Count("pk"), last=Max("held_on"))
        data["session_count"], data["last_session_on"] = attendance["count"], attendance["last"]
        withheld.append("sessions")
    if program == Program.IPV:
        if can_read_safety_plan(user, enrollment):
            data["safety_plan"] = enrollment.safety_plan
        else:
            withheld.append("safety_plan")
    data["withheld"] = withheld
    return data


@router.get(
    "/programs/enrollments",
    response={200: EnrollmentPage, 400: ErrorOut, 403: ErrorOut},
    auth=role_required(
        Permission.VIEW_PROGRAM_PROGRESS, gettext_lazy("Your role cannot see program enrollments.")
    ),
)
def enrollment_list(
    request: HttpRequest,
    program: str | None = None,
    person: UUID | None = None,
    status: str | None = None,
    page: int = 1,
):
    if program is not None and program not in Program.values:
        return invalid({"program": [_("Choose workforce, legal, behavioral_health or ipv.")]})
    if status is not None and status not in EnrollmentStatus.values:
        return invalid({"status": [_("Choose active, completed or exited.")]})
    enrollments = enrollments_visible_to(request.user, program)
    if person is not None:
        enrollments = enrollments.filter(person_id=person)
    if status is not None:
        enrollments = enrollments.filter(status=status)
    enrollments = enrollments.order_by("-enrolled_on", "-created_at")
    shown, numbers = page_of(enrollments, page, enrollments.count())
    audit_listing(
        request,
        AuditAction.LIST,
        shown,
        record_type="programs.enrollment",
        via="api",
        people=[str(e.person_id) for e in shown],
    )
    return Reply(200, {**numbers, "results": [_enrollment_out(e) for e in shown]})


@router.get(
    "/programs/enrollments/{id:enrollment_id}",
    response={200: EnrollmentDetailOut, 403: ErrorOut, 404: ErrorOut},
)
def enrollment_read(request: HttpRequest, enrollment_id: UUID):
    enrollment = get_enrollment_for_user(request, enrollment_id)
    return Reply(200, _detail_out(request.user, enrollment))


@router.post(
    "/programs/enrollments",
    response={201: EnrollmentDetailOut, 400: ErrorOut, 403: ErrorOut},
)
def enrollment_create(request: HttpRequest, payload: EnrollmentIn):
    data = form_payload(payload)
    program = data.pop("program", "")
    if program not in Program.values:
        return invalid({"program": [_("Choose workforce, legal, behavioral_health or ipv.")]})
    permission = program_permission(program)
    if not has_permission(request.user, permission):
        return forbidden(_("Your role cannot enroll people in this program."))
    people = Person.objects.visible_to(request.user).filter(
        organization_id__in=organization_ids_with(request.user, permission)
    )
    data.setdefault("enrolled_on", timezone.localdate().isoformat())
    form = EnrollmentForm(data, program=program, people=people)
    enrollment = save_valid(
        form,
        lambda data: services.enrollment_create(
            request=request,
            organization=data["person"].organization,
            data={**data, "program": program},
        ),
    )
    if enrollment is NOT_SAVED:
        return invalid(form.errors)
    return Reply(201, _detail_out(request.user, enrollment))


@router.post(
    "/programs/enrollments/{id:enrollment_id}/milestones",
    response={201: MilestoneOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def milestone_create(request: HttpRequest, enrollment_id: UUID, payload: MilestoneIn):
    enrollment = get_enrollment_to_manage(request, enrollment_id, Program.WORKFORCE)
    form = MilestoneForm(form_payload(payload), enrollment=enrollment)
    milestone = save_valid(
        form,
        lambda data: services.milestone_add(request=request, enrollment=enrollment, data=data),
    )
    if milestone is NOT_SAVED:
        return invalid(form.errors)
    return Reply(201, _milestone_out(milestone))
