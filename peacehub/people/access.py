"""Which people, and which of their fields, a user may see. The one place that decides.

Rules:
- A person belongs to one organization. Members of that organization whose role has
  VIEW_PEOPLE see them; the CVI roles (RECORD_ELIGIBILITY: outreach, case management,
  victim advocacy, supervision) also see nicknames and the eligibility checklist.
- Another organization sees a person only through an open referral to it that a
  current consent naming that organization covers, and then only the name, preferred
  language and what the consent lists. Revoking or expiring the consent, or closing
  the referral, ends that access on the next request.
- Everyone else gets 404, exactly as for a person who does not exist. A member of the
  owning organization whose role may not see people (an admin, a trainer) gets 403.
- Convener staff, evaluators and trainers never see a person-level page.
Lists, searches, counts, exports and the API all start from `people_visible_to`.
"""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from peacehub.accounts.access import (
    has_permission,
    memberships_of,
    organization_ids_with,
)
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.people.models import Consent, ConsentKind, Person, PersonQuerySet, ShareScope
from peacehub.referrals.models import OPEN_STATUSES


class PersonField(StrEnum):
    NAMES = "names"
    NICKNAMES = "nicknames"
    BIRTH = "birth"
    GENDER = "gender"
    LANGUAGE = "language"
    PHONE = "phone"
    COMMUNITY_AREA = "community_area"
    STATUS = "status"
    ELIGIBILITY = "eligibility"
    CONSENTS = "consents"


_OWNER_FIELDS = frozenset(PersonField) - {PersonField.NICKNAMES, PersonField.ELIGIBILITY}
_CVI_FIELDS = frozenset(PersonField)
_SHARED_BASE = frozenset({PersonField.NAMES, PersonField.LANGUAGE})
_SCOPE_FIELDS = {
    ShareScope.PHONE: PersonField.PHONE,
    ShareScope.DATE_OF_BIRTH: PersonField.BIRTH,
    ShareScope.COMMUNITY_AREA: PersonField.COMMUNITY_AREA,
}


@dataclass(frozen=True)
class PersonAccess:
    person: Person
    fields: frozenset[PersonField]
    # True when the person belongs to another organization and is seen through a
    # sharing consent: read-only, reduced fields.
    shared: bool

    def can_see(self, field: PersonField | str) -> bool:
        return PersonField(field) in self.fields


def people_visible_to(user, queryset: PersonQuerySet | None = None) -> PersonQuerySet:
    queryset = Person.objects.all() if queryset is None else queryset
    organization_ids = organization_ids_with(user, Permission.VIEW_PEOPLE)
    if not organization_ids:
        return queryset.none()
    return queryset.filter(organization_id__in=organization_ids)


def _current_shares_for(organization_ids: list[UUID]):
    """Current sharing consents naming one of these organizations that an open
    referral to it relies on: sharing happens only through a referral."""
    return Consent.objects.current().filter(
        kind=ConsentKind.SHARE,
        recipient_id__in=organization_ids,
        referrals__receiving_organization_id__in=organization_ids,
        referrals__status__in=OPEN_STATUSES,
    )


def people_shared_with(user, queryset: PersonQuerySet | None = None) -> PersonQuerySet:
    """People of other organizations whose current consent names one of the user's."""
    queryset = Person.objects.all() if queryset is None else queryset
    organization_ids = organization_ids_with(user, Permission.VIEW_SHARED_PEOPLE)
    if not organization_ids:
        return queryset.none()
    # A semi-join from the few current shares to their people: an EXISTS per person
    # made the database test every person of the coalition for a share.
    shared_ids = _current_shares_for(organization_ids).values("person_id")
    return queryset.exclude(organization_id__in=organization_ids).filter(pk__in=shared_ids)


def fields_for_owner(user, person: Person) -> frozenset[PersonField]:
    if has_permission(user, Permission.RECORD_ELIGIBILITY, person.organization_id):
        return _CVI_FIELDS
    return _OWNER_FIELDS


def fields_shared_with(user, person: Person) -> frozenset[PersonField] | None:
    organization_ids = organization_ids_with(user, Permission.VIEW_SHARED_PEOPLE)
    if not organization_ids or person.organization_id in organization_ids:
        return None
    scopes = (
        _current_shares_for(organization_ids).filter(person=person).values_list("scope", flat=True)
    )
    found = False
    fields = set(_SHARED_BASE)
    for scope in scopes:
        found = True
        fields.update(_SCOPE_FIELDS[ShareScope(s)] for s in scope if s in ShareScope.values)
    return frozenset(fields) if found else None


def person_access_for(user, person: Person) -> PersonAccess | None:
    if has_permission(user, Permission.VIEW_PEOPLE, person.organization_id):
        return PersonAccess(person, fields_for_owner(user, person), shared=False)
    shared = fields_shared_with(user, person)
    if shared is not None:
        return PersonAccess(person, shared, shared=True)
    return None


def _deny(user, person: Person | None):
    """403 for a member of the owning organization, 404 for everyone else."""
    if person is not None and any(
        m.organization_id == person.organization_id for m in memberships_of(user)
    ):
        raise PermissionDenied
    raise Http404


def get_person_for_user(
    request,
    person_id: UUID,
    permission: Permission = Permission.VIEW_PEOPLE,
    *,
    audit_action: AuditAction | None = AuditAction.VIEW,
) -> PersonAccess:
    """The one way a view or an API endpoint fetches a person. Reading through a share
    needs only VIEW_SHARED_PEOPLE and is read-only; anything else needs ``permission``
    in the owning organization. Writes an audit event for the read unless the caller
    audits the action itself (audit_action=None)."""
    user = request.user
    person = (
        Person.objects.select_related("organization", "community_area").filter(pk=person_id).first()
    )
    if person is None:
        raise Http404
    access = person_access_for(user, person)
    if access is None:
        _deny(user, person)
    if access.shared:
        if permission != Permission.VIEW_PEOPLE:
            raise Http404
    elif not has_permission(user, permission, person.organization_id):
        raise PermissionDenied
    if audit_action is not None:
        audit_request(
            request,
            audit_action,
            person,
            detail={"shared": True} if access.shared else None,
        )
    return access
