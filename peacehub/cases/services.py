"""Every write of case management, with its audit event, in one transaction."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.cases.access import note_types_for
from peacehub.cases.assessment import ASSESSMENT_NAME
from peacehub.cases.models import (
    Assessment,
    AssessmentRating,
    AssessmentTemplate,
    Case,
    CaseNote,
    Goal,
    GoalProgress,
    Intake,
    PreReleaseContact,
    ReentryPlan,
    ReentryService,
)
from peacehub.dates import (
    TARGET_YEARS_AHEAD,
    reject_after,
    reject_before,
    reject_future_day,
    years_ahead,
)
from peacehub.people.models import Status
from peacehub.people.services import person_case_management_start, person_update


def _not_future(day: datetime.date, message) -> None:
    if day > timezone.localdate():
        raise ValidationError(message)


# The rules the forms repeat, so that a person sees every problem at once.
CASE_OPENED_IN_THE_FUTURE = gettext_lazy("A case cannot be opened in the future.")
INTAKE_BEFORE_OPENING = gettext_lazy(
    "The intake cannot come before the case was opened (%(date)s)."
)
ASSESSMENT_BEFORE_OPENING = gettext_lazy(
    "An assessment cannot come before the case was opened (%(date)s)."
)
TARGET_IN_THE_PAST = gettext_lazy("A target date cannot be in the past.")
TARGET_TOO_FAR = gettext_lazy("A target date cannot be more than five years ahead: check the year.")


def reject_before_opening(case: Case, day: datetime.date | None, message, field=None) -> None:
    """ValidationError (on ``field`` when given) for a day before the case was opened;
    ``message`` names that day as %(date)s."""
    if day is not None and day < case.opened_on:
        message = message % {"date": date_format(case.opened_on, "SHORT_DATE_FORMAT")}
        raise ValidationError({field: message} if field else message)


def reject_implausible_target(day: datetime.date | None, field=None) -> None:
    if day is not None and day < timezone.localdate():
        raise ValidationError({field: TARGET_IN_THE_PAST} if field else TARGET_IN_THE_PAST)
    reject_after(day, years_ahead(TARGET_YEARS_AHEAD), TARGET_TOO_FAR, field)


@transaction.atomic
def case_open(*, request, person, case_manager, opened_on: datetime.date | None = None) -> Case:
    """Open the person's case, today unless ``opened_on`` says otherwise (an older paper
    record entered now): never in the future, never before the last case closed."""
    opened_on = opened_on or timezone.localdate()
    if Case.objects.filter(person=person, closed_on__isnull=True).exists():
        raise ValidationError(_("This participant already has an open case."))
    if person.status == Status.CLOSED:
        raise ValidationError(_("Reopen the participant's record before opening a case."))
    reject_future_day(opened_on, CASE_OPENED_IN_THE_FUTURE, "opened_on")
    reject_before(opened_on, field="opened_on")
    last_closed = Case.objects.filter(person=person).aggregate(day=Max("closed_on"))["day"]
    if last_closed is not None and opened_on < last_closed:
        raise ValidationError(
            {
                "opened_on": _(
                    "A case cannot be opened before the participant's last case closed (%(date)s)."
                )
                % {"date": date_format(last_closed, "SHORT_DATE_FORMAT")}
            }
        )
    case = Case.objects.create(
        person=person,
        organization_id=person.organization_id,
        case_manager=case_manager,
        opened_on=opened_on,
        created_by=request.user,
    )
    if person.case_manager_id != case_manager.pk:
        person_update(request=request, person=person, data={"case_manager": case_manager})
    if person.status != Status.CASE_MANAGEMENT:
        person_case_management_start(request=request, person=person)
    audit_request(request, AuditAction.CREATE, case, detail={"person": str(person.pk)})
    return case


@transaction.atomic
def case_close(*, request, case: Case, reason: str) -> Case:
    if not case.is_open:
        raise ValidationError(_("This case is already closed."))
    case.closed_on = timezone.localdate()
    case.close_reason = reason
    case.save(update_fields=["closed_on", "close_reason"])
    audit_request(request, AuditAction.UPDATE, case, detail={"fields": ["closed"]})
    return case


@transaction.atomic
def intake_record(*, request, case: Case, data: dict[str, Any]) -> Intake:
    _not_future(data["intake_on"], _("The intake date cannot be in the future."))
    reject_before_opening(case, data["intake_on"], INTAKE_BEFORE_OPENING, "intake_on")
    reject_before(data["intake_on"], field="intake_on")
    intake, created = Intake.objects.update_or_create(
        case=case, defaults={**data, "done_by": request.user}
    )
    audit_request(
        request, AuditAction.CREATE if created else AuditAction.UPDATE, case, detail={"intake": 1}
    )
    return intake


def current_template() -> AssessmentTemplate:
    return AssessmentTemplate.objects.get(name=ASSESSMENT_NAME, is_current=True)


@transaction.atomic
def assessment_record(
    *,
    request,
    case: Case,
    template: AssessmentTemplate,
    assessed_on: datetime.date,
    ratings: dict[str, tuple[int, str]],
) -> Assessment:
    """``ratings`` maps every domain key of the template to (rating 1–5, note)."""
    _not_future(assessed_on, _("An assessment cannot be dated in the future."))
    reject_before_opening(case, assessed_on, ASSESSMENT_BEFORE_OPENING, "assessed_on")
    reject_before(assessed_on, field="assessed_on")
    missing = set(template.domain_keys()) - set(ratings)
    if missing:
        raise ValidationError(_("Rate every domain."))
    if any(not 1 <= rating <= 5 for rating, _note in ratings.values()):
        raise ValidationError(_("Ratings go from 1 to 5."))
    assessment = Assessment.objects.create(
        case=case, template=template, assessed_on=assessed_on, assessor=request.user
    )
    AssessmentRating.objects.bulk_create(
        [
            AssessmentRating(assessment=assessment, domain=key, rating=rating, note=note)
            for key, (rating, note) in ratings.items()
            if key in template.domain_keys()
        ]
    )
    audit_request(
        request, AuditAction.CREATE, assessment, organization_id=str(case.organization_id)
    )
    return assessment


@transaction.atomic
def goal_add(*, request, case: Case, data: dict[str, Any]) -> Goal:
    reject_implausible_target(data["target_date"], "target_date")
    goal = Goal.objects.create(case=case, created_by=request.user, **data)
    audit_request(request, AuditAction.CREATE, goal, organization_id=str(case.organization_id))
    return goal


@transaction.atomic
def goal_progress(*, request, goal: Goal, status: str, note: str = "") -> GoalProgress:
    progress = GoalProgress.objects.create(goal=goal, status=status, note=note, author=request.user)
    if goal.status != status:
        goal.status = status
        goal.save(update_fields=["status"])
    audit_request(
        request,
        AuditAction.UPDATE,
        goal,
        organization_id=str(goal.case.organization_id),
        detail={"status": status},
    )
    return progress


@transaction.atomic
def note_add(*, request, person, note_type: str, text: str, written_on: datetime.date) -> CaseNote:
    if note_type not in note_types_for(request.user, person.organization_id):
        raise ValidationError(_("Your role cannot write this type of note."))
    _not_future(written_on, _("A note cannot be dated in the future."))
    note = CaseNote.objects.create(
        person=person,
        organization_id=person.organization_id,
        note_type=note_type,
        text=text,
        written_on=written_on,
        author=request.user,
    )
    audit_request(
        request, AuditAction.CREATE, note, detail={"person": str(person.pk), "type": note_type}
    )
    return note


@transaction.atomic
def reentry_plan_save(*, request, person, plan: ReentryPlan | None, data: dict) -> ReentryPlan:
    if plan is None:
        plan = ReentryPlan(
            person=person, organization_id=person.organization_id, created_by=request.user
        )
    for field, value in data.items():
        setattr(plan, field, value)
    plan.save()
    audit_request(request, AuditAction.UPDATE, plan, detail={"person": str(person.pk)})
    return plan


@transaction.atomic
def pre_release_contact_add(*, request, plan: ReentryPlan, data: dict) -> PreReleaseContact:
    _not_future(data["contacted_on"], _("A contact cannot be in the future."))
    contact = PreReleaseContact.objects.create(plan=plan, worker=request.user, **data)
    audit_request(request, AuditAction.UPDATE, plan, detail={"pre_release_contact": 1})
    return contact


@transaction.atomic
def reentry_service_add(*, request, plan: ReentryPlan, data: dict) -> ReentryService:
    service = ReentryService.objects.create(plan=plan, **data)
    audit_request(request, AuditAction.UPDATE, plan, detail={"service": str(service.pk)})
    return service


@transaction.atomic
def reentry_service_status_change(
    *, request, service: ReentryService, status: str
) -> ReentryService:
    """Move a service lined up for the first days home along planned → arranged →
    done (or back, when an arrangement falls through)."""
    previous = service.status
    service.status = status
    service.save(update_fields=["status"])
    audit_request(
        request,
        AuditAction.UPDATE,
        service.plan,
        detail={"service": str(service.pk), "status": [previous, status]},
    )
    return service
