"""Cases, assessments and the service plan in the JSON API, through the same access
rules and the same forms as the pages."""

import datetime
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja import Status as Reply

from peacehub.accounts.roles import Permission
from peacehub.api_helpers import (
    Day,
    ErrorOut,
    InputSchema,
    choice,
    form_payload,
    invalid,
    page_of,
    role_required,
)
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.cases import services
from peacehub.cases.access import cases_visible_to, get_case_for_user
from peacehub.cases.domains import Domain
from peacehub.cases.forms import AssessmentForm, CaseOpenForm, GoalForm, GoalProgressForm
from peacehub.cases.models import Goal, GoalStatus
from peacehub.forms import NOT_SAVED, save_valid
from peacehub.people.access import get_person_for_user

router = Router(tags=["cases"])


class RatingOut(Schema):
    domain: str
    rating: int


class AssessmentOut(Schema):
    id: UUID
    assessed_on: datetime.date
    template_version: int
    ratings: list[RatingOut]


class GoalOut(Schema):
    id: UUID
    domain: str
    description: str
    target_date: datetime.date
    status: str


class CaseOut(Schema):
    id: UUID
    person: UUID
    organization: UUID
    case_manager: UUID
    opened_on: datetime.date
    closed_on: datetime.date | None
    assessments: list[AssessmentOut] = []
    goals: list[GoalOut] = []


class CasePage(Schema):
    count: int
    page: int
    pages: int
    results: list[CaseOut]


class CaseIn(InputSchema):
    person: UUID
    # Yourself, when you are one of the participant's organization.
    case_manager: UUID | None = None
    # Today, unless an older paper record is entered (as the page's form allows).
    opened_on: Day | None = None


class AssessmentIn(InputSchema):
    assessed_on: Day
    ratings: dict[str, int]
    notes: dict[str, str] = {}


# What the page's form always requires is required here too, so that the schema says
# so; a field missing is refused before the form is read (peacehub.api).
class GoalIn(InputSchema):
    domain: choice(Domain)
    description: str
    target_date: Day


class ProgressIn(InputSchema):
    status: choice(GoalStatus)
    note: str | None = None


def _goal_out(goal) -> dict:
    return {
        "id": goal.pk,
        "domain": goal.domain,
        "description": goal.description,
        "target_date": goal.target_date,
        "status": goal.status,
    }


def _errors_as_sent(errors) -> dict:
    """The form's "housing-rating" and "housing-note" as the payload's "ratings.housing"
    and "notes.housing"."""
    named = {}
    for field, messages in errors.items():
        key, _dash, part = field.rpartition("-")
        if part == "rating":
            field = f"ratings.{key}"
        elif part == "note":
            field = f"notes.{key}"
        named[field] = messages
    return named


def _case_out(case, detail: bool = False) -> dict:
    data = {
        "id": case.pk,
        "person": case.person_id,
        "organization": case.organization_id,
        "case_manager": case.case_manager_id,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
    }
    if detail:
        data["assessments"] = [
            {
                "id": a.pk,
                "assessed_on": a.assessed_on,
                "template_version": a.template.version,
                "ratings": [{"domain": r.domain, "rating": r.rating} for r in a.ratings.all()],
            }
            for a in case.assessments.select_related("template").prefetch_related("ratings")
        ]
        data["goals"] = [_goal_out(g) for g in case.goals.all()]
    return data


@router.get(
    "/cases",
    response={200: CasePage, 403: ErrorOut},
    auth=role_required(Permission.VIEW_CASES, gettext_lazy("Your role cannot see cases.")),
)
def case_list(request: HttpRequest, mine: bool = False, page: int = 1):
    cases = cases_visible_to(request.user).filter(closed_on__isnull=True)
    if mine:
        cases = cases.filter(case_manager=request.user)
    cases = cases.order_by("-opened_on", "pk")
    shown, numbers = page_of(cases, page, cases.count())
    audit_listing(request, AuditAction.LIST, shown, record_type="cases.case", via="api")
    return Reply(200, {**numbers, "results": [_case_out(c) for c in shown]})


@router.get("/cases/{id:case_id}", response={200: CaseOut, 403: ErrorOut, 404: ErrorOut})
def case_read(request: HttpRequest, case_id: UUID):
    case = get_case_for_user(request.user, case_id)
    audit_request(request, AuditAction.VIEW, case)
    return Reply(200, _case_out(case, detail=True))


@router.post("/cases", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def case_create(request: HttpRequest, payload: CaseIn):
    person = get_person_for_user(request, payload.person, Permission.MANAGE_CASES).person
    membership_id = None
    if payload.case_manager is not None:
        membership_id = (
            person.organization.memberships.filter(user_id=payload.case_manager)
            .values_list("pk", flat=True)
            .first()
        )
        if membership_id is None:
            return invalid(
                {"case_manager": [_("Choose a case manager of the participant's organization.")]}
            )
    else:
        membership_id = (
            person.organization.memberships.filter(user=request.user)
            .values_list("pk", flat=True)
            .first()
        )
    form = CaseOpenForm(
        {"case_manager": membership_id or "", "opened_on": payload.opened_on or ""},
        organization=person.organization,
    )
    # The form's date rules, then the service's (not before the last case closed), each
    # refusal on the field it names.
    case = save_valid(
        form,
        lambda data: services.case_open(
            request=request,
            person=person,
            case_manager=data["case_manager"].user,
            opened_on=data["opened_on"],
        ),
    )
    if case is NOT_SAVED:
        return invalid(form.errors)
    return Reply(201, _case_out(case, detail=True))


@router.post(
    "/cases/{id:case_id}/assessments",
    response={201: AssessmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def assessment_create(request: HttpRequest, case_id: UUID, payload: AssessmentIn):
    case = get_case_for_user(request.user, case_id, Permission.MANAGE_CASES)
    template = services.current_template()
    keys = template.domain_keys()
    unknown = {
        f"{part}.{key}": [_("This assessment has no such domain.")]
        for part, given in (("ratings", payload.ratings), ("notes", payload.notes))
        for key in given
        if key not in keys
    }
    if unknown:
        return invalid(unknown)
    data = {"assessed_on": payload.assessed_on}
    for key in keys:
        data[f"{key}-rating"] = payload.ratings.get(key, "")
        data[f"{key}-note"] = payload.notes.get(key, "")
    form = AssessmentForm(data, template=template, case=case)
    # The service's refusals (a case closed) come back as 400, as the form's do.
    assessment = save_valid(
        form,
        lambda data: services.assessment_record(
            request=request,
            case=case,
            template=template,
            assessed_on=data["assessed_on"],
            ratings=form.ratings(),
        ),
    )
    if assessment is NOT_SAVED:
        return invalid(_errors_as_sent(form.errors))
    return Reply(
        201,
        {
            "id": assessment.pk,
            "assessed_on": assessment.assessed_on,
            "template_version": template.version,
            "ratings": [{"domain": r.domain, "rating": r.rating} for r in assessment.ratings.all()],
        },
    )


@router.post(
    "/cases/{id:case_id}/goals",
    response={201: GoalOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def goal_create(request: HttpRequest, case_id: UUID, payload: GoalIn):
    case = get_case_for_user(request.user, case_id, Permission.MANAGE_CASES)
    form = GoalForm(form_payload(payload))
    goal = save_valid(form, lambda data: services.goal_add(request=request, case=case, data=data))
    if goal is NOT_SAVED:
        return invalid(form.errors)
    return Reply(201, _goal_out(goal))


@router.patch(
    "/goals/{id:goal_id}", response={200: GoalOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def goal_update(request: HttpRequest, goal_id: UUID, payload: ProgressIn):
    goal = get_object_or_404(Goal, pk=goal_id)
    get_case_for_user(request.user, goal.case_id, Permission.MANAGE_CASES)
    form = GoalProgressForm(form_payload(payload))
    progress = save_valid(
        form, lambda data: services.goal_progress(request=request, goal=goal, **data)
    )
    if progress is NOT_SAVED:
        return invalid(form.errors)
    goal.refresh_from_db()
    return Reply(200, _goal_out(goal))
