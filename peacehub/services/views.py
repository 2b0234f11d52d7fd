import json
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission
from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.cases.domains import Domain
from peacehub.forms import status_of
from peacehub.geo.models import CommunityArea
from peacehub.http import is_htmx, paginate, permission_required, uuid_or_none
from peacehub.services import services
from peacehub.services.access import (
    directory_organizations_editable_by,
    get_directory_organization_for_editing,
    get_service_for_editing,
    get_service_for_user,
    get_service_location_for_editing,
    is_directory_steward,
    managed_organization_ids,
    require_steward,
    services_editable_by,
)
from peacehub.services.forms import (
    DirectoryOrganizationForm,
    HsdsUploadForm,
    LocationForm,
    ServiceForm,
    ServiceSearchForm,
)
from peacehub.services.hsds import ImportInvalid, directory_export, read_json
from peacehub.services.models import LanguageCode, Service
from peacehub.services.search import services_search

PAGE_SIZE = 20
# An import's problems shown on the page; the count says how many more there are.
PROBLEMS_SHOWN = 200


@require_GET
@permission_required(Permission.USE_DIRECTORY)
def service_search(request: HttpRequest) -> HttpResponse:
    """Search the directory by need, community area, language and words. With htmx,
    only the results are sent back as the filters change."""
    form = ServiceSearchForm(request.GET)
    if form.is_valid():
        results = services_search(request.user, **form.filters()).for_listing()
    else:
        results = Service.objects.none()
    page = paginate(request, results, per_page=PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "needs": Domain.choices,
        "areas": CommunityArea.objects.order_by("name").values_list("number", "name"),
        "languages": LanguageCode.choices,
        "selected": {
            "need": request.GET.get("need", ""),
            "area": request.GET.get("area", ""),
            "language": request.GET.get("language", ""),
        },
        "can_manage": has_permission(request.user, Permission.MANAGE_DIRECTORY),
    }
    template = "services/search.html"
    if is_htmx(request):
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
def service_detail(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = get_service_for_user(request.user, service_id)
    can_edit = (
        has_permission(request.user, Permission.MANAGE_DIRECTORY)
        and services_editable_by(request.user).filter(pk=service.pk).exists()
    )
    areas = CommunityArea.objects.filter(service_areas__service=service).distinct()
    return TemplateResponse(
        request,
        "services/detail.html",
        {
            "service": service,
            "areas": areas.order_by("name"),
            "text_areas": [sa for sa in service.service_areas.all() if sa.description],
            "can_edit": can_edit,
        },
    )


# --- Managing the directory -------------------------------------------------------


@require_GET
@permission_required(Permission.MANAGE_DIRECTORY)
def manage(request: HttpRequest) -> HttpResponse:
    steward = is_directory_steward(request.user)
    editable = (
        services_editable_by(request.user)
        .select_related("organization")
        .order_by("organization__name", "name", "id")
    )
    own = set(managed_organization_ids(request.user))
    listed = set(
        directory_organizations_editable_by(request.user)
        .filter(organization_id__in=own)
        .values_list("organization_id", flat=True)
    )
    missing = Organization.objects.filter(pk__in=own - listed).exclude(
        kind=Organization.Kind.CONVENER
    )
    return TemplateResponse(
        request,
        "services/manage.html",
        {
            "page": paginate(request, editable, per_page=50),
            "steward": steward,
            "missing": missing,
        },
    )


@require_POST
@permission_required(Permission.MANAGE_DIRECTORY)
def organization_join(request: HttpRequest) -> HttpResponse:
    """Add one of the user's own coalition organizations to the directory."""
    organization_id = uuid_or_none(request.POST.get("organization", ""))
    if organization_id is None or organization_id not in managed_organization_ids(request.user):
        raise PermissionDenied
    organization = Organization.objects.get(pk=organization_id)
    services.directory_organization_for_member(request=request, organization=organization)
    messages.success(
        request,
        _("%(name)s is in the directory: add its services.") % {"name": organization.name},
    )
    return redirect("services:manage")


def _service_form_page(request, form, service=None) -> HttpResponse:
    return TemplateResponse(
        request,
        "services/service_form.html",
        {"form": form, "service": service},
        status=status_of(form),
    )


@permission_required(Permission.MANAGE_DIRECTORY)
def service_new(request: HttpRequest) -> HttpResponse:
    organizations = directory_organizations_editable_by(request.user).order_by("name")
    if not organizations.exists():
        messages.info(request, _("Add your organization to the directory first."))
        return redirect("services:manage")
    initial = {"status": "active"}
    chosen = request.GET.get("organization", "")
    if chosen and organizations.filter(pk=uuid_or_none(chosen)).exists():
        initial["organization"] = chosen
    form = ServiceForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        service = services.service_create(request=request, data=form.cleaned_data)
        messages.success(request, _("Service added to the directory."))
        return redirect("services:detail", service.pk)
    return _service_form_page(request, form)


@permission_required(Permission.MANAGE_DIRECTORY)
def service_edit(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = get_service_for_editing(request.user, service_id)
    form = ServiceForm(
        request.POST or None,
        instance=service,
        organizations=directory_organizations_editable_by(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        # The service is saved by services.py; the form only cleans the input.
        fresh = Service.objects.get(pk=service.pk)
        services.service_update(request=request, service=fresh, data=form.cleaned_data)
        messages.success(request, _("Service saved."))
        return redirect("services:detail", service.pk)
    return _service_form_page(request, form, service)


@permission_required(Permission.MANAGE_DIRECTORY)
def location_new(request: HttpRequest, service_id: UUID) -> HttpResponse:
    service = get_service_for_editing(request.user, service_id)
    return _location_form(request, service, None)


@permission_required(Permission.MANAGE_DIRECTORY)
def location_edit(request: HttpRequest, service_id: UUID, location_id: UUID) -> HttpResponse:
    service = get_service_for_editing(request.user, service_id)
    location = get_service_location_for_editing(request.user, service, location_id)
    return _location_form(request, service, location)


def _location_form(request, service, location) -> HttpResponse:
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        fresh = type(location).objects.get(pk=location.pk) if location else None
        services.location_save(
            request=request, service=service, location=fresh, data=form.cleaned_data
        )
        messages.success(request, _("Location saved."))
        return redirect("services:detail", service.pk)
    return TemplateResponse(
        request,
        "services/location_form.html",
        {"form": form, "service": service, "location": location},
        status=status_of(form),
    )


@require_POST
@permission_required(Permission.MANAGE_DIRECTORY)
def location_remove(request: HttpRequest, service_id: UUID, location_id: UUID) -> HttpResponse:
    service = get_service_for_editing(request.user, service_id)
    location = get_service_location_for_editing(request.user, service, location_id)
    services.service_location_remove(request=request, service=service, location=location)
    messages.success(request, _("The service is no longer listed at this location."))
    return redirect("services:detail", service.pk)


@require_GET
@permission_required(Permission.MANAGE_DIRECTORY)
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = (
        directory_organizations_editable_by(request.user)
        .select_related("organization")
        .order_by("name", "id")
    )
    return TemplateResponse(
        request,
        "services/organization_list.html",
        {
            "page": paginate(request, organizations, per_page=50),
            "steward": is_directory_steward(request.user),
        },
    )


@permission_required(Permission.MANAGE_DIRECTORY)
def organization_new(request: HttpRequest) -> HttpResponse:
    require_steward(request.user)
    return _organization_form(request, None)


@permission_required(Permission.MANAGE_DIRECTORY)
def organization_edit(request: HttpRequest, organization_id: UUID) -> HttpResponse:
    organization = get_directory_organization_for_editing(request.user, organization_id)
    return _organization_form(request, organization)


def _organization_form(request, organization) -> HttpResponse:
    steward = is_directory_steward(request.user)
    form = DirectoryOrganizationForm(request.POST or None, instance=organization, may_link=steward)
    if request.method == "POST" and form.is_valid():
        fresh = type(organization).objects.get(pk=organization.pk) if organization else None
        saved = services.directory_organization_save(
            request=request, organization=fresh, data=form.cleaned_data
        )
        messages.success(request, _("Organization saved."))
        if organization is None:
            return redirect(f"{reverse('services:new')}?organization={saved.pk}")
        return redirect("services:organizations")
    return TemplateResponse(
        request,
        "services/organization_form.html",
        {"form": form, "organization": organization},
        status=status_of(form),
    )


# --- HSDS files -------------------------------------------------------------------


@permission_required(Permission.MANAGE_DIRECTORY)
def hsds_import(request: HttpRequest) -> HttpResponse:
    """Upload an HSDS file. Every service in it is checked first; if anything is
    wrong, nothing is imported and every problem is listed with its place."""
    require_steward(request.user)
    form = HsdsUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            data = read_json(form.cleaned_data["file"].read())
            result = services.hsds_import(data=data, request=request)
        except ImportInvalid as invalid:
            problems = invalid.problems
        else:
            messages.success(
                request,
                _(
                    "Imported: %(created)s new services, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.services_created,
                    "updated": result.services_updated,
                    "unchanged": result.services_unchanged,
                },
            )
            return redirect("services:manage")
    summary = ""
    if problems:
        summary = ngettext(
            "Nothing was imported: the file has %(count)s problem. Correct it and upload "
            "the file again.",
            "Nothing was imported: the file has %(count)s problems. Correct them and "
            "upload the file again.",
            len(problems),
        ) % {"count": len(problems)}
    return TemplateResponse(
        request,
        "services/import.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(problems) - PROBLEMS_SHOWN),
            "summary": summary,
        },
        status=400 if problems or form.errors else 200,
    )


@require_GET
@permission_required(Permission.MANAGE_DIRECTORY)
def hsds_export(request: HttpRequest) -> HttpResponse:
    """The whole directory as HSDS 3.0 service objects (a JSON array)."""
    data = directory_export()
    audit_request(
        request,
        AuditAction.EXPORT,
        record_type="services.hsds_export",
        detail={"services": len(data)},
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )
    filename = f"peacehub-directory-hsds-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
