"""What every API router shares: the error shape, form errors as field errors, pages."""

from django.utils.translation import gettext as _
from ninja import Schema
from ninja import Status as Reply

PAGE_SIZE = 50


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
