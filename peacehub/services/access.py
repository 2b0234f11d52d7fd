"""Who may read and change the service directory. The one place that decides.

- The directory is public reference data about services, with no person in it: every
  role with USE_DIRECTORY (all staff of the coalition's organizations) reads all of it.
  Others get 403, on pages and in the API alike.
- Directory stewards (MANAGE_DIRECTORY in the convener organization: its staff and its
  admin) change every service and organization, and import and export HSDS files.
- An organization admin (MANAGE_DIRECTORY in a partner or provider) changes only the
  services of the directory organizations linked to their own coalition organization.
  A service they may read but not change answers 403: it is no secret that it exists.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from peacehub.accounts.access import has_permission, memberships_of, role_has_permission
from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Permission
from peacehub.services.models import DirectoryOrganization, Location, Service


def can_use_directory(user) -> bool:
    return has_permission(user, Permission.USE_DIRECTORY)


def is_directory_steward(user) -> bool:
    return any(
        m.organization.kind == Organization.Kind.CONVENER
        and role_has_permission(m.role, Permission.MANAGE_DIRECTORY)
        for m in memberships_of(user)
    )


def managed_organization_ids(user) -> list[UUID]:
    """The coalition organizations whose directory entries the user manages."""
    return [
        m.organization_id
        for m in memberships_of(user)
        if role_has_permission(m.role, Permission.MANAGE_DIRECTORY)
    ]


def services_visible_to(user) -> QuerySet:
    if not can_use_directory(user):
        return Service.objects.none()
    return Service.objects.all()


def services_editable_by(user) -> QuerySet:
    if is_directory_steward(user):
        return Service.objects.all()
    return Service.objects.filter(organization__organization_id__in=managed_organization_ids(user))


def directory_organizations_editable_by(user) -> QuerySet:
    if is_directory_steward(user):
        return DirectoryOrganization.objects.all()
    return DirectoryOrganization.objects.filter(organization_id__in=managed_organization_ids(user))


def get_service_for_user(user, service_id: UUID, queryset: QuerySet | None = None) -> Service:
    """A service of the directory (from ``queryset``, for what the caller loads with
    it): 403 without USE_DIRECTORY, 404 when there is none."""
    if not can_use_directory(user):
        raise PermissionDenied
    if queryset is None:
        queryset = Service.objects.for_detail()
    service = queryset.filter(pk=service_id).first()
    if service is None:
        raise Http404
    return service


def get_service_for_editing(user, service_id: UUID) -> Service:
    """404 when there is no such service; 403 for whoever may not change it."""
    if not has_permission(user, Permission.MANAGE_DIRECTORY):
        raise PermissionDenied
    service = Service.objects.select_related("organization").filter(pk=service_id).first()
    if service is None:
        raise Http404
    if not services_editable_by(user).filter(pk=service.pk).exists():
        raise PermissionDenied
    return service


def get_service_location_for_editing(user, service: Service, location_id: UUID) -> Location:
    """A location of a service the user may change (``service`` comes from
    get_service_for_editing): 404 when it is not the service's, 403 when it is another
    organization's place that the service is only offered at."""
    location = (
        Location.objects.filter(pk=location_id, service_at_locations__service=service)
        .select_related("organization")
        .first()
    )
    if location is None:
        raise Http404
    if not is_directory_steward(user) and location.organization_id not in set(
        directory_organizations_editable_by(user).values_list("pk", flat=True)
    ):
        raise PermissionDenied
    return location


def get_directory_organization_for_editing(user, organization_id: UUID) -> DirectoryOrganization:
    if not has_permission(user, Permission.MANAGE_DIRECTORY):
        raise PermissionDenied
    organization = DirectoryOrganization.objects.filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    if not directory_organizations_editable_by(user).filter(pk=organization.pk).exists():
        raise PermissionDenied
    return organization


def require_steward(user) -> None:
    if not is_directory_steward(user):
        raise PermissionDenied
