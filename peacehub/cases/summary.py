"""What a participant's page shows of case management, for those who may see it."""

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.cases.access import note_types_for
from peacehub.cases.models import Case


def cases_summary(request, person) -> dict:
    user, organization_id = request.user, person.organization_id
    summary = {"note_types": note_types_for(user, organization_id)}
    if has_permission(user, Permission.VIEW_CASES, organization_id):
        open_case = Case.objects.filter(person=person, closed_on__isnull=True).first()
        summary.update(
            {
                "shows_cases": True,
                "open_case": open_case,
                "can_open_case": open_case is None
                and has_permission(user, Permission.MANAGE_CASES, organization_id),
            }
        )
    summary["can_refer"] = has_permission(user, Permission.SEND_REFERRALS, organization_id)
    return summary
