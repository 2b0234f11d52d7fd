from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from peacehub.accounts.access import organizations_with
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction, AuditEvent
from peacehub.http import paginate_uncounted, permission_required


@require_GET
@permission_required(Permission.VIEW_AUDIT)
def event_list(request: HttpRequest) -> HttpResponse:
    """An organization admin's view of their organization's trail: who read or changed
    which record, when and from where. Ids only: the trail never shows a person's data."""
    organizations = organizations_with(request.user, Permission.VIEW_AUDIT)
    organization_ids = [str(o.pk) for o in organizations]
    events = AuditEvent.objects.filter(organization_id__in=organization_ids).order_by("-sequence")
    selected_org = request.GET.get("organization", "")
    if selected_org in organization_ids:
        events = events.filter(organization_id=selected_org)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    actor = request.GET.get("actor", "").strip().lower()[:254]
    if actor:
        events = events.filter(actor_email__contains=actor)
    record = request.GET.get("record", "").strip()[:36]
    if record:
        events = events.filter(record_id=record)
    names = {str(o.pk): o.name for o in organizations}
    page = paginate_uncounted(request, events, per_page=50)
    for event in page.object_list:
        event.organization_name = names.get(event.organization_id, "")
    return TemplateResponse(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "organizations": organizations,
            "actions": AuditAction.choices,
            "selected": {
                "organization": selected_org,
                "action": action,
                "actor": actor,
                "record": record,
            },
        },
    )
