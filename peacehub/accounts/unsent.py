"""What a user had typed into a form when their session ran out, kept until they sign
in again so that nothing they entered is lost.

A worker who writes a contact note, is called away for twenty minutes and then presses
Save finds the sign-in page: the session ended after the idle limit. The posted fields
are kept, encrypted like notes, in the new anonymous session. When the same user has
signed in and opens the page the form was on, the page fills the form in again (see
``static/js/peacehub.js``) and asks them to check it and save. Nothing is saved on their
behalf: the post had not passed the session check, and a fresh one must.

Switching language reloads the page, and would lose what was typed into its form (or
a refused form's entries, shown again with their errors): the switch carries them, and
the page in the new language fills them in the same way.

The session also ends while nobody is pressing anything: the alerts badge polls, and on
an unattended phone the page must not keep showing records. The page then goes to the
sign-in page, but a form with unsaved changes on it is first posted (see
``static/js/peacehub.js``). That post arrives signed out; the new session remembers whose
session just ended (``ENDED_FOR``) so that it is kept for them as above.
"""

import json

from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve

from peacehub import encryption
from peacehub.http import path_on_this_site

SESSION_KEY = "peacehub_unsent_form"
ENDED_FOR = "peacehub_session_ended_for"
# The field peacehub.js adds to a form it posts because the session ended.
SENT_AS_SESSION_ENDED = "peacehub_session_ended"
# The field peacehub.js adds to the language switch: the page's form, as JSON.
TYPED_FORM = "peacehub_typed_form"
# Fields that are never kept: the token is stale, a password is never stored anywhere,
# and "next" or a language choice is navigation, not work.
_NEVER_KEPT = {"csrfmiddlewaretoken", "next", "language", SENT_AS_SESSION_ENDED, TYPED_FORM}
_MOST_KEPT_CHARACTERS = 64_000
_MOST_KEPT_FORMS = 5


def _kept_fields(request) -> dict[str, list[str]]:
    return {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in _NEVER_KEPT and "password" not in name
    }


def page_to_come_back_to(request) -> str:
    """Where to go after signing in again. A form often posts to an address of its own
    that answers only POST; the page that showed it is the referring page, when that
    is on this site."""
    if request.method == "POST":
        return path_on_this_site(request, request.META.get("HTTP_REFERER", "")) or request.path
    return request.path


def _passes_csrf_check(request) -> bool:
    # Session checks run before Django's CSRF check; a post forged from another site
    # must not plant text in a form the user will see after signing in.
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


def keep(request, user_id) -> None:
    """Called as the session ends on a form post: its fields are kept for ``user_id``
    when there is something to keep and the post is not forged."""
    if request.method != "POST" or request.path.startswith("/api/"):
        return
    fields = _kept_fields(request)
    if not any(value for values in fields.values() for value in values):
        return
    if not _passes_csrf_check(request):
        return
    _store(request, user_id, page_to_come_back_to(request), request.path, fields, "session")


def keep_through_language_switch(request, page: str) -> None:
    """The language switch carries what was typed into the page's form (peacehub.js
    adds it as TYPED_FORM): kept for the signed-in user as when a session ends, to be
    filled in again on ``page`` in the other language. (The switch is a form post that
    passed Django's CSRF check; without JavaScript nothing is carried.)"""
    if not request.user.is_authenticated:
        return
    typed = request.POST.get(TYPED_FORM, "")
    if not typed or len(typed) > _MOST_KEPT_CHARACTERS:
        return
    try:
        typed = json.loads(typed)
        action, fields = typed["action"], typed["fields"]
    except (ValueError, TypeError, KeyError):
        return
    if not (isinstance(action, str) and action.startswith("/") and isinstance(fields, dict)):
        return
    kept = {
        name: [value for value in values if isinstance(value, str)]
        for name, values in fields.items()
        if isinstance(values, list) and name not in _NEVER_KEPT and "password" not in name
    }
    if any(value for values in kept.values() for value in values):
        _store(request, request.user.pk, page, action, kept, "language")


def _store(request, user_id, page: str, action: str, fields: dict, reason: str) -> None:
    payload = json.dumps({"action": action, "fields": fields, "reason": reason})
    if len(payload) > _MOST_KEPT_CHARACTERS:
        return
    # One form a page; two tabs whose session ended together keep one each.
    others = [kept for kept in request.session.get(SESSION_KEY, []) if kept["page"] != page]
    request.session[SESSION_KEY] = [
        *others[-(_MOST_KEPT_FORMS - 1) :],
        {"user": str(user_id), "page": page, "form": encryption.encrypt(payload)},
    ]


def take(request) -> dict | None:
    """On a signed-in page view: the form kept for this page, if this user is the one
    who typed it; it is then forgotten. When someone else has signed in on the same
    phone, every kept form is forgotten unseen."""
    kept_forms = request.session[SESSION_KEY]
    if any(kept["user"] != str(request.user.pk) for kept in kept_forms):
        del request.session[SESSION_KEY]
        return None
    mine = next((kept for kept in kept_forms if kept["page"] == request.path), None)
    if mine is None:
        return None
    rest = [kept for kept in kept_forms if kept is not mine]
    if rest:
        request.session[SESSION_KEY] = rest
    else:
        del request.session[SESSION_KEY]
    try:
        return json.loads(encryption.decrypt(mine["form"]))
    except ValueError:
        return None


def remember_whose_session_ended(request, user_id) -> None:
    """After logout, in the new anonymous session: only an id, no data."""
    request.session[ENDED_FOR] = str(user_id)


def posted_after_session_ended(request) -> bool:
    """A signed-out post that belongs to the session that has just ended: one that
    peacehub.js sent as it ended (never passed on, even to a public form), or one to a
    page that needs signing in, from the browser whose session it was."""
    if request.path.startswith("/api/"):
        return False
    if request.POST.get(SENT_AS_SESSION_ENDED):
        return True
    if ENDED_FOR not in request.session:
        return False
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "login_required", True)


def keep_after_session_ended(request) -> None:
    """keep() for whoever was signed in (until someone signs in again)."""
    user_id = request.session.get(ENDED_FOR)
    if user_id is not None:
        keep(request, user_id)


def forget_whose_session_ended(request) -> None:
    if ENDED_FOR in request.session:
        del request.session[ENDED_FOR]
