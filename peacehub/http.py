"""Small helpers every app's views share."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request for a fragment. A history restore (Back after a live search)
    needs the whole page, since htmx keeps no copy of pages in the browser here."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


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
