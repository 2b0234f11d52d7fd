import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from peacehub.accounts import unsent
from peacehub.http import is_htmx, path_on_this_site

SESSION_STARTED = "peacehub_started_at"
SESSION_LAST_SEEN = "peacehub_last_seen"
SESSION_ENDED_EVENT = "peacehub:session-ended"
# Writing the session on every request costs a database write; a minute's precision
# is enough for a 15-minute idle limit.
_LAST_SEEN_RESOLUTION_SECONDS = 60


def _is_poll(request) -> bool:
    """A page polling for news (?poll=1) is not the person being active: an open tab
    on an unattended phone must still sign out after the idle time."""
    return request.method == "GET" and request.GET.get("poll") == "1"


class SessionLimitsMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT without a request and after
    SESSION_ABSOLUTE_TIMEOUT in all, whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = timezone.now().timestamp()
            session = request.session
            started = session.get(SESSION_STARTED)
            last_seen = session.get(SESSION_LAST_SEEN)
            if started is None or last_seen is None:
                session[SESSION_STARTED] = started or now
                session[SESSION_LAST_SEEN] = now
            elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                return self._end(
                    request, _("Your session ended after 12 hours. Please sign in again.")
                )
            elif now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                return self._end(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)},
                )
            elif now - last_seen > _LAST_SEEN_RESOLUTION_SECONDS and not _is_poll(request):
                session[SESSION_LAST_SEEN] = now
            if request.method == "GET" and not _is_poll(request) and unsent.SESSION_KEY in session:
                request.unsent_form = unsent.take(request)
            unsent.forget_whose_session_ended(request)
        elif (
            request.method == "POST"
            and hasattr(request, "session")
            and unsent.posted_after_session_ended(request)
        ):
            unsent.keep_after_session_ended(request)
            return redirect(_sign_in_then(unsent.page_to_come_back_to(request)))
        return self.get_response(request)

    def _end(self, request, message):
        user_id = request.user.pk
        logout(request)
        messages.info(request, message)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        unsent.remember_whose_session_ended(request, user_id)
        if is_htmx(request):
            # Most often the alerts badge polling on an unattended phone.
            return _tell_the_page_the_session_ended(request)
        unsent.keep(request, user_id)
        return redirect(_sign_in_then(unsent.page_to_come_back_to(request)))


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except that an htmx request (the alerts badge
    of a second tab, once the first one's session has ended) is not answered with the
    sign-in page as its fragment: the page is told to go there."""

    def handle_no_permission(self, request, view_func):
        if is_htmx(request):
            return _tell_the_page_the_session_ended(request)
        return super().handle_no_permission(request, view_func)


def _tell_the_page_the_session_ended(request) -> HttpResponse:
    """The whole page goes to sign-in, so that the screen stops showing anyone's
    records; peacehub.js first posts a form with unsaved changes, to be kept."""
    page = path_on_this_site(request, request.headers.get("HX-Current-URL", ""))
    sign_in = _sign_in_then(page or resolve_url("site:dashboard"))
    response = HttpResponse(status=204)
    response["HX-Trigger"] = json.dumps({SESSION_ENDED_EVENT: {"signIn": sign_in}})
    return response


def _sign_in_then(path: str) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': path})}"


class NoStoreForSignedInMiddleware:
    """Pages that show anything about a signed-in user's work must not stay in a
    browser's or a proxy's cache, where the next person at a shared phone would find
    them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
