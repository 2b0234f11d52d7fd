import datetime
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.cases.access import cases_visible_to
from peacehub.cases.domains import Domain
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate, permission_required, uuid_or_none
from peacehub.people.access import get_person_for_user
from peacehub.programs.access import enrollments_visible_to, programs_of
from peacehub.programs.models import SLUG_OF
from peacehub.referrals import services
from peacehub.referrals.access import (
    Side,
    get_referral_for_user,
    referrals_received_by,
    referrals_sent_by,
)
from peacehub.referrals.forms import ReferralForm, StepForm
from peacehub.referrals.models import OPEN_STATUSES, STALE_AFTER_DAYS, ReferralStatus


def referral_new(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request, person_id, Permission.SEND_REFERRALS).person
    case = None
    case_id = uuid_or_none(request.GET.get("case") or request.POST.get("case"))
    if case_id:
        case = cases_visible_to(request.user).filter(pk=case_id, person=person).first()
    need = request.GET.get("need", "")
    form = ReferralForm(
        request.POST or None,
        person=person,
        services=services.receivable_services(request.user, person, need),
    )
    referral = save_posted(
        request,
        form,
        lambda data: services.referral_send(
            request=request,
            person=person,
            service=data["service"],
            reason=data["reason"],
            consent=data["consent"],
            case=case,
        ),
        _("Referral sent."),
    )
    if referral is not NOT_SAVED:
        return redirect("referrals:detail", referral_id=referral.pk)
    return TemplateResponse(
        request,
        "referrals/referral_form.html",
        {"form": form, "person": person, "case": case, "needs": Domain.choices, "need": need},
        status=status_of(form),
    )


def _filtered(request, referrals):
    if request.GET.get("open") == "1":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    if request.GET.get("stale") == "1":
        referrals = referrals.filter(
            status__in=OPEN_STATUSES,
            updated_at__lte=timezone.now() - datetime.timedelta(days=STALE_AFTER_DAYS),
        )
    return referrals.select_related(
        "person", "service", "sending_organization", "receiving_organization"
    ).order_by("-updated_at")


@require_GET
@permission_required(Permission.SEND_REFERRALS)
def referral_sent(request: HttpRequest) -> HttpResponse:
    page = paginate(request, _filtered(request, referrals_sent_by(request.user)))
    audit_listing(request, AuditAction.LIST, page.object_list, record_type="referrals.referral")
    return TemplateResponse(
        request, "referrals/referral_list.html", {"page": page, "received": False}
    )


@require_GET
@permission_required(Permission.RECEIVE_REFERRALS)
def referral_received(request: HttpRequest) -> HttpResponse:
    page = paginate(request, _filtered(request, referrals_received_by(request.user)))
    audit_listing(
        request, AuditAction.LIST, page.object_list, record_type="referrals.referral", received=1
    )
    return TemplateResponse(
        request, "referrals/referral_list.html", {"page": page, "received": True}
    )


# Steps at which the receiver may enroll the person in one of its programs.
ENROLLABLE_STATUSES = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.FIRST_APPOINTMENT,
    ReferralStatus.IN_SERVICE,
)


def _detail(request, access, step_form=None, status=200):
    referral = access.referral
    allowed = services.RECEIVER_STEPS if access.side == Side.RECEIVER else services.SENDER_STEPS
    form = step_form or StepForm(referral=referral, allowed=allowed)
    context = {
        "referral": referral,
        "side": access.side,
        "shares_phone": access.shares_phone,
        "consent_current": referral.consent.is_current,
        "events": referral.events.select_related("by", "by_organization"),
        "step_form": form,
        "next_steps": form.fields["status"].choices,
    }
    if access.side == Side.RECEIVER:
        # The receiver's own program records that answer the referral: never shown to
        # the sender (an enrollment's existence stays inside its organization).
        context["enrollments"] = enrollments_visible_to(request.user).filter(referral=referral)
        if referral.status in ENROLLABLE_STATUSES:
            context["enroll_in"] = [
                (program, SLUG_OF[program]) for program in programs_of(request.user)
            ]
    return TemplateResponse(request, "referrals/referral_detail.html", context, status=status)


@require_GET
def referral_detail(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    access = get_referral_for_user(request.user, referral_id)
    services.referral_read(request, access)
    return _detail(request, access)


@require_POST
def referral_step(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    access = get_referral_for_user(request.user, referral_id)
    allowed = services.RECEIVER_STEPS if access.side == Side.RECEIVER else services.SENDER_STEPS
    form = StepForm(request.POST, referral=access.referral, allowed=allowed)
    stepped = save_posted(
        request,
        form,
        lambda data: services.referral_step(
            request=request,
            referral=access.referral,
            side=access.side,
            to_status=data["status"],
            note=data["note"],
            first_appointment_at=data["first_appointment_at"],
        ),
        _("Step saved. Both organizations see it."),
    )
    if stepped is not NOT_SAVED:
        return redirect("referrals:detail", referral_id=referral_id)
    return _detail(request, access, step_form=form, status=400)
