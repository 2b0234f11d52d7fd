from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission, memberships_of
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.cases import services
from peacehub.cases.access import get_case_for_user, notes_visible_to
from peacehub.cases.assessment import localized, sparkline
from peacehub.cases.forms import (
    AssessmentForm,
    CaseCloseForm,
    CaseOpenForm,
    GoalForm,
    GoalProgressForm,
    IntakeForm,
)
from peacehub.cases.models import Goal, ReferredBy
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.outreach.access import introductions_visible_to
from peacehub.outreach.models import IntroductionStatus
from peacehub.people.access import get_person_for_user
from peacehub.referrals.summary import referrals_sent_for_case


def _assessment_history(case):
    """Per domain: its label in the current language, the ratings over time (oldest
    first), the path of a small chart and the latest note written for it, with its day.
    The notes are of the case (encrypted like case notes): this page is for whoever may
    see the case, as the intake's safety note is."""
    assessments = list(
        case.assessments.select_related("template")
        .prefetch_related("ratings")
        .order_by("assessed_on", "created_at")
    )
    if not assessments:
        return [], None
    latest = assessments[-1]
    history = []
    for domain in latest.template.domains:
        rated = [(a, r) for a in assessments for r in a.ratings.all() if r.domain == domain["key"]]
        ratings = [r.rating for _a, r in rated]
        noted = [(a, r) for a, r in rated if r.note]
        history.append(
            {
                "label": localized(domain, "label"),
                "ratings": ratings,
                "latest": ratings[-1] if ratings else None,
                "change": ratings[-1] - ratings[0] if len(ratings) > 1 else 0,
                "path": sparkline(ratings),
                "note": noted[-1][1].note if noted else "",
                "note_on": noted[-1][0].assessed_on if noted else None,
            }
        )
    return history, latest


def _detail_context(request, case, **forms) -> dict:
    history, latest = _assessment_history(case)
    return {
        "case": case,
        "person": case.person,
        "intake": getattr(case, "intake", None),
        "history": history,
        "latest_assessment": latest,
        "goals": case.goals.prefetch_related("progress"),
        "notes": notes_visible_to(request.user, case.person).select_related("author")[:20],
        "referrals": referrals_sent_for_case(case),
        "can_manage": has_permission(request.user, Permission.MANAGE_CASES, case.organization_id),
        "goal_form": forms.get("goal_form") or GoalForm(),
        "progress_form": forms.get("progress_form") or GoalProgressForm(),
        # The goal whose progress form was refused: shown again with its message and
        # what was typed, even on a case closed meanwhile.
        "progress_goal": forms.get("progress_goal"),
        "close_form": forms.get("close_form") or CaseCloseForm(),
    }


@require_GET
def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = get_case_for_user(request.user, case_id)
    audit_request(request, AuditAction.VIEW, case)
    return TemplateResponse(request, "cases/case_detail.html", _detail_context(request, case))


def _detail_with_errors(request, case, **forms) -> HttpResponse:
    return TemplateResponse(
        request, "cases/case_detail.html", _detail_context(request, case, **forms), status=400
    )


def case_open(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request, person_id, Permission.MANAGE_CASES).person
    form = CaseOpenForm(
        request.POST or None,
        organization=person.organization,
        initial={"case_manager": _own_membership(request.user, person.organization_id)},
    )
    case = save_posted(
        request,
        form,
        lambda data: services.case_open(
            request=request,
            person=person,
            case_manager=data["case_manager"].user,
            opened_on=data["opened_on"],
        ),
        _("Case opened."),
    )
    if case is not NOT_SAVED:
        return redirect("cases:intake", case_id=case.pk)
    return TemplateResponse(
        request,
        "cases/case_open.html",
        {"form": form, "person": person},
        status=status_of(form),
    )


def _own_membership(user, organization_id):
    return next((m.pk for m in memberships_of(user) if m.organization_id == organization_id), None)


def _introduction_of(user, case):
    """The outreach introduction, accepted, that brought the person to this case."""
    return (
        introductions_visible_to(user)
        .filter(
            person_id=case.person_id,
            status=IntroductionStatus.ACCEPTED,
            decided_at__date__gte=case.opened_on,
        )
        .select_related("introduced_by")
        .order_by("decided_at")
        .first()
    )


def _closed_case_page(request, case) -> HttpResponse | None:
    """A form of a closed case asked for (an old link, a tab left open): its page says
    the case is closed. A post goes on to the service, which refuses it, and the form
    comes back with what was typed."""
    if case.is_open or request.method == "POST":
        return None
    messages.error(request, services.case_closed_message(case))
    return redirect("cases:detail", case_id=case.pk)


def intake(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, Permission.MANAGE_CASES)
    if (closed := _closed_case_page(request, case)) is not None:
        return closed
    existing = getattr(case, "intake", None)
    # Editing the intake of a case already assessed goes back to the case, not on to a
    # new assessment.
    assessed = existing is not None and case.assessments.exists()
    introduction = _introduction_of(request.user, case)
    initial = {}
    if existing is None:
        initial["intake_on"] = timezone.localdate()
        if introduction is not None:
            initial["referred_by"] = ReferredBy.OUTREACH
    form = IntakeForm(request.POST or None, instance=existing, initial=initial, case=case)
    saved = save_posted(
        request,
        form,
        lambda data: services.intake_record(request=request, case=case, data=data),
        _("Intake saved."),
    )
    if saved is not NOT_SAVED:
        return redirect("cases:detail" if assessed else "cases:assessment_new", case_id=case.pk)
    return TemplateResponse(
        request,
        "cases/intake_form.html",
        {"form": form, "case": case, "introduction": introduction, "assessed": assessed},
        status=status_of(form),
    )


def assessment_new(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, Permission.MANAGE_CASES)
    if (closed := _closed_case_page(request, case)) is not None:
        return closed
    template = services.current_template()
    form = AssessmentForm(request.POST or None, template=template, case=case)
    assessment = save_posted(
        request,
        form,
        lambda data: services.assessment_record(
            request=request,
            case=case,
            template=template,
            assessed_on=data["assessed_on"],
            ratings=form.ratings(),
        ),
        _("Assessment saved."),
    )
    if assessment is not NOT_SAVED:
        return redirect("cases:detail", case_id=case.pk)
    return TemplateResponse(
        request,
        "cases/assessment_form.html",
        {"form": form, "case": case, "template": template},
        status=status_of(form),
    )


@require_POST
def goal_add(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, Permission.MANAGE_CASES)
    form = GoalForm(request.POST)
    saved = save_posted(
        request,
        form,
        lambda data: services.goal_add(request=request, case=case, data=data),
        _("Goal added to the plan."),
    )
    if saved is not NOT_SAVED:
        return redirect("cases:detail", case_id=case.pk)
    return _detail_with_errors(request, case, goal_form=form)


@require_POST
def goal_progress(request: HttpRequest, goal_id: UUID) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("case"), pk=goal_id)
    case = get_case_for_user(request.user, goal.case_id, Permission.MANAGE_CASES)
    form = GoalProgressForm(request.POST)
    saved = save_posted(
        request,
        form,
        lambda data: services.goal_progress(request=request, goal=goal, **data),
        _("Progress saved."),
    )
    if saved is not NOT_SAVED:
        return redirect("cases:detail", case_id=case.pk)
    return _detail_with_errors(request, case, progress_form=form, progress_goal=goal.pk)


@require_POST
def case_close(request: HttpRequest, case_id: UUID) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, Permission.MANAGE_CASES)
    form = CaseCloseForm(request.POST)
    if form.is_valid():
        try:
            services.case_close(request=request, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Case closed."))
        return redirect("cases:detail", case_id=case.pk)
    return _detail_with_errors(request, case, close_form=form)
