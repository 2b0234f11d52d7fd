"""How every app's views hand a posted form to its service."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext_lazy

# What save_posted() answers when the page must show the form again.
NOT_SAVED = object()

# Django's own Spanish for this says "menos de N caracteres" (fewer than N), where N
# are allowed: it contradicted our "At most N characters". The catalogue has a right
# wording; marking the message here keeps it there through `make messages`.
DJANGO_MAX_LENGTH_MESSAGE = ngettext_lazy(
    "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
    "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    "limit_value",
)


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_valid(form: forms.Form, save: Callable[[dict], Any]) -> Any:
    """When ``form`` is bound and valid, ``save(form.cleaned_data)`` (a service call).
    Returns what ``save`` returned, or NOT_SAVED when the form has problems: its own, or
    the service's refusal, put on the fields it names. For pages and the API alike."""
    if not form.is_bound or not form.is_valid():
        return NOT_SAVED
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return NOT_SAVED


def save_posted(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict], Any],
    done: str | Callable[[Any], str] | None,
) -> Any:
    """save_valid() for a page: once saved, tell the user ``done`` (or ``done(what save
    returned)``; nothing when the next page shows it anyway)."""
    saved = save_valid(form, save)
    if saved is not NOT_SAVED and done is not None:
        messages.success(request, done(saved) if callable(done) else done)
    return saved


def status_of(form: forms.Form) -> int:
    """A page showing a form again answers 400 when the form has problems."""
    return 400 if form.errors else 200
