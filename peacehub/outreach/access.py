"""Who sees which outreach records. The one place that decides, as people.access does
for people.

- Contacts, mediations and introductions belong to one organization: members whose
  role has VIEW_CONTACTS see them; others of the organization get 403, strangers 404.
- An incident is seen by every organization that serves its community area (it must
  respond), by the organization that reported it, and by convener staff. The people
  linked to it are seen only by the organization each person belongs to.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from peacehub.accounts.access import (
    has_permission,
    memberships_of,
    organization_ids_with,
    organizations_with,
    owned_record_for_user,
)
from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Permission
from peacehub.outreach.models import (
    Conflict,
    Contact,
    Incident,
    IncidentPerson,
    IncidentResponse,
    Introduction,
)
from peacehub.people.access import people_visible_to

# --- Contacts ---------------------------------------------------------------------


def contacts_visible_to(user) -> QuerySet:
    return Contact.objects.filter(
        organization_id__in=organization_ids_with(user, Permission.VIEW_CONTACTS)
    )


def get_contact_for_user(user, contact_id: UUID, permission=Permission.VIEW_CONTACTS) -> Contact:
    return owned_record_for_user(
        Contact.objects.select_related("person", "community_area"),
        user,
        contact_id,
        permission,
        Permission.VIEW_CONTACTS,
    )


# --- Incidents --------------------------------------------------------------------


def incidents_visible_to(user) -> QuerySet:
    # The memberships (with their organizations) are already loaded for the request.
    organizations = organizations_with(user, Permission.VIEW_INCIDENTS)
    if not organizations:
        return Incident.objects.none()
    if any(o.kind == Organization.Kind.CONVENER for o in organizations):
        return Incident.objects.all()
    organization_ids = [o.pk for o in organizations]
    # Ids first, so that the incident query needs no join and no DISTINCT.
    area_ids = list(
        Organization.community_areas.through.objects.filter(
            organization_id__in=organization_ids
        ).values_list("communityarea_id", flat=True)
    )
    return Incident.objects.filter(
        Q(community_area_id__in=area_ids)
        | Q(reported_by_organization_id__in=organization_ids)
        | Q(
            pk__in=IncidentResponse.objects.filter(organization_id__in=organization_ids).values(
                "incident_id"
            )
        )
    )


def get_incident_for_user(user, incident_id: UUID) -> Incident:
    incident = (
        incidents_visible_to(user)
        .select_related("community_area", "reported_by_organization")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise Http404
    return incident


def responses_of(user, incident: Incident, permission=Permission.RESPOND_TO_INCIDENTS):
    """The user's own organizations' responses to the incident that they may act on."""
    return IncidentResponse.objects.filter(
        incident=incident, organization_id__in=organization_ids_with(user, permission)
    ).select_related("organization", "acknowledged_by", "on_scene_by", "follow_up_done_by")


def get_response_for_user(user, response_id: UUID) -> IncidentResponse:
    response = (
        IncidentResponse.objects.select_related("incident", "organization")
        .filter(pk=response_id)
        .first()
    )
    if response is None:
        raise Http404
    get_incident_for_user(user, response.incident_id)  # 404 unless the incident is seen
    if not any(m.organization_id == response.organization_id for m in memberships_of(user)):
        raise Http404
    if not has_permission(user, Permission.RESPOND_TO_INCIDENTS, response.organization_id):
        raise PermissionDenied
    return response


def incident_people_visible_to(user, incident: Incident) -> QuerySet:
    """Links to people of the user's own organizations only."""
    return IncidentPerson.objects.filter(
        incident=incident, person__in=people_visible_to(user)
    ).select_related("person")


def get_incident_link_for_user(user, incident: Incident, link_id: UUID) -> IncidentPerson:
    """One link of the incident to a person of the user's own organizations: 404 for
    any other (another organization's links are never seen), 403 for a member whose
    role there may not link people."""
    link = incident_people_visible_to(user, incident).filter(pk=link_id).first()
    if link is None:
        raise Http404
    if not has_permission(user, Permission.RESPOND_TO_INCIDENTS, link.organization_id):
        raise PermissionDenied
    return link


# --- Mediations and introductions ---------------------------------------------------


def conflicts_visible_to(user) -> QuerySet:
    return Conflict.objects.filter(
        organization_id__in=organization_ids_with(user, Permission.VIEW_CONTACTS)
    )


def get_conflict_for_user(user, conflict_id: UUID, permission=Permission.VIEW_CONTACTS) -> Conflict:
    return owned_record_for_user(
        Conflict.objects.select_related("community_area"),
        user,
        conflict_id,
        permission,
        Permission.VIEW_CONTACTS,
    )


def introductions_visible_to(user) -> QuerySet:
    return Introduction.objects.filter(
        organization_id__in=organization_ids_with(user, Permission.VIEW_CONTACTS)
    )


def get_introduction_for_user(
    user, introduction_id: UUID, permission=Permission.VIEW_CONTACTS
) -> Introduction:
    return owned_record_for_user(
        Introduction.objects.select_related("person", "introduced_by", "case_manager"),
        user,
        introduction_id,
        permission,
        Permission.VIEW_CONTACTS,
    )
