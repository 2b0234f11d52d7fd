import datetime
from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peacehub import encryption
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing
from peacehub.cases.access import cases_visible_to
from peacehub.cases.domains import Domain
from peacehub.forms import NOT_SAVED, save_posted, status_of
from peacehub.http import paginate, permission_required, uuid_or_none
from peacehub.people.access import get_person_for_user
from peacehub.people.models import Consent, ConsentKind
from peacehub.programs.access import enrollments_visible_to, programs_of
from peacehub.programs.models import SLUG_OF
from peacehub.referrals import services
from peacehub.referrals.access import (
    Side,
    get_referral_for_user,
    received_without_consent,
    referrals_received_by,
    referrals_sent_by,
)
from peacehub.referrals.forms import ReferralForm, StepForm
from peacehub.referrals.models import (
    ENROLLABLE_STATUSES,
    OPEN_STATUSES,
    STALE_AFTER_DAYS,
)

# The reason typed on the referral form before a detour ("Show services", "Record
# consent"), kept for the way back.
REASON_KEPT = "peacehub_referral_reason"
# The buttons of the referral form that leave it and come back.
SHOW_SERVICES, RECORD_CONSENT = "show_services", "record_consent"


def _form_address(person, case, **chosen) -> str:
    """The referral form's address with what was chosen on it: ids and a need, never
    what was typed."""
    query = {"case": case.pk if case else "", **chosen}
    query = {key: value for key, value in query.items() if value}
    address = reverse("referrals:new", args=[person.pk])
    return f"{address}?{urlencode(query)}" if query else address


def _keep_reason(request, person, reason: str) -> None:
    """The reason goes in the session, encrypted like notes (see accounts/unsent.py),
    not in an address: browsers keep addresses in their history and servers in their
    logs."""
    if reason.strip():
        request.session[REASON_KEPT] = {
            "person": str(person.pk),
            "reason": encryption.encrypt(reason),
        }
    else:
        request.session.pop(REASON_KEPT, None)


def _kept_reason(request, person) -> str:
    kept = request.session.get(REASON_KEPT)
    if not kept or kept.get("person") != str(person.pk):
        return ""
    del request.session[REASON_KEPT]
    try:
        return encryption.decrypt(kept["reason"])
    except (KeyError, ValueError):
        return ""


def _detour(request, person, case, receivable) -> HttpResponse:
    """The buttons that leave the form: "Show services" comes back to it with the
    services of the need chosen; "Record consent" goes to the consent form (for the
    chosen service's organization) and back. Either way the form comes back as it was
    left."""
    service = receivable.filter(pk=uuid_or_none(request.POST.get("service"))).first()
    _keep_reason(request, person, request.POST.get("reason", ""))
    if SHOW_SERVICES in request.POST:
        return redirect(
            _form_address(
                person,
                case,
                need=request.POST.get("need", ""),
                service=service.pk if service else "",
                consent=uuid_or_none(request.POST.get("consent")) or "",
            )
        )
    back = _form_address(
        person, case, need=request.GET.get("need", ""), service=service.pk if service else ""
    )
    query = {"next": back}
    if service is not None:
        query["recipient"] = service.receiving_organization.pk
    return redirect(reverse("people:consent_create", args=[person.pk]) + "?" + urlencode(query))


def _initial(request, person, receivable) -> dict:
    """The form as it was left before a detour: the service and consent chosen (by
    default the current consent naming the service's organization) and the reason."""
    initial = {"reason": _kept_reason(request, person)}
    service = receivable.filter(pk=uuid_or_none(request.GET.get("service"))).first()
    if service is None:
        return initial
    initial["service"] = service.pk
    consents = Consent.objects.current().filter(person=person, kind=ConsentKind.SHARE)
    consent = consents.filter(pk=uuid_or_none(request.GET.get("consent"))).first()
    if consent is None:
        consent = (
            services.current_share_consents(person, service.receiving_organization)
            .order_by("-given_on")
            .first()
        )
    if consent is not None:
        initial["consent"] = consent.pk
    return initial


def _organization_without_consent(form, person, receivable):
    """The organization of the service chosen on the form when no current consent of
    the person names it, or None: the form then offers to record one."""
    service = receivable.filter(pk=uuid_or_none(form["service"].value())).first()
    if service is None:
        return None
    organization = service.receiving_organization
    if services.current_share_consents(person, organization).exists():
        return None
    return organization


def referral_new(request: HttpRequest, person_id: UUID) -> HttpResponse:
    person = get_person_for_user(request, person_id, Permission.SEND_REFERRALS).person
    case = None
    case_id = uuid_or_none(request.GET.get("case") or request.POST.get("case"))
    if case_id:
        case = cases_visible_to(request.user).filter(pk=case_id, person=person).first()
    need = request.GET.get("need", "")
    receivable = services.receivable_services(request.user, person, need)
    if request.method == "POST" and (
        SHOW_SERVICES in request.POST or RECORD_CONSENT in request.POST
    ):
        return _detour(request, person, case, receivable)
    if request.method == "POST":
        form = ReferralForm(request.POST, person=person, services=receivable)
    else:
        form = ReferralForm(
            initial=_initial(request, person, receivable), person=person, services=receivable
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
        {
            "form": form,
            "person": person,
            "case": case,
            "needs": Domain.choices,
            "need": need,
            "consent_missing_for": _organization_without_consent(form, person, receivable),
        },
        status=status_of(form),
    )


def _shown(request) -> str:
    """Which referrals a list shows: "stale" (open, without news for 14 days), "open"
    or "all"."""
    if request.GET.get("stale") == "1":
        return "stale"
    return "open" if request.GET.get("open") == "1" else "all"


def _filtered(request, referrals):
    shown = _shown(request)
    if shown == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    if shown == "stale":
        referrals = referrals.filter(
            status__in=OPEN_STATUSES,
            updated_at__lte=timezone.now() - datetime.timedelta(days=STALE_AFTER_DAYS),
        )
    # Latest step first; the list shows that step's day.
    return referrals.select_related(
        "person", "service", "sending_organization", "receiving_organization"
    ).order_by("-updated_at")


@require_GET
@permission_required(Permission.SEND_REFERRALS)
def referral_sent(request: HttpRequest) -> HttpResponse:
    page = paginate(request, _filtered(request, referrals_sent_by(request.user)))
    audit_listing(request, AuditAction.LIST, page.object_list, record_type="referrals.referral")
    return TemplateResponse(
        request,
        "referrals/referral_list.html",
        {"page": page, "received": False, "shown": _shown(request)},
    )


@require_GET
@permission_required(Permission.RECEIVE_REFERRALS)
def referral_received(request: HttpRequest) -> HttpResponse:
    page = paginate(request, _filtered(request, referrals_received_by(request.user)))
    audit_listing(
        request, AuditAction.LIST, page.object_list, record_type="referrals.referral", received=1
    )
    return TemplateResponse(
        request,
        "referrals/referral_list.html",
        {"page": page, "received": True, "shown": _shown(request)},
    )


def _detail(request, access, step_form=None, status=200, ended_note=None):
    """The referral's page; ``ended_note`` (the note of a step posted after the referral
    ended, "" when none was typed) says that nothing was saved and gives the note back."""
    referral = access.referral
    allowed = services.RECEIVER_STEPS if access.side == Side.RECEIVER else services.SENDER_STEPS
    form = step_form or StepForm(referral=referral, allowed=allowed)
    context = {
        "ended_note": ended_note,
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
    try:
        access = get_referral_for_user(request.user, referral_id)
    except Http404:
        lost = received_without_consent(request.user, referral_id)
        if lost is None:
            raise
        # Posted by the receiver from a page left open while the person's consent ended:
        # say so, nothing of the referral, and give back the note that was typed.
        return TemplateResponse(
            request,
            "referrals/consent_ended.html",
            {"revoked": lost.consent.revoked_at is not None, "note": request.POST.get("note", "")},
            status=403,
        )
    if not access.referral.is_open:
        # Posted from a page left open while the referral ended: no step follows; the
        # page says so and gives back the note that was typed.
        return _detail(request, access, status=400, ended_note=request.POST.get("note", ""))
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
