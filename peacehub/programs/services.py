"""Every write of the programs, with its audit event, inside one transaction. The
rules that hold whatever the caller (a page, the API, the demo) live here; the forms
repeat the simple ones so that a person sees every problem at once."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacehub.accounts.access import has_permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.dates import (
    EARLIEST_RECORD_DAY,
    TOO_FAR_IN_THE_PAST,
    reject_before,
    reject_future_day,
)
from peacehub.people.models import Person
from peacehub.programs.access import program_permission
from peacehub.programs.models import (
    RETENTION,
    Enrollment,
    EnrollmentStatus,
    LegalMatter,
    MatterStatus,
    MilestoneKind,
    Program,
    ProgramSession,
    SessionFormat,
    WorkforceMilestone,
)
from peacehub.referrals.access import referrals_received_by
from peacehub.referrals.models import ENROLLABLE_STATUSES, Referral
from peacehub.services.services import text_words

# West Englewood, Englewood, Chicago Lawn and South Chicago: the community areas of the
# IPV pilot (DESIGN.md). Another city names its own in settings.IPV_PILOT_AREAS.
DEFAULT_IPV_PILOT_AREAS = (67, 68, 66, 46)


def ipv_pilot_areas() -> tuple[int, ...]:
    return tuple(getattr(settings, "IPV_PILOT_AREAS", DEFAULT_IPV_PILOT_AREAS))


def ipv_refusal(person) -> str | None:
    """Why the person cannot join the IPV program, or None. The program runs only in
    the pilot's community areas."""
    if person.community_area_id is None:
        return _(
            "The IPV program serves only its pilot community areas. Record the "
            "participant's community area first."
        )
    if person.community_area.number not in ipv_pilot_areas():
        return _(
            "The IPV program serves only its pilot community areas "
            "(West Englewood, Englewood, Chicago Lawn and South Chicago); "
            "%(area)s is not one of them."
        ) % {"area": person.community_area.name}
    return None


VOLUNTARY_REQUIRED = gettext_lazy(
    "The IPV program takes voluntary participants only: a court-mandated referral cannot "
    "be enrolled. Confirm that the person chose to take part."
)


# Fields required for one choice only: the forms show the condition in the help text
# (people.forms.required_for_a_choice) and these words name it again when one is missing.
EXIT_REASON_REQUIRED = gettext_lazy(
    "Give the reason for leaving: it is required when the person left before completing."
)
CLOSED_ON_REQUIRED = gettext_lazy(
    "Give the date the matter closed: it is required when closing the matter."
)
OUTCOME_REQUIRED = gettext_lazy(
    "Give the outcome of the matter: it is required when closing the matter."
)
INDUSTRY_REQUIRED = gettext_lazy(
    "Choose the industry: it is required when the milestone is a skill training."
)
EMPLOYER_REQUIRED = gettext_lazy(
    "Name the employer: it is required when the milestone is a job placement."
)


def short_date(day: datetime.date) -> str:
    """A day in a message, as the pages show days: the language's short format."""
    return date_format(day, "SHORT_DATE_FORMAT")


# --- Enrollments ------------------------------------------------------------------------


def _legal_name(person) -> list[str]:
    return text_words(f"{person.legal_first_name} {person.legal_last_name}")


def referred_person_record(referral: Referral, people: QuerySet) -> Person | None:
    """Among ``people``, the receiving organization's own record of the person a
    referral is about (the same legal name, as enrollment_create requires), if any."""
    name = _legal_name(referral.person)
    candidates = people.filter(
        organization_id=referral.receiving_organization_id,
        legal_last_name__iexact=referral.person.legal_last_name,
    ).select_related("community_area")
    return next((p for p in candidates if _legal_name(p) == name), None)


def _answered_referral(user, organization, referral_id, person) -> Referral | None:
    """The referral an enrollment answers: one the user's organization received and
    still sees (under a current consent), accepted and still open, about this person
    (the receiver's own record carries the legal name the packet gives, accents and
    case aside). Any other id gets the same answer as an unknown one."""
    if not referral_id:
        return None
    referral = (
        referrals_received_by(user)
        .select_related("person")
        .filter(pk=referral_id, receiving_organization_id=organization.pk)
        .first()
    )
    if referral is None:
        raise ValidationError(
            {"referral_id": _("This referral is not one your organization received.")}
        )
    if referral.status not in ENROLLABLE_STATUSES:
        raise ValidationError(
            {
                "referral_id": _(
                    "This referral is “%(status)s”: an enrollment can answer a referral "
                    "only once your organization has accepted it and while it is open."
                )
                % {"status": referral.get_status_display()}
            }
        )
    if _legal_name(person) != _legal_name(referral.person):
        raise ValidationError(
            {
                "person": _(
                    "This referral is about %(name)s, not the participant chosen. Choose "
                    "your record of %(name)s, or add them from the referral."
                )
                % {"name": referral.person.legal_name}
            }
        )
    return referral


@transaction.atomic
def enrollment_create(*, request, organization, data: dict[str, Any]) -> Enrollment:
    person, program = data["person"], data["program"]
    if not has_permission(request.user, program_permission(program), organization):
        raise PermissionDenied
    if person.organization_id != organization.pk:
        # The firewall: a provider enrolls its own record of the person, never a
        # partner's. Same words as an unknown id, so nothing can be probed.
        raise ValidationError(
            {"person": _("Choose a participant of your organization from the search.")}
        )
    reject_future_day(
        data["enrolled_on"], _("An enrollment cannot start in the future."), "enrolled_on"
    )
    reject_before(data["enrolled_on"], field="enrolled_on")
    voluntary = bool(data.get("voluntary_confirmed"))
    if program == Program.IPV:
        if not voluntary:
            raise ValidationError({"voluntary_confirmed": VOLUNTARY_REQUIRED})
        refusal = ipv_refusal(person)
        if refusal:
            raise ValidationError({"person": refusal})
    else:
        voluntary = False
    if Enrollment.objects.filter(
        person=person, program=program, status=EnrollmentStatus.ACTIVE
    ).exists():
        raise ValidationError(
            {"person": _("This participant is already enrolled in this program.")}
        )
    referral = _answered_referral(request.user, organization, data.get("referral_id"), person)
    if referral is not None:
        sent_on = timezone.localdate(referral.created_at)
        reject_before(
            data["enrolled_on"],
            sent_on,
            _(
                "An enrollment that answers a referral cannot start before the referral was "
                "sent (%(date)s)."
            )
            % {"date": short_date(sent_on)},
            "enrolled_on",
        )
    enrollment = Enrollment.objects.create(
        organization=organization,
        person=person,
        program=program,
        enrolled_on=data["enrolled_on"],
        enrolled_by=request.user,
        referral=referral,
        voluntary_confirmed=voluntary,
    )
    audit_request(
        request,
        AuditAction.CREATE,
        enrollment,
        detail={"person": str(person.pk), "program": program},
    )
    return enrollment


@transaction.atomic
def enrollment_finish(
    *,
    request,
    enrollment: Enrollment,
    status: str,
    ended_on: datetime.date,
    exit_reason: str = "",
    exit_note: str = "",
) -> Enrollment:
    """Complete or exit an active enrollment."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(_("This enrollment has already ended."))
    if status not in (EnrollmentStatus.COMPLETED, EnrollmentStatus.EXITED):
        raise ValidationError({"status": _("Choose completed or exited.")})
    reject_future_day(ended_on, _("The end date cannot be in the future."), "ended_on")
    if ended_on < enrollment.enrolled_on:
        raise ValidationError({"ended_on": _("The enrollment cannot end before it started.")})
    if status == EnrollmentStatus.EXITED and not exit_reason:
        raise ValidationError({"exit_reason": EXIT_REASON_REQUIRED})
    enrollment.status = status
    enrollment.ended_on = ended_on
    enrollment.exit_reason = exit_reason if status == EnrollmentStatus.EXITED else ""
    enrollment.exit_note = exit_note.strip() if status == EnrollmentStatus.EXITED else ""
    enrollment.save(update_fields=["status", "ended_on", "exit_reason", "exit_note"])
    audit_request(request, AuditAction.STATUS_CHANGE, enrollment, detail={"status": status})
    return enrollment


def _require_program(enrollment: Enrollment, program: Program) -> None:
    if enrollment.program != program:
        raise ValidationError(_("This record does not belong to this program."))


def _require_active(enrollment: Enrollment) -> None:
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(_("This enrollment has ended; reopen it with a new enrollment."))


def _not_before_enrollment(enrollment: Enrollment, day: datetime.date, field: str) -> None:
    if day < enrollment.enrolled_on:
        raise ValidationError(
            {
                field: _("This date comes before the enrollment (%(date)s).")
                % {"date": short_date(enrollment.enrolled_on)}
            }
        )


# --- Workforce ------------------------------------------------------------------------


def milestone_problems(
    enrollment: Enrollment, data: dict[str, Any], existing: list[WorkforceMilestone]
) -> dict[str, str]:
    """What is wrong with a new milestone, by field: the rules the database cannot
    state. Retention needs the placement (and the shorter retention) first, and at
    least its number of days after the first day on the job."""
    kind, day = data.get("kind"), data.get("achieved_on")
    problems: dict[str, str] = {}
    if day is not None:
        if day > timezone.localdate():
            problems["achieved_on"] = _("A milestone cannot be in the future.")
        elif day < EARLIEST_RECORD_DAY:
            problems["achieved_on"] = str(TOO_FAR_IN_THE_PAST)
        elif day < enrollment.enrolled_on:
            problems["achieved_on"] = _("This date comes before the enrollment (%(date)s).") % {
                "date": short_date(enrollment.enrolled_on)
            }
    by_kind = {m.kind: m for m in existing if m.kind != MilestoneKind.SKILL_TRAINING}
    if kind == MilestoneKind.SKILL_TRAINING:
        if not data.get("industry"):
            problems["industry"] = str(INDUSTRY_REQUIRED)
        elif any(
            m.kind == MilestoneKind.SKILL_TRAINING and m.industry == data["industry"]
            for m in existing
        ):
            problems["industry"] = _("This training is already recorded.")
    elif kind in by_kind:
        problems["kind"] = _("This milestone is already recorded.")
    if kind == MilestoneKind.PLACED and not (data.get("employer") or "").strip():
        problems["employer"] = str(EMPLOYER_REQUIRED)
    if kind in RETENTION:
        days, before = RETENTION[MilestoneKind(kind)]
        placement = by_kind.get(MilestoneKind.PLACED)
        if placement is None:
            problems["kind"] = _("Record the job placement before retention.")
        elif before not in by_kind:
            problems["kind"] = _("Record “%(before)s” first.") % {
                "before": MilestoneKind(before).label
            }
        elif day is not None and "achieved_on" not in problems:
            due = placement.achieved_on + datetime.timedelta(days=days)
            if day < due:
                problems["achieved_on"] = _(
                    "%(days)s days in the job are reached on %(due)s at the earliest "
                    "(started %(start)s)."
                ) % {
                    "days": days,
                    "due": short_date(due),
                    "start": short_date(placement.achieved_on),
                }
    return problems


@transaction.atomic
def milestone_add(*, request, enrollment: Enrollment, data: dict[str, Any]) -> WorkforceMilestone:
    _require_program(enrollment, Program.WORKFORCE)
    # Lock the enrollment so that two clerks cannot both record the same milestone.
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    existing = list(enrollment.milestones.all())
    problems = milestone_problems(enrollment, data, existing)
    if problems:
        raise ValidationError(problems)
    kind = data["kind"]
    try:
        with transaction.atomic():
            milestone = WorkforceMilestone.objects.create(
                enrollment=enrollment,
                kind=kind,
                achieved_on=data["achieved_on"],
                industry=data.get("industry", "") if kind == MilestoneKind.SKILL_TRAINING else "",
                employer=(data.get("employer") or "").strip()
                if kind == MilestoneKind.PLACED
                else "",
                recorded_by=request.user,
            )
    except IntegrityError:
        raise ValidationError({"kind": _("This milestone is already recorded.")}) from None
    audit_request(
        request,
        AuditAction.UPDATE,
        enrollment,
        detail={"milestone": kind, "person": str(enrollment.person_id)},
    )
    return milestone


# --- Legal aid ------------------------------------------------------------------------


@transaction.atomic
def matter_open(*, request, enrollment: Enrollment, data: dict[str, Any]) -> LegalMatter:
    _require_program(enrollment, Program.LEGAL)
    _require_active(enrollment)
    reject_future_day(data["opened_on"], _("A matter cannot be opened in the future."), "opened_on")
    _not_before_enrollment(enrollment, data["opened_on"], "opened_on")
    matter = LegalMatter.objects.create(
        enrollment=enrollment,
        matter_type=data["matter_type"],
        opened_on=data["opened_on"],
        notes=data.get("notes", ""),
        opened_by=request.user,
    )
    audit_request(
        request,
        AuditAction.CREATE,
        matter,
        organization_id=str(enrollment.organization_id),
        detail={"enrollment": str(enrollment.pk), "matter_type": matter.matter_type},
    )
    return matter


@transaction.atomic
def matter_update(*, request, matter: LegalMatter, data: dict[str, Any]) -> list[str]:
    """Status, outcome and notes. Closing needs the date and the outcome; the date
    comes on or after the opening. Returns the names of the fields that changed."""
    status = data["status"]
    closed_on = data.get("closed_on") if status == MatterStatus.CLOSED else None
    outcome = data.get("outcome", "") if status == MatterStatus.CLOSED else ""
    if status == MatterStatus.CLOSED:
        if closed_on is None:
            raise ValidationError({"closed_on": CLOSED_ON_REQUIRED})
        if not outcome:
            raise ValidationError({"outcome": OUTCOME_REQUIRED})
        reject_future_day(closed_on, _("A matter cannot close in the future."), "closed_on")
        if closed_on < matter.opened_on:
            raise ValidationError({"closed_on": _("A matter cannot close before it was opened.")})
    values = {
        "status": status,
        "closed_on": closed_on,
        "outcome": outcome,
        "outcome_note": (data.get("outcome_note") or "").strip(),
        "notes": (data.get("notes") or "").strip(),
    }
    changed = [name for name, value in values.items() if getattr(matter, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(matter, name, values[name])
    matter.updated_at = timezone.now()
    matter.save(update_fields=[*changed, "updated_at"])
    audit_request(
        request,
        AuditAction.UPDATE,
        matter,
        organization_id=str(matter.enrollment.organization_id),
        # Field names only, never the values (notes are encrypted for a reason).
        detail={"enrollment": str(matter.enrollment_id), "fields": changed},
    )
    return changed


# --- Sessions -----------------------------------------------------------------------------


IPV_NO_FAMILY = gettext_lazy(
    "The IPV program holds no joint or family sessions: survivor safety comes first."
)


@transaction.atomic
def session_add(*, request, enrollment: Enrollment, data: dict[str, Any]) -> ProgramSession:
    if enrollment.program not in (Program.BEHAVIORAL_HEALTH, Program.IPV):
        raise ValidationError(_("This program does not record sessions."))
    _require_active(enrollment)
    reject_future_day(data["held_on"], _("A session cannot be in the future."), "held_on")
    _not_before_enrollment(enrollment, data["held_on"], "held_on")
    if enrollment.program == Program.IPV and data["format"] == SessionFormat.FAMILY:
        raise ValidationError({"format": IPV_NO_FAMILY})
    session = ProgramSession.objects.create(
        enrollment=enrollment,
        held_on=data["held_on"],
        format=data["format"],
        language=data["language"],
        minutes=data["minutes"],
        staff=data.get("staff") or request.user,
        note=(data.get("note") or "").strip(),
        recorded_by=request.user,
    )
    audit_request(
        request,
        AuditAction.CREATE,
        session,
        organization_id=str(enrollment.organization_id),
        detail={"enrollment": str(enrollment.pk), "program": enrollment.program},
    )
    return session


# --- The IPV safety plan --------------------------------------------------------------


@transaction.atomic
def safety_plan_update(*, request, enrollment: Enrollment, text: str) -> bool:
    """Replace the safety plan. The caller has checked can_write_safety_plan."""
    _require_program(enrollment, Program.IPV)
    text = text.strip()
    if text == enrollment.safety_plan:
        return False
    enrollment.safety_plan = text
    enrollment.safety_plan_updated_at = timezone.now()
    enrollment.safety_plan_updated_by = request.user
    enrollment.save(
        update_fields=["safety_plan", "safety_plan_updated_at", "safety_plan_updated_by"]
    )
    audit_request(request, AuditAction.UPDATE, enrollment, detail={"fields": ["safety_plan"]})
    return True
