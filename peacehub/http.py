"""Small helpers every app's views share."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request for a fragment. A history restore (Back after a live search)
    needs the whole page, since htmx keeps no copy of pages in the browser here."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _on_this_site(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def path_on_this_site(request: HttpRequest, url: str) -> str | None:
    """The path of ``url`` (a Referer, an HX-Current-URL) when it is on this site."""
    return urlsplit(url).path if _on_this_site(request, url) else None


def next_on_this_site(request: HttpRequest) -> str | None:
    """The ?next= address (in the query or the posted form) when it is on this site:
    where to go back to after a detour, never to another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _on_this_site(request, target) else None


def uuid_or_none(value) -> UUID | None:
    """A record id read from a query string or a form, or None when it is not one (an
    id that names nothing gets the same answer as no id)."""
    try:
        return UUID(str(value))
    except ValueError:
        return None


def permission_required(permission: Permission) -> Callable:
    """403 unless one of the user's memberships grants ``permission`` somewhere.
    Which records they then see is decided by the app's access module."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_permission(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def paginate(request: HttpRequest, items, per_page: int = 25) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


class UncountedPage:
    """One page of a list that grows without end (an organization's contacts, its
    audit trail): it reads one row more than it shows, to know whether a next page
    exists, and never counts the whole list. Counting 137,000 contacts cost more than
    the rest of the page, and grows with every year kept. includes/pagination.html
    shows it as "Page N" with Previous and Next."""

    paginator = None

    def __init__(self, items, number: int, per_page: int):
        start = (number - 1) * per_page
        rows = list(items[start : start + per_page + 1])
        self.object_list = rows[:per_page]
        self.number = number
        self._more = len(rows) > per_page

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def paginate_uncounted(request: HttpRequest, items, per_page: int = 25) -> UncountedPage:
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    return UncountedPage(items, number, per_page)
