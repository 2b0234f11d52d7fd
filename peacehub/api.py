"""The JSON API at /api/v1/: the same operations as the web pages, behind the same
permission layer, authenticated by personal tokens (Authorization: Bearer ph_…)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from peacehub.api_helpers import TokenAuth


class PeaceHubAPI(NinjaAPI):
    def _get_urls(self):
        # API clients authenticate per request with a token, not a session; the
        # session-based LoginRequiredMiddleware must let them through to TokenAuth.
        patterns = super()._get_urls()
        for pattern in patterns:
            login_not_required(pattern.callback)
        return patterns


api = PeaceHubAPI(
    title="PeaceHub API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=TokenAuth(),
)


def field_errors(errors) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in errors.items()}


@api.exception_handler(ValidationError)
def payload_invalid(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        field = location[-1] if location else "__all__"
        errors.setdefault(field, []).append(_("This value is not valid here."))
    return api.create_response(
        request, {"detail": _("The request is not valid."), "errors": errors}, status=400
    )


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


api.add_router("/people", "peacehub.people.api.router")
api.add_router("/", "peacehub.outreach.api.router")
api.add_router("/", "peacehub.cases.api.router")
api.add_router("/", "peacehub.referrals.api.router")
api.add_router("/", "peacehub.services.api.router")
api.add_router("/", "peacehub.programs.api.router")
