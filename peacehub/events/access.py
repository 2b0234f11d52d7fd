"""Who may act on which events. The one place that decides, as outreach.access does for
outreach.

- Events and series belong to their host organizations. Members of a host whose role
  has MANAGE_EVENTS create, edit and cancel them and record attendance; other members
  of a host get 403; everyone else gets 404, so ids cannot be probed.
- Places are public reference data: anyone who manages events may add one.
- The summer check is seen by members with VIEW_SUMMER_CHECK: convener staff see every
  organization's row; a host organization's supervisors and admins see their own.
- The public sees public events only (Event.objects.public()), signed in or not.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from peacehub.accounts.access import memberships_of, organizations_with, role_has_permission
from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Permission
from peacehub.events.models import Event, Series


def host_organizations(user) -> list[Organization]:
    """The organizations the user may host events for."""
    return organizations_with(user, Permission.MANAGE_EVENTS)


def _host_ids(user) -> list[UUID]:
    return [o.pk for o in host_organizations(user)]


def events_managed_by(user) -> QuerySet:
    hosted = Event.hosts.through.objects.filter(organization_id__in=_host_ids(user))
    return Event.objects.filter(pk__in=hosted.values("event_id"))


def series_managed_by(user) -> QuerySet:
    hosted = Series.hosts.through.objects.filter(organization_id__in=_host_ids(user))
    return Series.objects.filter(pk__in=hosted.values("series_id"))


def _hosted(queryset: QuerySet, user, record_id: UUID, permission: Permission) -> Model:
    """One hosted record: 404 unless the user belongs to one of its hosts, 403 when
    their role there lacks ``permission``."""
    record = queryset.filter(pk=record_id).first()
    if record is None:
        raise Http404
    host_ids = {o.pk for o in record.hosts.all()}
    own = [m for m in memberships_of(user) if m.organization_id in host_ids]
    if not own:
        raise Http404
    if not any(role_has_permission(m.role, permission) for m in own):
        raise PermissionDenied
    return record


def get_event_for_user(user, event_id: UUID, permission=Permission.MANAGE_EVENTS) -> Event:
    return _hosted(
        Event.objects.select_related("place", "series").prefetch_related("hosts"),
        user,
        event_id,
        permission,
    )


def get_series_for_user(user, series_id: UUID, permission=Permission.MANAGE_EVENTS) -> Series:
    return _hosted(
        Series.objects.select_related("place").prefetch_related("hosts"),
        user,
        series_id,
        permission,
    )


def summer_check_scope(user) -> tuple[list[Organization], bool]:
    """(the user's own organizations whose row they see, whether they see every row as
    the convener). 403 when they see none."""
    organizations = organizations_with(user, Permission.VIEW_SUMMER_CHECK)
    if not organizations:
        raise PermissionDenied
    is_convener = any(o.kind == Organization.Kind.CONVENER for o in organizations)
    return organizations, is_convener
