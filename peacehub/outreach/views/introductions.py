from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import path_on_this_site, permission_required
from peacehub.outreach import services
from peacehub.outreach.access import get_introduction_for_user, introductions_visible_to
from peacehub.outreach.forms import IntroductionForm, ReturnForm
from peacehub.outreach.models import IntroductionStatus
from peacehub.people.access import get_person_for_user


@require_GET
@permission_required(Permission.VIEW_CONTACTS)
def introduction_list(request: HttpRequest) -> HttpResponse:
    visible = introductions_visible_to(request.user).select_related(
        "person", "introduced_by", "case_manager"
    )
    to_me = list(visible.filter(case_manager=request.user, status=IntroductionStatus.PENDING))
    by_me = list(visible.filter(introduced_by=request.user).order_by("-created_at")[:20])
    audit_listing(
        request,
        AuditAction.LIST,
        [i.person for i in to_me + by_me],
        record_type="people.person",
        view="introductions",
    )
    return TemplateResponse(
        request,
        "outreach/introduction_list.html",
        {"to_me": to_me, "by_me": by_me, "return_form": ReturnForm()},
    )


def introduction_new(request: HttpRequest, person_id: UUID) -> HttpResponse:
    access = get_person_for_user(request, person_id, Permission.MAKE_INTRODUCTIONS)
    person = access.person
    form = IntroductionForm(request.POST or None, organization=person.organization)
    introduced = save_posted(
        request,
        form,
        lambda data: services.introduction_make(
            request=request,
            person=person,
            case_manager=data["case_manager"].user,
            summary=data["summary"],
        ),
        _("Introduction sent to the case manager."),
    )
    if introduced is not NOT_SAVED:
        return redirect("people:detail", person_id=person.pk)
    return TemplateResponse(
        request,
        "outreach/introduction_form.html",
        {"form": form, "person": person},
        status=status_of(form),
    )


def _introduction_to_answer(request, introduction_id):
    introduction = get_introduction_for_user(
        request.user, introduction_id, Permission.RECEIVE_INTRODUCTIONS
    )
    if introduction.case_manager_id != request.user.pk and not has_permission(
        request.user, Permission.SUPERVISE_OUTREACH, introduction.organization_id
    ):
        raise PermissionDenied
    return introduction


def _back(request: HttpRequest) -> str:
    """Where the answer was given: the introductions page or the caseload."""
    return path_on_this_site(request, request.POST.get("next", "")) or reverse(
        "outreach:introductions"
    )


@require_POST
def introduction_accept(request: HttpRequest, introduction_id: UUID) -> HttpResponse:
    introduction = _introduction_to_answer(request, introduction_id)
    try:
        case = services.introduction_accept(request=request, introduction=introduction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_back(request))
    name = introduction.person.display_name
    if introduction.case_manager_id == request.user.pk:
        done = _("%(name)s is now in case management with you.") % {"name": name}
    else:
        done = _("%(name)s is now in case management with %(case_manager)s.") % {
            "name": name,
            "case_manager": introduction.case_manager.full_name,
        }
    messages.success(request, done)
    if hasattr(case, "intake"):
        return redirect("cases:detail", case_id=case.pk)
    return redirect("cases:intake", case_id=case.pk)


@require_POST
def introduction_return(request: HttpRequest, introduction_id: UUID) -> HttpResponse:
    introduction = _introduction_to_answer(request, introduction_id)
    form = ReturnForm(request.POST)
    returned = save_posted(
        request,
        form,
        lambda data: services.introduction_return(
            request=request, introduction=introduction, reason=data["reason"]
        ),
        _("Introduction returned to the outreach worker."),
    )
    if returned is not NOT_SAVED:
        return redirect(_back(request))
    # Too long, or nothing said: the introduction again, with the field's own words
    # ("at most 300 characters") and all that was typed, to shorten, not to retype.
    return TemplateResponse(
        request,
        "outreach/introduction_return.html",
        {"introduction": introduction, "form": form, "next": _back(request)},
        status=status_of(form),
    )
