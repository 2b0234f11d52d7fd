import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.cases import services
from peacehub.cases.access import get_reentry_plan_for_user, reentry_plans_visible_to
from peacehub.cases.forms import (
    PreReleaseContactForm,
    ReentryPlanForm,
    ReentryServiceForm,
    ReentryServiceStatusForm,
)
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import permission_required
from peacehub.people.access import get_person_for_user

RELEASES_WITHIN_DAYS = 60


def reentry_plan(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """The person's re-entry plan: create it, or edit it, with its pre-release contacts
    and the services lined up for the first days home."""
    person = get_person_for_user(request, person_id, Permission.VIEW_CASES).person
    plan = reentry_plans_visible_to(request.user).filter(person=person).first()
    can_manage = has_permission(request.user, Permission.MANAGE_CASES, person.organization_id)
    form = ReentryPlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        saved = save_posted(
            request,
            form,
            lambda data: services.reentry_plan_save(
                request=request, person=person, plan=plan, data=data
            ),
            _("Re-entry plan saved."),
        )
        if saved is not NOT_SAVED:
            return redirect("cases:reentry", person_id=person.pk)
    if plan is not None:
        audit_request(request, AuditAction.VIEW, plan)
    return TemplateResponse(
        request,
        "cases/reentry_plan.html",
        {
            "person": person,
            "plan": plan,
            "form": form,
            "can_manage": can_manage,
            "contact_form": PreReleaseContactForm(),
            "service_form": ReentryServiceForm(),
            "release_passed": _release_passed(plan),
        },
        status=status_of(form),
    )


def _release_passed(plan) -> bool:
    """The expected release date has gone by and nobody recorded the release: the
    person may be home already, in the days that matter most."""
    return bool(
        plan and plan.released_on is None and plan.expected_release_on < timezone.localdate()
    )


def _plan_page_with_errors(request, plan, **forms):
    context = {
        "person": plan.person,
        "plan": plan,
        "form": ReentryPlanForm(instance=plan),
        "can_manage": True,
        "contact_form": forms.get("contact_form") or PreReleaseContactForm(),
        "service_form": forms.get("service_form") or ReentryServiceForm(),
        "status_form": forms.get("status_form"),
        "status_service": forms.get("status_service"),
        "release_passed": _release_passed(plan),
    }
    return TemplateResponse(request, "cases/reentry_plan.html", context, status=400)


@require_POST
def pre_release_contact_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = get_reentry_plan_for_user(request.user, plan_id, Permission.MANAGE_CASES)
    form = PreReleaseContactForm(request.POST)
    added = save_posted(
        request,
        form,
        lambda data: services.pre_release_contact_add(request=request, plan=plan, data=data),
        _("Contact recorded."),
    )
    if added is NOT_SAVED:
        return _plan_page_with_errors(request, plan, contact_form=form)
    return redirect("cases:reentry", person_id=plan.person_id)


@require_POST
def reentry_service_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = get_reentry_plan_for_user(request.user, plan_id, Permission.MANAGE_CASES)
    form = ReentryServiceForm(request.POST)
    added = save_posted(
        request,
        form,
        lambda data: services.reentry_service_add(request=request, plan=plan, data=data),
        _("Service added to the plan."),
    )
    if added is NOT_SAVED:
        return _plan_page_with_errors(request, plan, service_form=form)
    return redirect("cases:reentry", person_id=plan.person_id)


@require_POST
def reentry_service_status(request: HttpRequest, plan_id: UUID, service_id: UUID) -> HttpResponse:
    plan = get_reentry_plan_for_user(request.user, plan_id, Permission.MANAGE_CASES)
    service = get_object_or_404(plan.services, pk=service_id)
    form = ReentryServiceStatusForm(request.POST)
    changed = save_posted(
        request,
        form,
        lambda data: services.reentry_service_status_change(
            request=request, service=service, status=data["status"]
        ),
        _("Service status updated."),
    )
    if changed is NOT_SAVED:
        return _plan_page_with_errors(request, plan, status_form=form, status_service=service)
    return redirect("cases:reentry", person_id=plan.person_id)


@require_GET
@permission_required(Permission.VIEW_CASES)
def releases_due(request: HttpRequest) -> HttpResponse:
    """Releases due in the next 60 days, and, above them, every release whose date has
    passed with none recorded, oldest first: recording "Released on" takes a person
    off this page."""
    today = timezone.localdate()
    due = list(
        reentry_plans_visible_to(request.user)
        .filter(
            released_on__isnull=True,
            expected_release_on__lte=today + datetime.timedelta(days=RELEASES_WITHIN_DAYS),
        )
        .select_related("person", "person__case_manager")
        .prefetch_related("services")
        .order_by("expected_release_on")
    )
    passed = [p for p in due if p.expected_release_on < today]
    plans = [p for p in due if p.expected_release_on >= today]
    audit_listing(
        request,
        AuditAction.LIST,
        [p.person for p in due],
        record_type="people.person",
        view="releases_due",
    )
    return TemplateResponse(
        request,
        "cases/releases.html",
        {"plans": plans, "passed": passed, "days": RELEASES_WITHIN_DAYS, "today": today},
    )
