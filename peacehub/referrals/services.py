"""Sending a referral and moving it through its steps, with the audit event and the
notifications of each step, in one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacehub.accounts.access import role_has_permission
from peacehub.accounts.models import Membership
from peacehub.accounts.roles import Permission
from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_request
from peacehub.cases.domains import Domain
from peacehub.dates import CLOCK_SKEW, reject_after, years_ahead
from peacehub.notifications.services import notify
from peacehub.people.models import Consent, ConsentKind, Person
from peacehub.referrals.access import Side
from peacehub.referrals.models import (
    OPEN_STATUSES,
    STALE_AFTER_DAYS,
    EventCode,
    Referral,
    ReferralEvent,
    ReferralStatus,
    steps_from,
)
from peacehub.services.search import services_search

# What each side may do; either side may close an open referral.
RECEIVER_STEPS = {
    ReferralStatus.RECEIVED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.FIRST_APPOINTMENT,
    ReferralStatus.IN_SERVICE,
    ReferralStatus.COMPLETED,
    ReferralStatus.CLOSED,
}
SENDER_STEPS = {ReferralStatus.CLOSED}
# The steps that need a reason, and the words that say so when it is missing (the step
# form's help names them too: people.forms.required_for_a_choice).
NOTE_REQUIRED = {
    ReferralStatus.DECLINED: gettext_lazy(
        "Give the reason: it is required when declining the referral."
    ),
    ReferralStatus.CLOSED: gettext_lazy(
        "Give the reason: it is required when closing the referral."
    ),
}
NEEDS_NOTE = set(NOTE_REQUIRED)
APPOINTMENT_UNCHANGED = gettext_lazy(
    "This is the first appointment already recorded: give its new date and time."
)
FIRST_APPOINTMENT_REQUIRED = gettext_lazy(
    "Give the date and time of the first appointment: it is required when the next step "
    "is “First appointment”."
)
REFERRAL_ENDED = gettext_lazy("This referral has ended: nothing was saved.")


def referral_read(request, access, **detail) -> None:
    """The audit event of a page that shows a referral, or its packet (the receiver's
    new record filled in from it, an enrollment that answers it): a read of the
    person's record, logged for the organization that owns it."""
    audit_request(
        request,
        AuditAction.VIEW,
        access.referral,
        organization_id=str(access.referral.sending_organization_id),
        detail={"side": access.side, "person": str(access.referral.person_id), **detail},
    )


def current_share_consents(person, organization):
    return Consent.objects.current().filter(
        person=person, kind=ConsentKind.SHARE, recipient=organization
    )


def _members_who_receive(organization_id):
    return [
        m.user
        for m in Membership.objects.filter(
            organization_id=organization_id, user__is_active=True
        ).select_related("user")
        if role_has_permission(m.role, Permission.RECEIVE_REFERRALS)
    ]


def receivable_services(user, person, need: str):
    """Services of the coalition that can receive a referral here: run by another
    organization on PeaceHub."""
    return (
        services_search(user, need=need if need in Domain.values else "")
        .filter(organization__organization__isnull=False)
        .exclude(organization__organization_id=person.organization_id)
        .select_related("organization__organization")
    )


@transaction.atomic
def referral_send(*, request, person, service, reason: str, consent, case=None) -> Referral:
    receiving = service.receiving_organization
    if receiving is None:
        raise ValidationError(_("This service is not on PeaceHub; give the person its details."))
    if receiving.pk == person.organization_id:
        raise ValidationError(_("This service belongs to your own organization."))
    if (
        consent is None
        or not current_share_consents(person, receiving).filter(pk=consent.pk).exists()
    ):
        raise ValidationError(
            _("Record the person's current consent to share with %(name)s first.")
            % {"name": receiving.name}
        )
    if case is not None and case.person_id != person.pk:
        raise ValidationError(_("This case is another participant's."))
    if case is not None and not case.is_open:
        raise ValidationError(
            _("This case is closed: send the referral from the participant's page.")
        )
    # Two posts of the same referral (a double submit on a slow connection, two tabs)
    # queue here, on PostgreSQL, until the first commits; SQLite's transactions take
    # the write lock at BEGIN (transaction_mode IMMEDIATE). The second then finds the
    # first.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    already = (
        Referral.objects.filter(person=person, service=service, status__in=OPEN_STATUSES)
        .order_by("created_at")
        .first()
    )
    if already is not None:
        raise ValidationError(
            {
                "service": _(
                    "This participant already has an open referral to %(service)s, sent on "
                    "%(date)s: follow that one up instead."
                )
                % {
                    "service": service.name,
                    "date": date_format(
                        timezone.localtime(already.created_at), "SHORT_DATE_FORMAT"
                    ),
                }
            }
        )
    referral = Referral.objects.create(
        person=person,
        sending_organization_id=person.organization_id,
        sent_by=request.user,
        case=case,
        service=service,
        receiving_organization=receiving,
        consent=consent,
        reason=reason,
    )
    ReferralEvent.objects.create(
        referral=referral,
        status=ReferralStatus.SENT,
        by=request.user,
        by_organization_id=person.organization_id,
    )
    audit_request(
        request,
        AuditAction.CREATE,
        referral,
        organization_id=str(person.organization_id),
        detail={"person": str(person.pk), "to": str(receiving.pk)},
    )
    url = reverse("referrals:detail", args=[referral.pk])
    notify(
        recipients=_members_who_receive(receiving.pk),
        message=lambda: _("A new referral for your organization — open PeaceHub"),
        url=url,
        absolute_url=request.build_absolute_uri(url),
    )
    return referral


def appointment_before_referral(referral: Referral) -> str:
    return _("The first appointment cannot be before the referral was sent (%(sent)s).") % {
        "sent": date_format(timezone.localtime(referral.created_at), "SHORT_DATETIME_FORMAT")
    }


def reject_appointment_too_far(moment: datetime.datetime | None, field=None) -> None:
    reject_after(
        moment,
        years_ahead(1, timezone.now()) + CLOCK_SKEW,
        _("A first appointment cannot be more than a year ahead."),
        field,
    )


# Steps that say the person was seen: not before the first appointment's time.
AFTER_THE_APPOINTMENT = (ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED)


def appointment_not_yet(referral: Referral, to_status: str) -> str | None:
    """Why the referral cannot take this step yet, or None: a person is in service
    (or done) only once the first appointment recorded has come."""
    moment = referral.first_appointment_at
    if to_status not in AFTER_THE_APPOINTMENT or moment is None:
        return None
    if moment <= timezone.now() + CLOCK_SKEW:
        return None
    return _("The first appointment (%(moment)s) has not happened yet.") % {
        "moment": date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    }


@transaction.atomic
def referral_step(
    *,
    request,
    referral: Referral,
    side: Side,
    to_status: str,
    note: str = "",
    first_appointment_at: datetime.datetime | None = None,
    code: str = "",
) -> Referral:
    """The next step of an open referral, by one side; or, by the receiver, a correction
    of the first appointment (the step again, with its new date) until the person is in
    service. ``code`` is PeaceHub's own words for the step (EventCode), never typed."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise ValidationError(REFERRAL_ENDED)
    allowed = RECEIVER_STEPS if side == Side.RECEIVER else SENDER_STEPS
    correcting = to_status == referral.status == ReferralStatus.FIRST_APPOINTMENT
    if to_status not in steps_from(referral.status, allowed):
        raise ValidationError(
            _("A referral that is “%(state)s” cannot become “%(next)s”.")
            % {
                "state": ReferralStatus(referral.status).label,
                "next": ReferralStatus(to_status).label
                if to_status in ReferralStatus.values
                else to_status,
            }
        )
    if to_status in NEEDS_NOTE and not note.strip() and not code:
        raise ValidationError({"note": NOTE_REQUIRED[to_status]})
    if to_status == ReferralStatus.FIRST_APPOINTMENT:
        if first_appointment_at is None:
            raise ValidationError({"first_appointment_at": FIRST_APPOINTMENT_REQUIRED})
        if first_appointment_at < referral.created_at - CLOCK_SKEW:
            raise ValidationError({"first_appointment_at": appointment_before_referral(referral)})
        reject_appointment_too_far(first_appointment_at, "first_appointment_at")
        if correcting:
            if first_appointment_at == referral.first_appointment_at:
                raise ValidationError({"first_appointment_at": APPOINTMENT_UNCHANGED})
            code = EventCode.APPOINTMENT_CORRECTED
        referral.first_appointment_at = first_appointment_at
    if (not_yet := appointment_not_yet(referral, to_status)) is not None:
        raise ValidationError({"status": not_yet})
    organization = (
        referral.receiving_organization_id
        if side == Side.RECEIVER
        else referral.sending_organization_id
    )
    now = timezone.now()
    referral.status = to_status
    referral.updated_at = now
    referral.stale_notified_at = None
    referral.save(
        update_fields=["status", "updated_at", "stale_notified_at", "first_appointment_at"]
    )
    ReferralEvent.objects.create(
        referral=referral,
        status=to_status,
        at=now,
        by=request.user,
        by_organization_id=organization,
        note=note.strip(),
        code=code,
        appointment_at=first_appointment_at
        if to_status == ReferralStatus.FIRST_APPOINTMENT
        else None,
    )
    audit_request(
        request,
        AuditAction.UPDATE,
        referral,
        organization_id=str(organization),
        detail={"status": to_status, **({"code": code} if code else {})},
    )
    if side == Side.RECEIVER and referral.sent_by_id:
        url = reverse("referrals:detail", args=[referral.pk])
        notify(
            recipients=[referral.sent_by],
            message=lambda: (
                _("The first appointment of a referral you sent has a new date — open PeaceHub")
                if correcting
                else _("A referral you sent is now “%(status)s” — open PeaceHub")
                % {"status": ReferralStatus(to_status).label}
            ),
            url=url,
            absolute_url=request.build_absolute_uri(url),
        )
    return referral


@transaction.atomic
def referrals_close_for_revoked_consent(*, request, consent: Consent) -> list[Referral]:
    """Close the referrals the consent carried that are still open, as a step of the
    sending side by the user who revoked it, saying why. The receiving organization
    lost them with the consent and can update them no more: left open, they would count
    as open, and be flagged as stale, on the sender's side for ever."""
    return [
        referral_step(
            request=request,
            referral=referral,
            side=Side.SENDER,
            to_status=ReferralStatus.CLOSED,
            code=EventCode.CONSENT_WITHDRAWN,
        )
        for referral in Referral.objects.filter(consent=consent, status__in=OPEN_STATUSES)
    ]


def referrals_flag_stale(*, base_url: str) -> int:
    """Alert both sides, once, of each open referral without news for 14 days.
    Run daily (manage.py flag_stale_referrals)."""
    cutoff = timezone.now() - datetime.timedelta(days=STALE_AFTER_DAYS)
    stale = Referral.objects.filter(
        status__in=OPEN_STATUSES, updated_at__lte=cutoff, stale_notified_at__isnull=True
    ).select_related("sent_by", "consent")
    count = 0
    for referral in stale:
        with transaction.atomic():
            url = reverse("referrals:detail", args=[referral.pk])
            # The receiving side hears of it only while it may still open the referral.
            recipients = (
                _members_who_receive(referral.receiving_organization_id)
                if referral.consent.is_current
                else []
            )
            if referral.sent_by and referral.sent_by.is_active:
                recipients.append(referral.sent_by)
            notify(
                recipients=recipients,
                message=lambda: _("A referral has had no news for 14 days — open PeaceHub"),
                url=url,
                absolute_url=base_url.rstrip("/") + url,
            )
            referral.stale_notified_at = timezone.now()
            referral.save(update_fields=["stale_notified_at"])
            count += 1
    return count
