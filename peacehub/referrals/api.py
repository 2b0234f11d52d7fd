"""Referrals in the JSON API: the sender's whole view, the receiver's packet, and the
steps; through the same access rules and forms as the pages."""

import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja import Status as Reply

from peacehub.accounts.access import has_permission
from peacehub.accounts.roles import Permission
from peacehub.api_helpers import (
    ErrorOut,
    InputSchema,
    Moment,
    choice,
    forbidden,
    form_payload,
    invalid,
    page_of,
)
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_listing, audit_request
from peacehub.cases.access import cases_visible_to
from peacehub.forms import NOT_SAVED, save_valid
from peacehub.people.access import get_person_for_user
from peacehub.referrals import services
from peacehub.referrals.access import (
    ReferralAccess,
    Side,
    get_referral_for_user,
    referrals_received_by,
    referrals_sent_by,
)
from peacehub.referrals.forms import ReferralForm, StepForm
from peacehub.referrals.models import ReferralStatus

router = Router(tags=["referrals"])


class EventOut(Schema):
    status: str
    at: datetime.datetime
    organization: UUID
    # What the step says, in the language asked for (PeaceHub's words for a code, then
    # the note typed); the code itself, "" for none.
    note: str
    code: str = ""
    first_appointment_at: datetime.datetime | None = None


class PacketOut(Schema):
    name: str
    phone: str | None
    preferred_language: str
    reason: str


class ReferralOut(Schema):
    id: UUID
    side: str
    status: str
    service: UUID
    service_name: str
    sending_organization: UUID
    receiving_organization: UUID
    first_appointment_at: datetime.datetime | None
    stale: bool
    packet: PacketOut
    # The sender's view only: the person's record and case in the sending organization.
    person: UUID | None = None
    case: UUID | None = None
    consent_current: bool | None = None
    events: list[EventOut] = []


class ReferralPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ReferralOut]


# What the page's form always requires is required here too, so that the schema says
# so; a field missing is refused before the form is read (peacehub.api). A field the
# form requires for one choice only (a step's note, its first appointment) stays
# optional, and the form names the choice when it is missing.
class ReferralIn(InputSchema):
    person: UUID
    service: UUID
    consent: UUID
    reason: str
    case: UUID | None = None


class StepIn(InputSchema):
    status: choice(ReferralStatus)
    note: str | None = None
    first_appointment_at: Moment | None = None


def _out(access: ReferralAccess, events: bool = True) -> dict:
    referral = access.referral
    person = referral.person
    data = {
        "id": referral.pk,
        "side": access.side,
        "status": referral.status,
        "service": referral.service_id,
        "service_name": referral.service.name,
        "sending_organization": referral.sending_organization_id,
        "receiving_organization": referral.receiving_organization_id,
        "first_appointment_at": referral.first_appointment_at,
        "stale": referral.is_stale,
        "packet": {
            "name": person.display_name,
            "phone": person.phone if access.shares_phone else None,
            "preferred_language": person.preferred_language,
            "reason": referral.reason,
        },
    }
    if access.side == Side.SENDER:
        data.update(
            person=person.pk, case=referral.case_id, consent_current=referral.consent.is_current
        )
    if events:
        data["events"] = [
            {
                "status": e.status,
                "at": e.at,
                "organization": e.by_organization_id,
                "note": e.shown_note,
                "code": e.code,
                "first_appointment_at": e.appointment_at,
            }
            for e in referral.events.all()
        ]
    return data


@router.get("/referrals", response={200: ReferralPage, 403: ErrorOut})
def referral_list(request: HttpRequest, side: Literal["sent", "received"] = "sent", page: int = 1):
    if side == "received":
        if not has_permission(request.user, Permission.RECEIVE_REFERRALS):
            return forbidden(_("Your role does not receive referrals."))
        referrals, kind = referrals_received_by(request.user), Side.RECEIVER
    else:
        if not has_permission(request.user, Permission.SEND_REFERRALS):
            return forbidden(_("Your role does not send referrals."))
        referrals, kind = referrals_sent_by(request.user), Side.SENDER
    referrals = referrals.select_related("person", "service", "consent").order_by("-updated_at")
    shown, numbers = page_of(referrals, page, referrals.count())
    audit_listing(request, AuditAction.LIST, shown, record_type="referrals.referral", via="api")
    results = [_out(ReferralAccess(r, kind), events=False) for r in shown]
    return Reply(200, {**numbers, "results": results})


@router.get("/referrals/{id:referral_id}", response={200: ReferralOut, 404: ErrorOut})
def referral_read(request: HttpRequest, referral_id: UUID):
    access = get_referral_for_user(request.user, referral_id)
    audit_request(
        request,
        AuditAction.VIEW,
        access.referral,
        organization_id=str(access.referral.sending_organization_id),
        detail={"side": access.side, "via": "api"},
    )
    return Reply(200, _out(access))


@router.post("/referrals", response={201: ReferralOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def referral_create(request: HttpRequest, payload: ReferralIn):
    person = get_person_for_user(request, payload.person, Permission.SEND_REFERRALS).person
    case = None
    if payload.case is not None:
        case = cases_visible_to(request.user).filter(pk=payload.case, person=person).first()
        if case is None:
            return invalid({"case": [_("This case is not the participant's open case.")]})
    data = form_payload(payload)
    form = ReferralForm(
        data, person=person, services=services.receivable_services(request.user, person, "")
    )
    # The form's rules, then the service's, each refusal on the field it names.
    referral = save_valid(
        form,
        lambda data: services.referral_send(
            request=request,
            person=person,
            service=data["service"],
            reason=data["reason"],
            consent=data["consent"],
            case=case,
        ),
    )
    if referral is NOT_SAVED:
        return invalid(form.errors)
    return Reply(201, _out(get_referral_for_user(request.user, referral.pk)))


@router.post(
    "/referrals/{id:referral_id}/steps", response={200: ReferralOut, 400: ErrorOut, 404: ErrorOut}
)
def referral_step(request: HttpRequest, referral_id: UUID, payload: StepIn):
    access = get_referral_for_user(request.user, referral_id)
    allowed = services.RECEIVER_STEPS if access.side == Side.RECEIVER else services.SENDER_STEPS
    form = StepForm(form_payload(payload), referral=access.referral, allowed=allowed)
    stepped = save_valid(
        form,
        lambda data: services.referral_step(
            request=request,
            referral=access.referral,
            side=access.side,
            to_status=data["status"],
            note=data["note"],
            first_appointment_at=data["first_appointment_at"],
        ),
    )
    if stepped is NOT_SAVED:
        return invalid(form.errors)
    return Reply(200, _out(get_referral_for_user(request.user, referral_id)))
