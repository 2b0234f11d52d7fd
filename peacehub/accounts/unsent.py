"""What a user had typed into a form when their session ran out, kept until they sign
in again so that nothing they entered is lost.

A worker who writes a contact note, is called away for twenty minutes and then presses
Save finds the sign-in page: the session ended after the idle limit. The posted fields
are kept, encrypted like notes, in the new anonymous session. When the same user has
signed in and opens the page the form was on, the page fills the form in again (see
``static/js/peacehub.js``) and asks them to check it and save. Nothing is saved on their
behalf: the post had not passed the session check, and a fresh one must.
"""

import json

from django.middleware.csrf import CsrfViewMiddleware

from peacehub import encryption
from peacehub.http import path_on_this_site

SESSION_KEY = "peacehub_unsent_form"
# Fields that are never kept: the token is stale, a password is never stored anywhere,
# and "next" or a language choice is navigation, not work.
_NEVER_KEPT = {"csrfmiddlewaretoken", "next", "language"}
_MOST_KEPT_CHARACTERS = 64_000


def _kept_fields(request) -> dict[str, list[str]]:
    return {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in _NEVER_KEPT and "password" not in name
    }


def _page_the_form_was_on(request) -> str:
    """The page that showed the form, which the user comes back to. A form often posts
    to an address of its own that answers only POST; the referring page, when it is on
    this site, is where the form is."""
    return path_on_this_site(request, request.META.get("HTTP_REFERER", "")) or request.path


def _passes_csrf_check(request) -> bool:
    # Session checks run before Django's CSRF check; a post forged from another site
    # must not plant text in a form the user will see after signing in.
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


def keep(request, user_id) -> str | None:
    """Called as the session ends on a form post. Returns the page to come back to
    after signing in, or None when there is nothing to keep."""
    if request.method != "POST" or request.path.startswith("/api/"):
        return None
    fields = _kept_fields(request)
    if not any(value for values in fields.values() for value in values):
        return None
    if not _passes_csrf_check(request):
        return None
    payload = json.dumps({"action": request.path, "fields": fields})
    if len(payload) > _MOST_KEPT_CHARACTERS:
        return None
    page = _page_the_form_was_on(request)
    request.session[SESSION_KEY] = {
        "user": str(user_id),
        "page": page,
        "form": encryption.encrypt(payload),
    }
    return page


def take(request) -> dict | None:
    """On a signed-in page view: the kept form if this user is back on its page. It is
    forgotten at the first page view, whoever opens what: a different person signing in
    on the same phone never sees it."""
    kept = request.session.pop(SESSION_KEY, None)
    if kept is None:
        return None
    if kept["user"] != str(request.user.pk) or kept["page"] != request.path:
        return None
    try:
        return json.loads(encryption.decrypt(kept["form"]))
    except ValueError:
        return None
