"""The service directory in the JSON API: search, and one service as an HSDS 3.0
service object. Same filters, same results and same permission (USE_DIRECTORY) as the
search page."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja import Status as Reply

from peacehub.accounts.roles import Permission
from peacehub.api_helpers import ErrorOut, invalid, page_of, role_required
from peacehub.services.access import get_service_for_user
from peacehub.services.forms import ServiceSearchForm
from peacehub.services.hsds import service_to_hsds, services_for_export
from peacehub.services.search import services_search

router = Router(tags=["services"])


class HsdsServiceOut(Schema):
    """An HSDS 3.0 service object in the full nested shape (data/hsds/v3.0/schema/
    service.json), with the properties PeaceHub keeps; an unknown one is left out. A
    coalition member's organization carries an organization_identifier of type
    "PeaceHub coalition organization": its services receive referrals here."""

    id: UUID
    name: str
    alternate_name: str | None = None
    description: str
    url: str | None = None
    email: str | None = None
    status: str
    eligibility_description: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    fees_description: str | None = None
    application_process: str | None = None
    last_modified: str
    organization: dict[str, Any]
    phones: list[dict[str, Any]]
    languages: list[dict[str, Any]]
    service_areas: list[dict[str, Any]]
    service_at_locations: list[dict[str, Any]]
    attributes: list[dict[str, Any]]


class ServicePage(Schema):
    count: int
    page: int
    pages: int
    results: list[HsdsServiceOut]


@router.get(
    "/services",
    response={200: ServicePage, 400: ErrorOut, 403: ErrorOut},
    exclude_none=True,
    auth=role_required(
        Permission.USE_DIRECTORY, gettext_lazy("Your role cannot use the service directory.")
    ),
)
def service_list(
    request: HttpRequest,
    need: str = "",
    area: str = "",
    language: str = "",
    q: str = "",
    page: int = 1,
):
    """Open services matching every filter: need (a needs code, such as "housing"),
    area (a community area number), language (an ISO 639 code, such as "es") and q
    (words of the name or description); coalition services first."""
    form = ServiceSearchForm({"need": need, "area": area, "language": language, "q": q})
    if not form.is_valid():
        return invalid(form.errors)
    found = services_search(request.user, **form.filters())
    shown, numbers = page_of(found, page, found.count())
    # The page's services again, with everything an HSDS object holds.
    full = {s.pk: s for s in services_for_export().filter(pk__in=[s.pk for s in shown])}
    return Reply(200, {**numbers, "results": [service_to_hsds(full[s.pk]) for s in shown]})


@router.get(
    "/services/{id:service_id}",
    response={200: HsdsServiceOut, 403: ErrorOut, 404: ErrorOut},
    exclude_none=True,
)
def service_read(request: HttpRequest, service_id: UUID):
    service = get_service_for_user(request.user, service_id, services_for_export())
    return Reply(200, service_to_hsds(service))
