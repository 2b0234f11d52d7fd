from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate, permission_required
from peacehub.outreach import services
from peacehub.outreach.access import conflicts_visible_to, get_conflict_for_user
from peacehub.outreach.forms import (
    AgreementForm,
    AgreementStateForm,
    ConflictForm,
    PartyForm,
    SessionForm,
)
from peacehub.outreach.models import AgreementState
from peacehub.outreach.views.common import acting_organization, home_area, workable_people


@require_GET
@permission_required(Permission.VIEW_CONTACTS)
def conflict_list(request: HttpRequest) -> HttpResponse:
    conflicts = conflicts_visible_to(request.user).select_related("community_area")
    if request.GET.get("closed") != "1":
        conflicts = conflicts.filter(closed_on__isnull=True)
    page = paginate(request, conflicts.prefetch_related("agreements").order_by("-opened_on"))
    return TemplateResponse(
        request,
        "outreach/conflict_list.html",
        {"page": page, "can_manage": has_permission(request.user, Permission.MANAGE_MEDIATIONS)},
    )


@permission_required(Permission.MANAGE_MEDIATIONS)
def conflict_new(request: HttpRequest) -> HttpResponse:
    organization = acting_organization(request.user, Permission.MANAGE_MEDIATIONS)
    area = home_area(request.user, organization)
    form = ConflictForm(request.POST or None, initial={"community_area": area.pk if area else None})
    if request.method == "POST" and form.is_valid():
        conflict = services.conflict_open(
            request=request,
            organization=organization,
            label=form.cleaned_data["label"],
            community_area=form.cleaned_data["community_area"],
        )
        return redirect("outreach:conflict", conflict_id=conflict.pk)
    return TemplateResponse(
        request, "outreach/conflict_form.html", {"form": form}, status=status_of(form)
    )


def _conflict_page(request, conflict, status=200, **forms):
    people = workable_people(request.user, Permission.MANAGE_MEDIATIONS)
    parties = list(conflict.parties.select_related("person"))
    audit_request(request, AuditAction.VIEW, conflict)
    persons = [p.person for p in parties if p.person]
    if persons:
        audit_listing(request, AuditAction.LIST, persons, record_type="people.person")
    context = {
        "conflict": conflict,
        "parties": parties,
        "sessions": conflict.sessions.select_related("facilitator"),
        "agreements": conflict.agreements.prefetch_related("history"),
        "can_manage": has_permission(
            request.user, Permission.MANAGE_MEDIATIONS, conflict.organization_id
        ),
        "party_form": forms.get("party_form") or PartyForm(people=people),
        "session_form": forms.get("session_form") or SessionForm(),
        "agreement_form": forms.get("agreement_form") or AgreementForm(),
        "state_form": forms.get("state_form") or AgreementStateForm(),
        "states": AgreementState.choices,
    }
    return TemplateResponse(request, "outreach/conflict_detail.html", context, status=status)


@require_GET
def conflict_detail(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    return _conflict_page(request, get_conflict_for_user(request.user, conflict_id))


@require_POST
def conflict_party_add(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = PartyForm(
        request.POST, people=workable_people(request.user, Permission.MANAGE_MEDIATIONS)
    )
    added = save_posted(
        request,
        form,
        lambda data: services.conflict_party_add(
            request=request,
            conflict=conflict,
            person=data["person"],
            group_label=data["group_label"].strip(),
        ),
        done=None,
    )
    if added is not NOT_SAVED:
        return redirect("outreach:conflict", conflict_id=conflict.pk)
    return _conflict_page(request, conflict, status=400, party_form=form)


@require_POST
def mediation_session_add(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = SessionForm(request.POST)
    if form.is_valid():
        services.mediation_session_add(request=request, conflict=conflict, **form.cleaned_data)
        messages.success(request, _("Session recorded."))
        return redirect("outreach:conflict", conflict_id=conflict.pk)
    return _conflict_page(request, conflict, status=400, session_form=form)


@require_POST
def agreement_add(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = AgreementForm(request.POST)
    if form.is_valid():
        services.agreement_make(request=request, conflict=conflict, **form.cleaned_data)
        messages.success(request, _("Agreement recorded."))
        return redirect("outreach:conflict", conflict_id=conflict.pk)
    return _conflict_page(request, conflict, status=400, agreement_form=form)


@require_POST
def agreement_state(request: HttpRequest, conflict_id: UUID, agreement_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    agreement = get_object_or_404(conflict.agreements, pk=agreement_id)
    form = AgreementStateForm(request.POST)
    changed = save_posted(
        request,
        form,
        lambda data: services.agreement_state_change(request=request, agreement=agreement, **data),
        _("Agreement updated."),
    )
    if changed is not NOT_SAVED:
        return redirect("outreach:conflict", conflict_id=conflict.pk)
    return _conflict_page(request, conflict, status=400, state_form=form)
