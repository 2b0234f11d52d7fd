"""What every API router shares: token authentication and role checks, what a client
may send (InputSchema, Day, Moment, choice), the error shape, form errors as field
errors, pages."""

import datetime
import re
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import TextChoices
from django.http import HttpRequest
from django.urls import register_converter
from django.urls.converters import UUIDConverter
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Schema
from ninja import Status as Reply
from ninja.security import HttpBearer
from pydantic import AfterValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

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


class InputSchema(Schema):
    """What a client sends. A field the operation does not take is refused, not
    dropped: a misspelled "legal_firstname" or a "status" sent where only a form may
    change it would otherwise be lost without a word."""

    model_config = ConfigDict(extra="forbid")


# Dates go to the same forms as the pages', which read the active language's formats
# ("03/04/2001" is 4 March in English, 3 April in Spanish). A client's dates are ISO
# 8601 only, whatever its Accept-Language.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"
)


def _iso_day(value: str) -> str:
    try:
        if _ISO_DAY.fullmatch(value):
            datetime.date.fromisoformat(value)
            return value
    except ValueError:
        pass
    raise PydanticCustomError("iso_day", "a date as YYYY-MM-DD")


def _iso_moment(value: str) -> str:
    try:
        if _ISO_MOMENT.fullmatch(value):
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value
    except ValueError:
        pass
    raise PydanticCustomError("iso_moment", "a date and time as YYYY-MM-DDTHH:MM")


Day = Annotated[
    str,
    AfterValidator(_iso_day),
    WithJsonSchema({"type": "string", "format": "date", "example": "2026-11-20"}),
]
Moment = Annotated[
    str,
    AfterValidator(_iso_moment),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "example": "2026-11-20T22:40",
            "description": "ISO 8601; without an offset, in the coalition's time zone.",
        }
    ),
]


def choice(choices: type[TextChoices]):
    """A field that takes one of a model's choices, listed in the schema."""
    return Literal[tuple(choices.values)]


class AnyCaseUUIDConverter(UUIDConverter):
    """Record ids in API paths: a UUID in either case, as clients print them (Django's
    uuid converter takes lower case only, and an upper-case id found no operation)."""

    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


register_converter(AnyCaseUUIDConverter, "id")
