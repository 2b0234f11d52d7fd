from django.conf import settings

from peacehub.accounts.access import memberships_of, permissions_of
from peacehub.accounts.roles import Permission
from peacehub.http import path_on_this_site


def _return_path(request) -> str:
    """Where the language switch comes back to. A page shown in answer to a POST (a form
    with errors) has an address that only takes POST: back to the page the form was on."""
    if request.method == "GET":
        return request.get_full_path()
    return path_on_this_site(request, request.headers.get("Referer", "")) or "/"


def navigation(request):
    """What the navigation shows: only what the user's roles may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "return_path": _return_path(request)}
    granted = permissions_of(user)
    return {
        "return_path": _return_path(request),
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
            "duty": Permission.RESPOND_TO_INCIDENTS in granted,
            "caseload": Permission.MANAGE_CASES in granted,
            "case_supervision": Permission.SUPERVISE_CASES in granted,
            "releases": Permission.VIEW_CASES in granted,
            "referrals_sent": Permission.SEND_REFERRALS in granted,
            "referrals_received": Permission.RECEIVE_REFERRALS in granted,
            "directory": Permission.USE_DIRECTORY in granted,
            "manage_directory": Permission.MANAGE_DIRECTORY in granted,
            "events": Permission.MANAGE_EVENTS in granted,
            "summer_check": Permission.VIEW_SUMMER_CHECK in granted,
            "academy": Permission.MANAGE_ACADEMY in granted,
            "programs": bool(
                {
                    Permission.WORKFORCE_PROGRAM,
                    Permission.LEGAL_PROGRAM,
                    Permission.BEHAVIORAL_HEALTH_PROGRAM,
                    Permission.IPV_PROGRAM,
                }
                & granted
            ),
        },
        "my_memberships": memberships_of(user),
        "poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
        # Set by SessionLimitsMiddleware when the user is back on a form they had
        # posted as their session ran out (accounts/unsent.py).
        "unsent_form": getattr(request, "unsent_form", None),
    }
