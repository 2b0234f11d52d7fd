import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peacehub.dates import CLOCK_SKEW
from peacehub.outreach.forms import DateTimeInput
from peacehub.people.forms import TextLimitsSaid, missing_for_a_choice, required_for_a_choice
from peacehub.people.models import Consent, ConsentKind
from peacehub.referrals.models import ReferralStatus, steps_from
from peacehub.referrals.services import (
    FIRST_APPOINTMENT_REQUIRED,
    NOTE_REQUIRED,
    appointment_before_referral,
    appointment_not_yet,
    reject_appointment_too_far,
)
from peacehub.services.models import Service


class ReferralForm(TextLimitsSaid, forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), empty_label="—"
    )
    consent = forms.ModelChoiceField(
        label=_("The person's consent to share"), queryset=Consent.objects.none(), empty_label="—"
    )
    reason = forms.CharField(
        label=_("Reason for the referral"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person needs from this service, in a few words."),
    )

    def __init__(self, *args, person, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: f"{s.name} — {s.organization.name}"
        self.fields["service"].error_messages["invalid_choice"] = _(
            "Choose a service of the coalition from the list."
        )
        self.fields["consent"].queryset = (
            Consent.objects.current()
            .filter(person=person, kind=ConsentKind.SHARE)
            .select_related("recipient")
        )
        self.fields["consent"].label_from_instance = lambda c: (
            _("To share with %(name)s, given on %(day)s")
            % {"name": c.recipient.name, "day": date_format(c.given_on, "SHORT_DATE_FORMAT")}
        )
        self.fields["consent"].error_messages["invalid_choice"] = _(
            "Choose one of the person's current consents."
        )

    def clean(self):
        cleaned = super().clean()
        service, consent = cleaned.get("service"), cleaned.get("consent")
        if service and consent and consent.recipient_id != service.receiving_organization.pk:
            self.add_error(
                "consent",
                _("This consent does not name %(name)s, which runs the service.")
                % {"name": service.receiving_organization.name},
            )
        return cleaned


# The first appointment again, while it is the referral's step: a new date for it.
CORRECT_APPOINTMENT = _("Correct the first appointment")


class StepForm(TextLimitsSaid, forms.Form):
    status = forms.ChoiceField(label=_("Next step"))
    first_appointment_at = forms.DateTimeField(
        label=_("First appointment"),
        widget=DateTimeInput(),
        required=False,
    )
    note = forms.CharField(
        label=_("Note or reason"),
        max_length=300,
        required=False,
        help_text=_("Both organizations read it: no clinical detail."),
    )

    def __init__(self, *args, referral, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        steps = steps_from(referral.status, allowed)
        self.fields["status"].choices = [
            (value, CORRECT_APPOINTMENT if value == referral.status else label)
            for value, label in ReferralStatus.choices
            if value in steps
        ]
        required_for_a_choice(
            self.fields["first_appointment_at"],
            when=_("Required when the next step is “First appointment”."),
            message=FIRST_APPOINTMENT_REQUIRED,
        )
        # The sender may only close; the receiver may decline too.
        needing_note = [step for step in NOTE_REQUIRED if step in steps]
        if needing_note:
            required_for_a_choice(
                self.fields["note"],
                when=_("Required when declining or closing the referral.")
                if ReferralStatus.DECLINED in needing_note
                else _("Required when closing the referral."),
                message=NOTE_REQUIRED[ReferralStatus.CLOSED],
            )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == ReferralStatus.FIRST_APPOINTMENT and not cleaned.get("first_appointment_at"):
            missing_for_a_choice(self, "first_appointment_at")
        if status in NOTE_REQUIRED and not cleaned.get("note", "").strip():
            # Each step names itself: "… when declining", "… when closing".
            missing_for_a_choice(self, "note", NOTE_REQUIRED[status])
        moment = cleaned.get("first_appointment_at")
        if moment and moment < self.referral.created_at - CLOCK_SKEW:
            self.add_error("first_appointment_at", appointment_before_referral(self.referral))
        elif moment and moment < timezone.now() - datetime.timedelta(days=365):
            self.add_error("first_appointment_at", _("Check the date of the appointment."))
        else:
            try:
                reject_appointment_too_far(moment)
            except ValidationError as error:
                self.add_error("first_appointment_at", error)
        if status and (not_yet := appointment_not_yet(self.referral, status)) is not None:
            self.add_error("status", not_yet)
        return cleaned
