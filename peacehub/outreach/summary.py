"""What a participant's page shows of street outreach, for those who may see it."""

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.outreach.models import Contact, Introduction, IntroductionStatus
from peacehub.people.models import Status

RECENT_CONTACTS = 5


def outreach_summary(request, person) -> dict:
    user, organization_id = request.user, person.organization_id
    if not has_permission(user, Permission.VIEW_CONTACTS, organization_id):
        return {}
    pending = (
        Introduction.objects.filter(person=person, status=IntroductionStatus.PENDING)
        .select_related("case_manager")
        .first()
    )
    return {
        "recent_contacts": list(
            Contact.objects.filter(person=person)
            .select_related("worker", "community_area")
            .order_by("-occurred_at")[:RECENT_CONTACTS]
        ),
        "can_log_contact": has_permission(user, Permission.LOG_CONTACTS, organization_id),
        "pending_introduction": pending,
        "can_introduce": pending is None
        and person.status not in (Status.CASE_MANAGEMENT, Status.CLOSED)
        and has_permission(user, Permission.MAKE_INTRODUCTIONS, organization_id),
        "shows_outreach": True,
    }
