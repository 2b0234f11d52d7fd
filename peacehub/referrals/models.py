"""Closed-loop referrals. The sending organization keeps the case; the receiving one
sees only the referral packet (name, how to reach, reason, preferred language) and
only while the person's consent naming it is current."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peacehub.encryption import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    FIRST_APPOINTMENT = "first_appointment", _("First appointment")
    IN_SERVICE = "in_service", _("In service")
    # Spanish says "completada", "cerrada" of a referral (la referencia).
    COMPLETED = "completed", pgettext_lazy("referral status", "Completed")
    CLOSED = "closed", pgettext_lazy("referral status", "Closed")


# Each step and the steps that may follow it. Closing is possible from any open step.
NEXT_STEPS: dict[str, set[str]] = {
    ReferralStatus.SENT: {ReferralStatus.RECEIVED, ReferralStatus.CLOSED},
    ReferralStatus.RECEIVED: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.CLOSED,
    },
    ReferralStatus.ACCEPTED: {ReferralStatus.FIRST_APPOINTMENT, ReferralStatus.CLOSED},
    ReferralStatus.FIRST_APPOINTMENT: {ReferralStatus.IN_SERVICE, ReferralStatus.CLOSED},
    ReferralStatus.IN_SERVICE: {ReferralStatus.COMPLETED, ReferralStatus.CLOSED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.COMPLETED: set(),
    ReferralStatus.CLOSED: set(),
}
OPEN_STATUSES = [s for s, following in NEXT_STEPS.items() if following]


def steps_from(status: str, allowed) -> set[str]:
    """The steps a side whose own steps are ``allowed`` may take from ``status``: the
    next ones, and for the side that records the first appointment, that step again to
    correct its date until the person is in service."""
    steps = NEXT_STEPS[status] & set(allowed)
    if status == ReferralStatus.FIRST_APPOINTMENT and status in allowed:
        steps.add(ReferralStatus.FIRST_APPOINTMENT)
    return steps


# The steps at which the receiving organization has taken the person on and the referral
# is still open: the ones a program enrollment may answer.
ENROLLABLE_STATUSES = [
    ReferralStatus.ACCEPTED,
    ReferralStatus.FIRST_APPOINTMENT,
    ReferralStatus.IN_SERVICE,
]
# A referral without news for this long is flagged to both sides.
STALE_AFTER_DAYS = 14


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    sending_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    sent_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    service = models.ForeignKey(
        "services.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    receiving_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="referrals_received"
    )
    consent = models.ForeignKey(
        "people.Consent", on_delete=models.PROTECT, related_name="referrals"
    )
    # The packet: what the receiving organization reads.
    reason = EncryptedTextField(_("reason for the referral"))
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    first_appointment_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    stale_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sending_organization", "status"]),
            models.Index(fields=["receiving_organization", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(sending_organization=models.F("receiving_organization")),
                name="referral_goes_to_another_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_stale(self) -> bool:
        return self.is_open and (timezone.now() - self.updated_at).days >= STALE_AFTER_DAYS


class EventCode(models.TextChoices):
    """What PeaceHub itself says of a step: stored as a code, so that each side reads
    it in the language of its own page."""

    CONSENT_WITHDRAWN = "consent_withdrawn", _("The person's consent to share was withdrawn.")
    APPOINTMENT_CORRECTED = "appointment_corrected", _("The first appointment was corrected.")


class ReferralEvent(models.Model):
    """One step of a referral, seen by both sides."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    # A decline or closing reason, an appointment note: read by both organizations, so
    # never clinical detail.
    note = models.CharField(_("note"), max_length=300, blank=True)
    # db_default too: the demo's bulk insert names its columns and leaves this one out.
    code = models.CharField(
        max_length=30, choices=EventCode.choices, blank=True, default="", db_default=""
    )
    # The first appointment this step set (a first appointment, or its correction).
    appointment_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at"]

    @property
    def shown_note(self) -> str:
        """What the step says, in the reader's language: PeaceHub's words for its code,
        then the note that was typed."""
        parts = [str(self.get_code_display())] if self.code else []
        if self.note:
            parts.append(self.note)
        return " — ".join(parts)
