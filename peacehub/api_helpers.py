"""What every API router shares: token authentication and role checks, the error
shape, form errors as field errors, pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Schema
from ninja import Status as Reply
from ninja.security import HttpBearer

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.accounts.services import api_token_user

PAGE_SIZE = 50


class TokenAuth(HttpBearer):
    """A personal token (Authorization: Bearer ph_…); 401 without a valid one. Given a
    permission, the token's user must also hold it in one of their organizations, or the
    request answers 403 with ``message``: ninja runs this before it reads the body or the
    query parameters, so a role that may not gets 403 whatever it sends."""

    def __init__(self, permission: Permission | None = None, message: str | Promise = ""):
        self.permission = permission
        self.message = message
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is None:
            return None
        # The permission layer and the audit log read request.user, as for pages.
        request.user = user
        if self.permission is not None and not has_permission(user, self.permission):
            raise PermissionDenied(self.message)
        return user


def role_required(permission: Permission, message: str | Promise) -> TokenAuth:
    """``auth=`` for an operation whose permission depends on the caller's role alone,
    not on a record: 403 with ``message`` (a gettext_lazy string) before the body is
    parsed. A check that depends on a record or the payload stays in the view."""
    return TokenAuth(permission, message)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def invalid(errors: dict) -> Reply:
    """400 with field errors, in the caller's language, as the web form would show."""
    return Reply(
        400,
        {
            "detail": _("The request is not valid."),
            "errors": {field: [str(m) for m in messages] for field, messages in errors.items()},
        },
    )


def forbidden(detail: str) -> Reply:
    return Reply(403, {"detail": detail})


def page_of(items, page: int, count: int | None = None) -> tuple[list, dict]:
    """One page of a queryset or list, with the numbers a client needs to walk them."""
    count = len(items) if count is None else count
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = list(items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return shown, {"count": count, "page": page, "pages": pages}


def form_payload(payload: Schema) -> dict:
    """A JSON payload as the form data a browser would post: absent stays absent,
    null becomes empty."""
    return {
        field: ("" if value is None else value)
        for field, value in payload.dict(exclude_unset=True).items()
    }
