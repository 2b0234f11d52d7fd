from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
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
    ConflictCloseForm,
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
    show_closed = request.GET.get("closed") == "1"
    if not show_closed:
        conflicts = conflicts.filter(closed_on__isnull=True)
    page = paginate(request, conflicts.prefetch_related("agreements").order_by("-opened_on"))
    return TemplateResponse(
        request,
        "outreach/conflict_list.html",
        {
            "page": page,
            "show_closed": show_closed,
            "can_manage": has_permission(request.user, Permission.MANAGE_MEDIATIONS),
        },
    )


@permission_required(Permission.MANAGE_MEDIATIONS)
def conflict_new(request: HttpRequest) -> HttpResponse:
    organization = acting_organization(request.user, Permission.MANAGE_MEDIATIONS)
    area = home_area(request.user, organization)
    form = ConflictForm(request.POST or None, initial={"community_area": area.pk if area else None})
    conflict = save_posted(
        request,
        form,
        lambda data: services.conflict_open(request=request, organization=organization, **data),
        done=None,
    )
    if conflict is not NOT_SAVED:
        return redirect("outreach:conflict", conflict_id=conflict.pk)
    return TemplateResponse(
        request, "outreach/conflict_form.html", {"form": form}, status=status_of(form)
    )


def _state_form(agreement, data=None) -> AgreementStateForm:
    """Each agreement's own form, with ids of its own, so that a label focuses the
    field of the agreement it stands under. It starts on the agreement's state: a new
    review date alone leaves the state as it is."""
    return AgreementStateForm(
        data, auto_id=f"id_agreement_{agreement.pk}_%s", initial={"state": agreement.state}
    )


def _conflict_page(request, conflict, status=200, posted_agreement=None, **forms):
    people = workable_people(request.user, Permission.MANAGE_MEDIATIONS)
    parties = list(conflict.parties.select_related("person"))
    audit_request(request, AuditAction.VIEW, conflict)
    persons = [p.person for p in parties if p.person]
    if persons:
        audit_listing(request, AuditAction.LIST, persons, record_type="people.person")
    agreements = list(conflict.agreements.prefetch_related("history"))
    for agreement in agreements:
        # The posted form (its problems, what was typed) under its own agreement only.
        if posted_agreement is not None and agreement.pk == posted_agreement.pk:
            agreement.state_form = forms["state_form"]
        else:
            agreement.state_form = _state_form(agreement)
    context = {
        "conflict": conflict,
        "parties": parties,
        "sessions": conflict.sessions.select_related("facilitator"),
        "agreements": agreements,
        "can_manage": has_permission(
            request.user, Permission.MANAGE_MEDIATIONS, conflict.organization_id
        ),
        "party_form": forms.get("party_form") or PartyForm(people=people),
        "session_form": forms.get("session_form") or SessionForm(),
        "agreement_form": forms.get("agreement_form") or AgreementForm(),
        "close_form": forms.get("close_form") or ConflictCloseForm(auto_id="id_close_%s"),
        "states": AgreementState.choices,
    }
    return TemplateResponse(request, "outreach/conflict_detail.html", context, status=status)


def _save_on_page(request, conflict, form_name, form, *, save, done, **page) -> HttpResponse:
    """A form posted on the mediation page: back to the page once saved, or the page
    again with this form (as ``form_name``) and its problems (400)."""
    if save_posted(request, form, save, done) is not NOT_SAVED:
        return redirect("outreach:conflict", conflict_id=conflict.pk)
    return _conflict_page(request, conflict, status=400, **{form_name: form}, **page)


@require_GET
def conflict_detail(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    return _conflict_page(request, get_conflict_for_user(request.user, conflict_id))


@require_POST
def conflict_party_add(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = PartyForm(
        request.POST, people=workable_people(request.user, Permission.MANAGE_MEDIATIONS)
    )
    return _save_on_page(
        request,
        conflict,
        "party_form",
        form,
        save=lambda data: services.conflict_party_add(
            request=request,
            conflict=conflict,
            person=data["person"],
            group_label=data["group_label"].strip(),
        ),
        done=None,
    )


@require_POST
def conflict_party_remove(request: HttpRequest, conflict_id: UUID, party_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    party = get_object_or_404(conflict.parties, pk=party_id)
    try:
        services.conflict_party_remove(request=request, party=party)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Party removed."))
    return redirect("outreach:conflict", conflict_id=conflict.pk)


@require_POST
def mediation_session_add(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = SessionForm(request.POST)
    return _save_on_page(
        request,
        conflict,
        "session_form",
        form,
        save=lambda data: services.mediation_session_add(
            request=request, conflict=conflict, **data
        ),
        done=_("Session recorded."),
    )


@require_POST
def agreement_add(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = AgreementForm(request.POST)
    return _save_on_page(
        request,
        conflict,
        "agreement_form",
        form,
        save=lambda data: services.agreement_make(request=request, conflict=conflict, **data),
        done=_("Agreement recorded."),
    )


@require_POST
def agreement_state(request: HttpRequest, conflict_id: UUID, agreement_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    agreement = get_object_or_404(conflict.agreements, pk=agreement_id)
    form = _state_form(agreement, request.POST)
    return _save_on_page(
        request,
        conflict,
        "state_form",
        form,
        posted_agreement=agreement,
        save=lambda data: services.agreement_state_change(
            request=request, agreement=agreement, **data
        ),
        done=lambda change: _agreement_updated(change, agreement),
    )


def _agreement_updated(change, agreement) -> str:
    """A change dated before the agreement's latest one goes into its history only:
    say so, as the badge does not change. A new review date alone is no change."""
    if change is None:
        agreement.refresh_from_db(fields=["review_on"])
        return _("Next review set to %(date)s.") % {
            "date": date_format(agreement.review_on, "SHORT_DATE_FORMAT")
        }
    latest = change.agreement.history.first()
    if latest.pk == change.pk:
        return _("Agreement updated.")
    return _(
        "Change recorded in the history. The agreement stays “%(state)s”, as changed on %(date)s."
    ) % {
        "state": latest.get_state_display(),
        "date": date_format(latest.changed_on, "SHORT_DATE_FORMAT"),
    }


@require_POST
def conflict_close(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    form = ConflictCloseForm(request.POST, auto_id="id_close_%s")
    return _save_on_page(
        request,
        conflict,
        "close_form",
        form,
        save=lambda data: services.conflict_close(request=request, conflict=conflict, **data),
        done=_("Mediation closed."),
    )


@require_POST
def conflict_reopen(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    conflict = get_conflict_for_user(request.user, conflict_id, Permission.MANAGE_MEDIATIONS)
    try:
        services.conflict_reopen(request=request, conflict=conflict)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Mediation reopened."))
    return redirect("outreach:conflict", conflict_id=conflict.pk)
