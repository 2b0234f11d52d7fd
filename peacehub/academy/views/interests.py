"""Interest from the public in open trainings, for the trainers who run them."""

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.academy import services
from peacehub.academy.access import MANAGE, get_interest_for_user, interests_visible_to
from peacehub.http import paginate, permission_required


@require_GET
@permission_required(MANAGE)
def interest_list(request: HttpRequest) -> HttpResponse:
    handled = request.GET.get("handled") == "1"
    interests = (
        interests_visible_to(request.user)
        .filter(handled_at__isnull=not handled)
        .select_related("cohort__course", "handled_by")
        .order_by("-submitted_at")
    )
    page = paginate(request, interests)
    services.interests_read(request=request, interests=page.object_list)
    return TemplateResponse(
        request, "academy/interest_list.html", {"page": page, "handled": handled}
    )


@require_POST
def interest_handled(request: HttpRequest, interest_id: UUID) -> HttpResponse:
    interest = get_interest_for_user(request.user, interest_id)
    handled = request.POST.get("handled", "1") != "0"
    services.interest_handled(request=request, interest=interest, handled=handled)
    messages.success(
        request, _("Marked as handled.") if handled else _("Marked as not handled yet.")
    )
    # Back to the list the button was on.
    return redirect(reverse("academy:interests") + ("" if handled else "?handled=1"))
