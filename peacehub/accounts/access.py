"""Who may do what, in which organization. Every permission check goes through here."""

from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from peacehub.accounts.models import Membership, Organization, User
from peacehub.accounts.roles import ROLE_PERMISSIONS, Permission, Role

_CACHE_ATTRIBUTE = "_peacehub_memberships"


def memberships_of(user) -> list[Membership]:
    """The user's memberships, loaded once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organization"))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_memberships(user: User) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def role_has_permission(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())


def has_permission(user, permission: Permission, organization: Organization | UUID | None = None):
    """True when one of the user's memberships grants the permission, in the given
    organization when one is named, in any of theirs otherwise."""
    org_id = organization.pk if isinstance(organization, Organization) else organization
    return any(
        role_has_permission(m.role, permission)
        for m in memberships_of(user)
        if org_id is None or m.organization_id == org_id
    )


def organization_ids_with(user, permission: Permission) -> list[UUID]:
    return [
        m.organization_id for m in memberships_of(user) if role_has_permission(m.role, permission)
    ]


def organizations_with(user, permission: Permission) -> list[Organization]:
    return [m.organization for m in memberships_of(user) if role_has_permission(m.role, permission)]


def permissions_of(user) -> set[Permission]:
    granted: set[Permission] = set()
    for membership in memberships_of(user):
        granted |= ROLE_PERMISSIONS[Role(membership.role)]
    return granted


def roles_in(user, organization_id: UUID) -> set[str]:
    return {m.role for m in memberships_of(user) if m.organization_id == organization_id}


def get_organization_for_user(user, organization_id: UUID, permission: Permission) -> Organization:
    """An organization the user holds ``permission`` in. A member whose role lacks it
    gets 403; anyone else gets 404, whatever the organization, so ids cannot be probed."""
    own = [m for m in memberships_of(user) if m.organization_id == organization_id]
    if not own:
        raise Http404
    if not any(role_has_permission(m.role, permission) for m in own):
        raise PermissionDenied
    return own[0].organization


def any_permission(user, permissions: Iterable[Permission]) -> bool:
    granted = permissions_of(user)
    return any(p in granted for p in permissions)


def owned_record_for_user(queryset, user, object_id, permission: Permission, view_permission=None):
    """Fetch one record that belongs to an organization (it has ``organization_id``):
    404 for anyone outside that organization, whatever the record; 403 for a member
    whose role lacks ``view_permission`` (when given) or ``permission``."""
    record = queryset.filter(pk=object_id).first()
    if record is None:
        raise Http404
    organization_id = record.organization_id
    if not any(m.organization_id == organization_id for m in memberships_of(user)):
        raise Http404
    for needed in filter(None, (view_permission, permission)):
        if not has_permission(user, needed, organization_id):
            raise PermissionDenied
    return record
