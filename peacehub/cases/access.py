"""Who sees which case-management records. The one place that decides.

- A case, its intake, assessments, goals and re-entry plan belong to the person's
  organization: members whose role has VIEW_CASES (case managers, victim advocates,
  supervisors) read them; MANAGE_CASES writes; other members get 403, strangers 404.
- Case notes have a type. General notes are for the CVI team; restricted types are
  read and written only by the role that owns them, even within the organization:
  behavioral health and substance use → behavioral health clinicians; legal → legal
  staff; IPV safety → IPV program staff; employment → workforce staff and the case
  team. A supervisor does not read a clinician's notes.
"""

from uuid import UUID

from django.db.models import QuerySet

from peacehub.accounts.access import (
    memberships_of,
    organization_ids_with,
    owned_record_for_user,
)
from peacehub.accounts.roles import Permission, Role
from peacehub.cases.models import Case, CaseNote, NoteType, ReentryPlan

NOTE_TYPE_ROLES: dict[str, frozenset[str]] = {
    NoteType.GENERAL: frozenset(
        {Role.OUTREACH_WORKER, Role.CASE_MANAGER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR}
    ),
    NoteType.EMPLOYMENT: frozenset({Role.WORKFORCE_STAFF, Role.CASE_MANAGER, Role.SUPERVISOR}),
    NoteType.BEHAVIORAL_HEALTH: frozenset({Role.BEHAVIORAL_HEALTH_CLINICIAN}),
    NoteType.SUBSTANCE_USE: frozenset({Role.BEHAVIORAL_HEALTH_CLINICIAN}),
    NoteType.LEGAL: frozenset({Role.LEGAL_STAFF}),
    NoteType.IPV_SAFETY: frozenset({Role.IPV_STAFF}),
}


def cases_visible_to(user) -> QuerySet:
    return Case.objects.filter(
        organization_id__in=organization_ids_with(user, Permission.VIEW_CASES)
    )


def get_case_for_user(user, case_id: UUID, permission=Permission.VIEW_CASES) -> Case:
    return owned_record_for_user(
        Case.objects.select_related("person", "case_manager", "organization"),
        user,
        case_id,
        permission,
        Permission.VIEW_CASES,
    )


def note_types_for(user, organization_id: UUID) -> list[str]:
    """The note types the user reads and writes in the organization."""
    roles = {m.role for m in memberships_of(user) if m.organization_id == organization_id}
    return [t for t in NoteType.values if roles & NOTE_TYPE_ROLES[t]]


def notes_visible_to(user, person) -> QuerySet:
    return CaseNote.objects.filter(
        person=person,
        organization_id=person.organization_id,
        note_type__in=note_types_for(user, person.organization_id),
    )


def reentry_plans_visible_to(user) -> QuerySet:
    return ReentryPlan.objects.filter(
        organization_id__in=organization_ids_with(user, Permission.VIEW_CASES)
    )


def get_reentry_plan_for_user(user, plan_id: UUID, permission=Permission.VIEW_CASES):
    return owned_record_for_user(
        ReentryPlan.objects.select_related("person"),
        user,
        plan_id,
        permission,
        Permission.VIEW_CASES,
    )
