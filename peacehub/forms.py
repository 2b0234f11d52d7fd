"""How every app's views hand a posted form to its service."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

# What save_posted() answers when the page must show the form again.
NOT_SAVED = object()


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_posted(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict], Any],
    done: str | Callable[[Any], str] | None,
) -> Any:
    """When ``form`` was posted and is valid, ``save(form.cleaned_data)`` (a service
    call) and tell the user ``done`` (or ``done(what save returned)``; nothing when the
    next page shows it anyway). Returns what
    ``save`` returned, or NOT_SAVED when the page must show the form again: with its
    own problems, or with the service's refusal on the fields it names."""
    if not form.is_bound or not form.is_valid():
        return NOT_SAVED
    try:
        saved = save(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return NOT_SAVED
    if done is not None:
        messages.success(request, done(saved) if callable(done) else done)
    return saved


def status_of(form: forms.Form) -> int:
    """A page showing a form again answers 400 when the form has problems."""
    return 400 if form.errors else 200
