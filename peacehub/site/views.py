import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.academy.access import own_enrollments
from peacehub.accounts import unsent
from peacehub.accounts.access import memberships_of, permissions_of
from peacehub.accounts.models import Organization
from peacehub.accounts.roles import Permission
from peacehub.geo.models import CommunityArea
from peacehub.geo.svgmap import Marker, community_area_map
from peacehub.http import next_on_this_site
from peacehub.people.models import Person, Status
from peacehub.site.converters import CommunityAreaNumberConverter
from peacehub.site.language import remember_language
from peacehub.site.programs import IPV_PILOT_AREA_NUMBERS, PROGRAMS, PROGRAMS_BY_SLUG

# --- The public site: no sign-in, no person-level data, nothing from another host. ---

# The public sees the organizations that serve residents; the convener is the
# coalition's back office, not a place to go for help.
PUBLIC_KINDS = (Organization.Kind.PARTNER, Organization.Kind.PROVIDER)
# Lists of areas never need the boundaries, which weigh kilobytes each.
_AREA_FIELDS = ("id", "number", "name", "is_focus_area")


@dataclass(frozen=True)
class PublicOrganization:
    name: str
    kind: str
    areas: list[CommunityArea]
    # Serves every one of the coalition's focus areas: said in words, not a long list.
    everywhere: bool


def _public_organizations(organizations, *, focus_numbers: set[int]) -> list[PublicOrganization]:
    """Names, kinds and areas served, and nothing else: no staff, no counts."""
    organizations = (
        organizations.filter(kind__in=PUBLIC_KINDS)
        .only("name", "kind")
        .prefetch_related(
            Prefetch(
                "community_areas",
                queryset=CommunityArea.objects.only(*_AREA_FIELDS).order_by("name"),
            )
        )
        .order_by("name")
    )
    rows = []
    for organization in organizations:
        areas = list(organization.community_areas.all())
        rows.append(
            PublicOrganization(
                name=organization.name,
                kind=organization.kind,
                areas=areas,
                everywhere=len(focus_numbers) > 1
                and {area.number for area in areas} >= focus_numbers,
            )
        )
    return rows


def _focus_numbers() -> set[int]:
    return set(CommunityArea.objects.focus().values_list("number", flat=True))


def public_contact() -> dict[str, str] | None:
    """The coalition's own phone line when the operator has set one
    (settings.PUBLIC_CONTACT_PHONE, empty by default): no number is ever made up."""
    display = getattr(settings, "PUBLIC_CONTACT_PHONE", "").strip()
    dial = re.sub(r"[^0-9+]", "", display)
    if len(re.sub(r"[^0-9]", "", dial)) < 3:
        return None
    return {"display": display, "tel": dial}


def _area_map(*, title: str, focus: set[int], highlight: CommunityArea | None = None) -> SafeString:
    markers = []
    if highlight is not None and highlight.centroid_latitude is not None:
        markers.append(
            Marker(highlight.centroid_latitude, highlight.centroid_longitude, highlight.name)
        )
    svg = community_area_map(
        title=title,
        focus=focus,
        highlight={highlight.number} if highlight is not None else None,
        markers=markers,
    )
    # community_area_map escapes every name, label and title it writes.
    return mark_safe(svg)  # noqa: S308


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "programs": PROGRAMS,
        "partner_count": Organization.objects.filter(kind=Organization.Kind.PARTNER).count(),
        "focus_area_count": CommunityArea.objects.focus().count(),
    }
    return TemplateResponse(request, "site/home.html", context)


@login_not_required
@require_GET
def programs(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "site/programs.html", {"programs": PROGRAMS})


@login_not_required
@require_GET
def program(request: HttpRequest, slug: str) -> HttpResponse:
    found = PROGRAMS_BY_SLUG.get(slug)
    if found is None:
        raise Http404
    context = {"program": found, "programs": PROGRAMS}
    if found.slug == "ipv-program":
        pilot = CommunityArea.objects.filter(number__in=IPV_PILOT_AREA_NUMBERS)
        context["pilot_areas"] = sorted(
            pilot.only(*_AREA_FIELDS), key=lambda a: IPV_PILOT_AREA_NUMBERS.index(a.number)
        )
    return TemplateResponse(request, found.template, context)


@login_not_required
@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    all_areas = list(CommunityArea.objects.only(*_AREA_FIELDS).order_by("name"))
    focus_areas = [area for area in all_areas if area.is_focus_area]
    focus = {area.number for area in focus_areas}
    organizations = _public_organizations(Organization.objects.all(), focus_numbers=focus)
    context = {
        "partners": [o for o in organizations if o.kind == Organization.Kind.PARTNER],
        "providers": [o for o in organizations if o.kind == Organization.Kind.PROVIDER],
        "focus_areas": focus_areas,
        "all_areas": all_areas,
        "area_map": _area_map(
            title=_("Map of the city's community areas. Shaded: where the coalition works."),
            focus=focus,
        ),
    }
    return TemplateResponse(request, "site/partners.html", context)


@login_not_required
@require_GET
def areas(request: HttpRequest) -> HttpResponse:
    """Every community area, and where the "find your area" form lands."""
    chosen = request.GET.get("area", "").strip()
    valid = re.fullmatch(CommunityAreaNumberConverter.regex, chosen)
    if valid and CommunityArea.objects.filter(number=int(chosen)).exists():
        return redirect("site:area", number=int(chosen))
    all_areas = CommunityArea.objects.only(*_AREA_FIELDS).order_by("name")
    context = {"all_areas": all_areas, "not_found": "area" in request.GET}
    return TemplateResponse(request, "site/areas.html", context)


@login_not_required
@require_GET
def area(request: HttpRequest, number: int) -> HttpResponse:
    community_area = get_object_or_404(CommunityArea.objects.defer("boundary"), number=number)
    focus = _focus_numbers()
    organizations = _public_organizations(community_area.organizations.all(), focus_numbers=focus)
    context = {
        "area": community_area,
        "partners": [o for o in organizations if o.kind == Organization.Kind.PARTNER],
        "providers": [o for o in organizations if o.kind == Organization.Kind.PROVIDER],
        "area_map": _area_map(
            title=_("Map of the city's community areas, with %(area)s outlined and marked.")
            % {"area": community_area.name},
            focus=focus,
            highlight=community_area,
        ),
    }
    return TemplateResponse(request, "site/area.html", context)


@login_not_required
@require_GET
def get_help(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "site/get_help.html", {"contact": public_contact()})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    back_to = next_on_this_site(request) or "/"
    response = HttpResponseRedirect(back_to)
    if language in dict(settings.LANGUAGES):
        remember_language(request, response, language)
        unsent.keep_through_language_switch(request, urlsplit(back_to).path)
        if request.user.is_authenticated and request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
    return response


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    granted = permissions_of(request.user)
    # Street outreach workers live on their own home page, made for the phone; it
    # links back here ("all tools", ?all=1).
    if (
        {Permission.LOG_CONTACTS, Permission.RESPOND_TO_INCIDENTS} <= granted
        and Permission.SUPERVISE_OUTREACH not in granted
        and request.GET.get("all") != "1"
    ):
        return redirect("outreach:home")
    memberships = memberships_of(request.user)
    # An outside trainee of the academy has a sign-in for their training record only.
    if not memberships and own_enrollments(request.user).exists():
        return redirect("academy:my_training")
    context = {"memberships": memberships}
    if Permission.VIEW_PEOPLE in granted:
        # Counts of the user's own organizations only, through the permission layer.
        totals = {
            row["status"]: row["total"]
            for row in Person.objects.visible_to(request.user)
            .values("status")
            .annotate(total=Count("pk"))
            .order_by()
        }
        context["people_by_status"] = [
            (label, totals.get(value, 0)) for value, label in Status.choices
        ]
        context["people_total"] = sum(totals.values())
    return TemplateResponse(request, "site/dashboard.html", context)
