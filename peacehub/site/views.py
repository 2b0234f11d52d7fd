from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import memberships_of, permissions_of
from peacehub.accounts.roles import Permission
from peacehub.people.models import Person, Status
from peacehub.site.language import remember_language


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "site/home.html")


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in dict(settings.LANGUAGES):
        remember_language(request, response, language)
        if request.user.is_authenticated and request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
    return response


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    granted = permissions_of(request.user)
    # Street outreach workers live on their own home page, made for the phone.
    if {Permission.LOG_CONTACTS, Permission.RESPOND_TO_INCIDENTS} <= granted and (
        Permission.SUPERVISE_OUTREACH not in granted
    ):
        return redirect("outreach:home")
    context = {"memberships": memberships_of(request.user)}
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
