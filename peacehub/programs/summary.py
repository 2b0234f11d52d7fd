"""What a participant's page shows of the programs, for those who follow progress.

Hook: peacehub.people.views.person_detail adds `**programs_summary(request, person)` to
its context, and people/person_detail.html includes
"programs/includes/person_programs.html" when `shows_programs` is set."""

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.programs.access import enrollments_visible_to, program_permission
from peacehub.programs.models import SLUG_OF, EnrollmentStatus, Program


def programs_summary(request, person) -> dict:
    user, organization_id = request.user, person.organization_id
    if not has_permission(user, Permission.VIEW_PROGRAM_PROGRESS, organization_id):
        return {}
    enrollments = list(
        enrollments_visible_to(user)
        .filter(person=person)
        .prefetch_related("milestones", "matters")
        .order_by("-enrolled_on")
    )
    for enrollment in enrollments:
        # What progress viewers may see: the latest milestone, the matters' types and
        # statuses. Never notes, outcomes, session notes or the safety plan.
        milestones = list(enrollment.milestones.all())
        enrollment.latest_milestone = milestones[-1] if milestones else None
        enrollment.matter_list = list(enrollment.matters.all())
    if enrollments:
        audit_listing(
            request,
            AuditAction.LIST,
            enrollments,
            record_type="programs.enrollment",
            person=str(person.pk),
        )
    active = {e.program for e in enrollments if e.status == EnrollmentStatus.ACTIVE}
    return {
        "program_enrollments": enrollments,
        "enrollable_programs": [
            (program, SLUG_OF[program])
            for program in Program
            if program not in active
            and has_permission(user, program_permission(program), organization_id)
        ],
        "shows_programs": True,
    }
