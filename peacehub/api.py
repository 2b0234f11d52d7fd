"""The JSON API at /api/v1/: the same operations as the web pages, behind the same
permission layer, authenticated by personal tokens (Authorization: Bearer ph_…).

Every answer under /api/ is JSON, errors included, in the caller's language: a field
error names the field and says what it takes (api_helpers says what a client may
send)."""

import json
import re
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from peacehub.api_helpers import ErrorOut, TokenAuth


class NotAnObject(ValueError):
    pass


class ObjectBodyParser(Parser):
    """A body is one JSON object: ninja would read a bare string or a list as an
    object with no fields, and an operation would run as if nothing had been sent."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise NotAnObject
        return data


class PeaceHubAPI(NinjaAPI):
    def _get_urls(self):
        # API clients authenticate per request with a token, not a session; the
        # session-based LoginRequiredMiddleware must let them through to TokenAuth.
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = login_not_required(_json_not_allowed(pattern.callback))
        return patterns

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        _document_common_errors(schema)
        return schema


def _json_not_allowed(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            answer = JsonResponse({"detail": _("This method is not allowed here.")}, status=405)
            answer["Allow"] = response["Allow"]
            return answer
        return response

    return wrapped


api = PeaceHubAPI(
    title="PeaceHub API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=TokenAuth(),
    parser=ObjectBodyParser(),
)


# What a client is told, by pydantic's error type, in the caller's language.
_FIELD_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("This operation does not take this field."),
    "iso_day": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "iso_moment": gettext_lazy("Enter a date and time as YYYY-MM-DDTHH:MM."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter text."),
    "uuid_type": gettext_lazy("Enter an id (a UUID)."),
    "uuid_parsing": gettext_lazy("Enter an id (a UUID)."),
    "list_type": gettext_lazy("Send a list."),
    "dict_type": gettext_lazy("Send an object."),
    "model_attributes_type": gettext_lazy("Send an object."),
    "model_type": gettext_lazy("Send an object."),
}
_BODY_NOT_AN_OBJECT = gettext_lazy("Send the request body as one JSON object.")


def _field_of(error: dict) -> str:
    """Where the error is, as the client wrote it: "topics.1", "ratings.housing";
    "__all__" for the body as a whole."""
    location = [str(part) for part in error.get("loc", ())]
    location = [part for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(location) or "__all__"


def _message_of(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "literal_error":
        # pydantic lists them as "'a', 'b' or 'c'", in English.
        expected = error.get("ctx", {}).get("expected", "").strip("'")
        return _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(re.split(r"', '|' or '", expected))
        }
    if kind in ("too_long", "string_too_long"):
        return _("This is too long.")
    if kind in ("model_attributes_type", "model_type") and _field_of(error) == "__all__":
        return str(_BODY_NOT_AN_OBJECT)
    return str(_FIELD_MESSAGES.get(kind, gettext_lazy("This value is not valid here.")))


@api.exception_handler(ValidationError)
def payload_invalid(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error), []).append(_message_of(error))
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": errors}, status=400
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and exc.__cause__ is not None:
        # ninja could not read the body: not JSON, or JSON but not an object.
        detail = str(_BODY_NOT_AN_OBJECT)
    else:
        detail = str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    # role_required() names what the role cannot do; access helpers raise it bare.
    detail = exc.args[0] if exc.args and exc.args[0] else _("Your role cannot do this.")
    return api.create_response(request, {"detail": str(detail)}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("A valid API token is required.")}, status=401)


def page_not_found(request, exception):
    """handler404: a path under /api/ that names no operation (or an id that is not a
    UUID) gets JSON like every other API answer; the site keeps its 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def _document_common_errors(schema: dict) -> None:
    """Every operation can answer 401 (no valid token), 400 (a query parameter or a body
    that is not valid) and, with an id in its path, 404."""
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "ErrorOut", ErrorOut.model_json_schema()
    )
    descriptions = {
        "400": "The request is not valid",
        "401": "A valid API token is required",
        "404": "Not found",
    }
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            wanted = ["401"]
            if operation.get("parameters") or operation.get("requestBody"):
                wanted.append("400")
            if "{" in path:
                wanted.append("404")
            for status in wanted:
                responses.setdefault(status, {"description": descriptions[status], **error})


api.add_router("/people", "peacehub.people.api.router")
api.add_router("/", "peacehub.outreach.api.router")
api.add_router("/", "peacehub.cases.api.router")
api.add_router("/", "peacehub.referrals.api.router")
api.add_router("/", "peacehub.services.api.router")
api.add_router("/", "peacehub.programs.api.router")
