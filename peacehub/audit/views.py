from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from peacehub.accounts.access import organizations_with
from peacehub.accounts.models import Membership, User
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction, AuditEvent
from peacehub.http import paginate_uncounted, permission_required, uuid_or_none


def _actor_choices(organization_ids: list[str]) -> list[tuple[str, str]]:
    """Whom the trail can be filtered by, as (actor id, "name (email)"): the staff of
    these organizations, and everyone who acted in their trails (former staff, whose
    membership is gone, and anyone else who read one of their records). Nobody else:
    the list names no one the trail does not already show or employ."""
    recorded = AuditEvent.objects.actors_in(organization_ids)
    user_ids = [uuid for uuid in map(uuid_or_none, recorded) if uuid is not None]
    staff = Membership.objects.filter(organization_id__in=organization_ids).values("user_id")
    users = User.objects.filter(Q(pk__in=user_ids) | Q(pk__in=staff)).only("full_name", "email")
    choices = [
        (str(user.pk), f"{user.full_name} ({user.email})" if user.full_name else user.email)
        for user in users
    ]
    named = {actor_id for actor_id, _ in choices}
    # An account deleted since: the address its events recorded.
    choices += sorted(
        (
            (actor_id, email or actor_id)
            for actor_id, email in recorded.items()
            if actor_id not in named
        ),
        key=lambda choice: choice[1],
    )
    return choices


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
    actors = _actor_choices(organization_ids)
    actor = request.GET.get("actor", "")
    if actor in dict(actors):
        events = events.filter(actor_id=actor)
    else:
        actor = ""
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
            "actors": actors,
            "selected": {
                "organization": selected_org,
                "action": action,
                "actor": actor,
                "record": record,
            },
        },
    )
