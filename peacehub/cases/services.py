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
from peacehub.people.services import (
    person_case_management_end,
    person_case_management_start,
    person_update,
)


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
CASE_CLOSED = gettext_lazy("This case is closed (%(date)s): it can no longer be changed.")
NOTHING_TO_SAVE = gettext_lazy("Nothing to save: change the status or write a progress note.")
DAY_AFTER_RELEASE = gettext_lazy("Give a day from 1, the first day home, to 90.")


def reject_before_opening(case: Case, day: datetime.date | None, message, field=None) -> None:
    """ValidationError (on ``field`` when given) for a day before the case was opened;
    ``message`` names that day as %(date)s."""
    if day is not None and day < case.opened_on:
        message = message % {"date": date_format(case.opened_on, "SHORT_DATE_FORMAT")}
        raise ValidationError({field: message} if field else message)


def case_closed_message(case: Case) -> str:
    return CASE_CLOSED % {"date": date_format(case.closed_on, "SHORT_DATE_FORMAT")}


def _lock_open_case(case: Case) -> Case:
    """The case as it is now, locked until the transaction ends, so that nothing is
    added to it while it closes; ValidationError when it has closed (a page left open
    in another tab): a closed case is a record of what was, not changed after."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if not current.is_open:
        raise ValidationError(case_closed_message(current))
    return current


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
    """Close the case: it leaves the caseload, and the person goes back to "Engaged in
    outreach", where outreach keeps working with them. Its goals stay as they were on
    the day it closed (the case page says which were still open): the plan is a record
    of what was agreed with the person, not rewritten by the closing."""
    if not Case.objects.select_for_update().filter(pk=case.pk, closed_on=None).exists():
        raise ValidationError(_("This case is already closed."))
    case.closed_on = timezone.localdate()
    case.close_reason = reason
    case.save(update_fields=["closed_on", "close_reason"])
    audit_request(request, AuditAction.UPDATE, case, detail={"fields": ["closed"]})
    person_case_management_end(
        request=request,
        person=case.person,
        note=_("Case closed: %(reason)s") % {"reason": reason},
    )
    return case


@transaction.atomic
def intake_record(*, request, case: Case, data: dict[str, Any]) -> Intake:
    _lock_open_case(case)
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
    _lock_open_case(case)
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
    _lock_open_case(case)
    reject_implausible_target(data["target_date"], "target_date")
    goal = Goal.objects.create(case=case, created_by=request.user, **data)
    audit_request(request, AuditAction.CREATE, goal, organization_id=str(case.organization_id))
    return goal


@transaction.atomic
def goal_progress(*, request, goal: Goal, status: str, note: str = "") -> GoalProgress:
    """A line of the goal's history: a new status, a note, or both; never neither (a
    "Save progress" pressed with nothing changed)."""
    _lock_open_case(goal.case)
    goal = Goal.objects.get(pk=goal.pk)
    note = note.strip()
    if status == goal.status and not note:
        raise ValidationError(NOTHING_TO_SAVE)
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
    reject_before(data.get("expected_release_on"), field="expected_release_on")
    reject_future_day(
        data.get("released_on"), _("A release date cannot be in the future."), "released_on"
    )
    reject_before(data.get("released_on"), field="released_on")
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
    reject_before(data["contacted_on"], field="contacted_on")
    contact = PreReleaseContact.objects.create(plan=plan, worker=request.user, **data)
    audit_request(request, AuditAction.UPDATE, plan, detail={"pre_release_contact": 1})
    return contact


@transaction.atomic
def reentry_service_add(*, request, plan: ReentryPlan, data: dict) -> ReentryService:
    if not 1 <= data["day_after_release"] <= 90:
        raise ValidationError({"day_after_release": DAY_AFTER_RELEASE})
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
