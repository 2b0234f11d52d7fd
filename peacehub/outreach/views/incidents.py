from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.forms import add_service_error, status_of
from peacehub.http import paginate, permission_required
from peacehub.outreach import services
from peacehub.outreach.access import (
    get_incident_for_user,
    get_incident_link_for_user,
    get_response_for_user,
    incident_people_visible_to,
    incidents_visible_to,
    responses_of,
)
from peacehub.outreach.forms import IncidentForm, PersonLinkForm, ResponseActionForm
from peacehub.outreach.models import RESPONSE_ORDER, IncidentKind, ResponseState
from peacehub.outreach.views.common import acting_organization, home_area, workable_people


@require_GET
@permission_required(Permission.VIEW_INCIDENTS)
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = incidents_visible_to(request.user).select_related("community_area")
    kind = request.GET.get("kind", "")
    if kind in IncidentKind.values:
        incidents = incidents.filter(kind=kind)
    else:
        kind = ""
    # The two filters combine: each form on the page carries the other's choice.
    only_open = request.GET.get("open") == "1"
    if only_open:
        incidents = incidents.filter(closed_at__isnull=True)
    page = paginate(request, incidents.order_by("-occurred_at"))
    return TemplateResponse(
        request,
        "outreach/incident_list.html",
        {
            "page": page,
            "kinds": IncidentKind.choices,
            "selected_kind": kind,
            "only_open": only_open,
        },
    )


@permission_required(Permission.REPORT_INCIDENTS)
def incident_new(request: HttpRequest) -> HttpResponse:
    organization = acting_organization(request.user, Permission.REPORT_INCIDENTS)
    area = home_area(request.user, organization)
    form = IncidentForm(request.POST or None, initial={"community_area": area.pk if area else None})
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_report(
                request=request, organization=organization, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not incident.alerted:
                messages.info(
                    request,
                    _(
                        "Incident recorded without alerts: it happened more than "
                        "%(hours)s hours ago."
                    )
                    % {"hours": incident.alert_window_hours},
                )
            elif incident.alerted_count:
                messages.success(
                    request,
                    ngettext(
                        "Incident recorded; %(count)s on-duty responder was alerted.",
                        "Incident recorded; %(count)s on-duty responders were alerted.",
                        incident.alerted_count,
                    )
                    % {"count": incident.alerted_count},
                )
            else:
                # Nobody but the person reporting would know (they are not alerted of
                # their own report): they must know that, now.
                messages.warning(
                    request,
                    _(
                        "Incident recorded, but nobody is on duty in the responding "
                        "organizations right now. Call your supervisor."
                    ),
                )
            return redirect("outreach:incident", incident_id=incident.pk)
    return TemplateResponse(
        request, "outreach/incident_form.html", {"form": form}, status=status_of(form)
    )


def _detail_context(request, incident, *, link_form=None, action_form=None):
    user = request.user
    own = list(responses_of(user, incident, Permission.VIEW_INCIDENTS).prefetch_related("actions"))
    others = incident.responses.exclude(pk__in=[r.pk for r in own]).select_related("organization")
    links = list(incident_people_visible_to(user, incident))
    if links:
        audit_listing(
            request,
            AuditAction.LIST,
            [link.person for link in links],
            record_type="people.person",
            incident=str(incident.pk),
        )
    for response in own:
        index = RESPONSE_ORDER.index(ResponseState(response.state))
        response.next_state = RESPONSE_ORDER[index + 1] if index + 1 < len(RESPONSE_ORDER) else None
        response.can_act = has_permission(
            user, Permission.RESPOND_TO_INCIDENTS, response.organization_id
        )
    can_link = has_permission(user, Permission.RESPOND_TO_INCIDENTS) and has_permission(
        user, Permission.VIEW_PEOPLE
    )
    for link in links:
        link.can_remove = has_permission(
            user, Permission.RESPOND_TO_INCIDENTS, link.organization_id
        )
    may_close = has_permission(
        user, Permission.RESPOND_TO_INCIDENTS, incident.reported_by_organization_id
    )
    return {
        "incident": incident,
        "own_responses": own,
        "other_responses": others,
        "links": links,
        "can_link": can_link,
        "link_form": link_form
        or PersonLinkForm(people=workable_people(user, Permission.RESPOND_TO_INCIDENTS)),
        "action_form": action_form or ResponseActionForm(),
        "can_close": incident.is_open and may_close,
        "can_reopen": not incident.is_open and may_close,
    }


@require_GET
def incident_detail(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, incident_id)
    return TemplateResponse(
        request, "outreach/incident_detail.html", _detail_context(request, incident)
    )


@require_POST
def incident_link_person(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, incident_id)
    if not has_permission(request.user, Permission.RESPOND_TO_INCIDENTS):
        raise PermissionDenied
    form = PersonLinkForm(
        request.POST, people=workable_people(request.user, Permission.RESPOND_TO_INCIDENTS)
    )
    if not form.is_valid():
        return TemplateResponse(
            request,
            "outreach/incident_detail.html",
            _detail_context(request, incident, link_form=form),
            status=400,
        )
    services.incident_person_link(
        request=request,
        incident=incident,
        person=form.cleaned_data["person"],
        relation=form.cleaned_data["relation"],
    )
    messages.success(request, _("Linked to the incident. Only your organization sees this."))
    return redirect("outreach:incident", incident_id=incident.pk)


@require_POST
def incident_unlink_person(request: HttpRequest, incident_id: UUID, link_id: UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, incident_id)
    if not has_permission(request.user, Permission.RESPOND_TO_INCIDENTS):
        raise PermissionDenied
    link = get_incident_link_for_user(request.user, incident, link_id)
    services.incident_person_unlink(request=request, link=link)
    messages.success(request, _("The participant is no longer linked to the incident."))
    return redirect("outreach:incident", incident_id=incident.pk)


@require_POST
def response_step(request: HttpRequest, response_id: UUID) -> HttpResponse:
    response = get_response_for_user(request.user, response_id)
    to_state = request.POST.get("state", "")
    if to_state == response.state:
        messages.info(
            request,
            _("“%(state)s” was already recorded.") % {"state": response.get_state_display()},
        )
    try:
        services.response_advance(request=request, response=response, to_state=to_state)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("outreach:incident", incident_id=response.incident_id)


@require_POST
def response_action(request: HttpRequest, response_id: UUID) -> HttpResponse:
    response = get_response_for_user(request.user, response_id)
    form = ResponseActionForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "outreach/incident_detail.html",
            _detail_context(request, response.incident, action_form=form),
            status=400,
        )
    services.response_action_add(
        request=request,
        response=response,
        kind=form.cleaned_data["kind"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("Action logged."))
    return redirect("outreach:incident", incident_id=response.incident_id)


def _incident_of_reporting_organization(request: HttpRequest, incident_id: UUID):
    """Closing and reopening belong to the organization that reported the incident."""
    incident = get_incident_for_user(request.user, incident_id)
    if not has_permission(
        request.user, Permission.RESPOND_TO_INCIDENTS, incident.reported_by_organization_id
    ):
        raise PermissionDenied
    return incident


@require_POST
def incident_close(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    incident = _incident_of_reporting_organization(request, incident_id)
    services.incident_close(request=request, incident=incident)
    messages.success(request, _("Incident closed."))
    return redirect("outreach:incident", incident_id=incident.pk)


@require_POST
def incident_reopen(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    incident = _incident_of_reporting_organization(request, incident_id)
    services.incident_reopen(request=request, incident=incident)
    messages.success(request, _("Incident reopened."))
    return redirect("outreach:incident", incident_id=incident.pk)
