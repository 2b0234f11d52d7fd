from django.conf import settings

from peacehub.accounts.access import memberships_of, permissions_of
from peacehub.accounts.roles import Permission


def navigation(request):
    """What the navigation shows: only what the user's roles may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    granted = permissions_of(user)
    return {
        "nav": {
            "people": Permission.VIEW_PEOPLE in granted,
            "shared_people": Permission.VIEW_SHARED_PEOPLE in granted,
            "staff": Permission.MANAGE_STAFF in granted,
            "audit": Permission.VIEW_AUDIT in granted,
            "outreach": Permission.LOG_CONTACTS in granted,
            "incidents": Permission.VIEW_INCIDENTS in granted,
            "report_incidents": Permission.REPORT_INCIDENTS in granted,
            "mediations": Permission.VIEW_CONTACTS in granted,
            "introductions": bool(
                {Permission.MAKE_INTRODUCTIONS, Permission.RECEIVE_INTRODUCTIONS} & granted
            ),
            "supervision": Permission.SUPERVISE_OUTREACH in granted,
        },
        "my_memberships": memberships_of(user),
        "poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
    }
