"""Who sees which program records, and which of their fields. The one place that
decides, as people.access does for people.

Rules:
- An enrollment belongs to the program's organization. Nobody outside that
  organization ever learns it exists: 404, as for an id that does not exist, and it
  is never in their lists or counts.
- The program's own staff manage its enrollments in their organization: workforce
  staff (WORKFORCE_PROGRAM) the workforce program, legal staff (LEGAL_PROGRAM) legal
  aid, behavioral health clinicians (BEHAVIORAL_HEALTH_PROGRAM) behavioral health, IPV
  staff (IPV_PROGRAM) the IPV program.
- Those who follow a participant's progress in the same organization
  (VIEW_PROGRAM_PROGRESS: case managers, victim advocates, supervisors and every
  program's staff) see that a person is enrolled, its status and dates, the workforce
  milestones, the type, status and dates of legal matters, and how many sessions were
  held and when the last one was (attendance, nothing more).
- Restricted fields, each behind a named predicate below:
  - legal notes and a matter's outcome: legal staff only (`can_read_legal_notes`);
  - the sessions themselves (dates, formats, languages, clinicians) and their notes:
    for behavioral health, clinicians only, not supervisors, not case managers; for
    the IPV program, IPV staff only (`can_read_sessions`, `can_read_session_notes`);
  - the IPV safety plan: read and written by IPV staff only (`can_read_safety_plan`,
    `can_write_safety_plan`).
- Any other member of the organization (an outreach worker, an admin) gets 403.
Every read of one enrollment through `get_enrollment_for_user` with a request writes
an audit event; lists audit the records they show.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from peacehub.accounts.access import (
    has_permission,
    memberships_of,
    organization_ids_with,
)
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.programs.models import Enrollment, Program

PROGRAM_PERMISSIONS: dict[str, Permission] = {
    Program.WORKFORCE: Permission.WORKFORCE_PROGRAM,
    Program.LEGAL: Permission.LEGAL_PROGRAM,
    Program.BEHAVIORAL_HEALTH: Permission.BEHAVIORAL_HEALTH_PROGRAM,
    Program.IPV: Permission.IPV_PROGRAM,
}


def program_permission(program: str) -> Permission:
    return PROGRAM_PERMISSIONS[Program(program)]


def programs_of(user) -> list[Program]:
    """The programs whose staff the user is, in any of their organizations."""
    return [p for p in Program if has_permission(user, PROGRAM_PERMISSIONS[p])]


def enrollments_visible_to(user, program: str | None = None) -> QuerySet:
    """The enrollments the user may list and count: every program's in the
    organizations where they follow progress. With `program`, that program's only."""
    organization_ids = organization_ids_with(user, Permission.VIEW_PROGRAM_PROGRESS)
    if not organization_ids:
        return Enrollment.objects.none()
    enrollments = Enrollment.objects.filter(organization_id__in=organization_ids)
    if program is not None:
        enrollments = enrollments.filter(program=program)
    return enrollments


def enrollments_managed_by(user, program: str) -> QuerySet:
    """One program's enrollments in the organizations where the user is its staff: a
    narrowing of enrollments_visible_to, never a widening."""
    organization_ids = organization_ids_with(user, program_permission(program))
    return enrollments_visible_to(user, program).filter(organization_id__in=organization_ids)


# --- Named predicates for the restricted fields ----------------------------------------


def can_manage_enrollment(user, enrollment: Enrollment) -> bool:
    """The program's own staff, in the enrollment's organization."""
    return has_permission(user, program_permission(enrollment.program), enrollment.organization_id)


def can_read_legal_notes(user, enrollment: Enrollment) -> bool:
    """Legal notes and matter outcomes: legal staff of the organization."""
    return enrollment.program == Program.LEGAL and has_permission(
        user, Permission.LEGAL_PROGRAM, enrollment.organization_id
    )


def can_read_sessions(user, enrollment: Enrollment) -> bool:
    """The list of sessions: the program's own staff. Others who follow progress get
    the number of sessions and the date of the last one."""
    return can_read_session_notes(user, enrollment)


def can_read_session_notes(user, enrollment: Enrollment) -> bool:
    """Behavioral health notes: clinicians only; IPV notes: IPV staff only."""
    if enrollment.program == Program.BEHAVIORAL_HEALTH:
        return has_permission(
            user, Permission.BEHAVIORAL_HEALTH_PROGRAM, enrollment.organization_id
        )
    if enrollment.program == Program.IPV:
        return has_permission(user, Permission.IPV_PROGRAM, enrollment.organization_id)
    return False


def can_read_safety_plan(user, enrollment: Enrollment) -> bool:
    """The IPV safety plan: IPV staff of the organization, nobody else (no supervisor,
    no case manager, no other program)."""
    return enrollment.program == Program.IPV and has_permission(
        user, Permission.IPV_PROGRAM, enrollment.organization_id
    )


def can_write_safety_plan(user, enrollment: Enrollment) -> bool:
    """Written by exactly those who read it."""
    return can_read_safety_plan(user, enrollment)


def restricted_fields_for(user, enrollment: Enrollment) -> list[str]:
    """The restricted fields this user reads on this enrollment, for the audit log."""
    fields = []
    if can_read_legal_notes(user, enrollment):
        fields += ["legal_notes", "matter_outcomes"]
    if can_read_session_notes(user, enrollment):
        fields += ["sessions", "session_notes"]
    if can_read_safety_plan(user, enrollment):
        fields.append("safety_plan")
    return fields


# --- One enrollment ----------------------------------------------------------------------


def get_enrollment_for_user(
    request_or_user,
    enrollment_id: UUID,
    permission: Permission = Permission.VIEW_PROGRAM_PROGRESS,
    *,
    audit_action: AuditAction | None = AuditAction.VIEW,
) -> Enrollment:
    """The one way a view or an API endpoint fetches an enrollment.

    `permission` is VIEW_PROGRAM_PROGRESS to read, or a program's own permission to
    change it: a program permission that is not this enrollment's program's is 404
    (there is no such record in that program). 404 for anyone outside the
    organization, 403 for a member whose role lacks the permission. Given a request
    (not a bare user), a read is written to the audit log with the restricted fields
    the user may see; writers pass audit_action=None and audit the change instead."""
    request = request_or_user if isinstance(request_or_user, HttpRequest) else None
    user = request.user if request is not None else request_or_user
    enrollment = (
        Enrollment.objects.select_related("person", "person__community_area", "organization")
        .filter(pk=enrollment_id)
        .first()
    )
    if enrollment is None or not any(
        m.organization_id == enrollment.organization_id for m in memberships_of(user)
    ):
        raise Http404
    if not has_permission(user, permission, enrollment.organization_id):
        raise PermissionDenied
    if permission in PROGRAM_PERMISSIONS.values() and permission != program_permission(
        enrollment.program
    ):
        raise Http404
    if request is not None and audit_action is not None:
        audit_request(
            request,
            audit_action,
            enrollment,
            detail={
                "person": str(enrollment.person_id),
                "program": enrollment.program,
                "restricted": restricted_fields_for(user, enrollment),
            },
        )
    return enrollment


def get_enrollment_to_manage(request, enrollment_id: UUID, *programs: str) -> Enrollment:
    """An enrollment the user changes as its program's staff: 404 outside the
    organization, 403 for a member who is not this program's staff, and 404 when the
    action does not exist in this program (`programs`: a milestone on a legal matter).
    No read event: the service audits the change."""
    enrollment = get_enrollment_for_user(request, enrollment_id, audit_action=None)
    if not can_manage_enrollment(request.user, enrollment):
        raise PermissionDenied
    if programs and enrollment.program not in programs:
        raise Http404
    return enrollment
