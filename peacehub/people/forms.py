import re

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from peacehub.accounts.models import Organization
from peacehub.dates import reject_future_day
from peacehub.geo.models import CommunityArea
from peacehub.people.eligibility import CRITERION_EXPLANATIONS, Criterion
from peacehub.people.models import (
    ClosureReason,
    Consent,
    ConsentKind,
    Person,
    ShareScope,
    Status,
)
from peacehub.people.services import (
    ALLOWED_TRANSITIONS,
    CASE_MANAGEMENT_BY_HAND,
    CLOSING_REASON_MISSING,
    CLOSING_REASON_WHEN,
    CONSENT_EXPIRES_BEFORE_GIVEN,
    CONSENT_RECIPIENT_MISSING,
    CONSENT_RECIPIENT_WHEN,
    PERSON_FIELDS,
)

_PHONE_ALLOWED = re.compile(r"^[0-9 +().\-]*$")
EARLIEST_BIRTH_YEAR = 1900


# The first option of a select that must be chosen: nothing is chosen for the person,
# and submitting it unchosen says "This field is required." on that field.
CHOOSE = _("Choose…")


def choose_first(field: forms.Field) -> forms.Field:
    """Start a required select on an empty "Choose…" option."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = CHOOSE
    else:
        field.choices = [("", CHOOSE), *[c for c in field.choices if c[0] != ""]]
    return field


def required_for_a_choice(field: forms.Field, *, when, message) -> forms.Field:
    """Mark a field that is required only for one choice of another field (an outcome
    when closing, a reason when declining). Its label never says "optional"
    (includes/field.html), its help starts with ``when`` ("Required when …"), and a
    form's clean() adds ``message``, which names the same condition, through
    missing_for_a_choice()."""
    field.required_for_a_choice = True
    field.help_text = format_lazy("{} {}", when, field.help_text) if field.help_text else when
    field.error_messages["required_for_a_choice"] = message
    return field


def missing_for_a_choice(form: forms.Form, name: str, message=None) -> None:
    """The error of a field marked by required_for_a_choice(), left empty: its message,
    or ``message`` where the field is required for several choices, each named."""
    form.add_error(
        name,
        forms.ValidationError(
            message or form.fields[name].error_messages["required_for_a_choice"],
            code="required_for_a_choice",
        ),
    )


AT_MOST = _("At most %(limit)s characters.")


def say_text_limits(form: forms.Form) -> None:
    """Each free-text field's limit said in its help text, not enforced by the browser:
    a phone's maxlength cuts typed or pasted text silently, and the worker never knows.
    The server refuses a longer text on its field, and the page shows all of it again."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or not field.max_length:
            continue
        if isinstance(field.widget, forms.HiddenInput):
            continue
        field.widget.attrs.pop("maxlength", None)
        limit = AT_MOST % {"limit": field.max_length}
        field.help_text = format_lazy("{} {}", field.help_text, limit) if field.help_text else limit


class TextLimitsSaid:
    """A form whose free-text fields say their limit (say_text_limits). A form that adds
    fields in its own __init__ calls say_text_limits() itself, once they are there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_text_limits(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommunityAreaChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose a community area from the list."),
    }

    def __init__(self, **kwargs):
        # Without the outlines: parsing 77 of them to list names cost 3 ms a form.
        kwargs.setdefault("queryset", CommunityArea.objects.defer("boundary").order_by("name"))
        kwargs.setdefault("label", _("Community area"))
        kwargs.setdefault("empty_label", _("Not known"))
        super().__init__(**kwargs)


class ParticipantField(forms.ModelChoiceField):
    """A participant chosen by id from the people the user may work with; anyone else
    (another organization's, or an id that does not exist) is the same error."""

    # Its picker (people/includes/person_picker.html) shows its errors beside the search;
    # the summary of a form's errors, which lists hidden fields', does not repeat them.
    shows_own_errors = True

    default_error_messages = {
        "invalid_choice": _("Choose a participant of your organization from the search."),
        "invalid_pk_value": _("Choose a participant of your organization from the search."),
    }

    def __init__(self, *, people, **kwargs):
        kwargs.setdefault("label", _("Participant"))
        super().__init__(queryset=people, widget=forms.HiddenInput, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # A malformed id gets the same answer as a stranger's: nothing to probe.
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class PersonForm(TextLimitsSaid, forms.ModelForm):
    community_area = CommunityAreaChoiceField(required=False)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, organizations=None, show_nicknames=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].widget = DateInput()
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        for name in ("legal_first_name", "legal_last_name", "preferred_name", "nicknames"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if not show_nicknames:
            del self.fields["nicknames"]
        # Whoever records a person in several organizations chooses which one owns it.
        if organizations is not None and len(organizations) > 1:
            self.fields["organization"] = forms.ModelChoiceField(
                label=_("Organization"),
                queryset=Organization.objects.filter(pk__in=[o.pk for o in organizations]),
                empty_label=None,
            )

    def _clean_name(self, field):
        value = (self.cleaned_data.get(field) or "").strip()
        if not value and self.fields[field].required:
            raise forms.ValidationError(_("Enter a name."), code="required")
        return value

    def clean_legal_first_name(self):
        return self._clean_name("legal_first_name")

    def clean_legal_last_name(self):
        return self._clean_name("legal_last_name")

    def clean_date_of_birth(self):
        day = self.cleaned_data.get("date_of_birth")
        reject_future_day(day, _("The date of birth cannot be in the future."))
        if day and day.year < EARLIEST_BIRTH_YEAR:
            raise forms.ValidationError(_("Check the year of birth."), code="too_old")
        return day

    def clean_estimated_birth_year(self):
        year = self.cleaned_data.get("estimated_birth_year")
        if year is not None and not (EARLIEST_BIRTH_YEAR <= year <= timezone.localdate().year):
            raise forms.ValidationError(
                _("Give a birth year between %(first)s and this year.")
                % {"first": EARLIEST_BIRTH_YEAR},
                code="year_range",
            )
        return year

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        digits = re.sub(r"\D", "", phone)
        if phone and (not _PHONE_ALLOWED.match(phone) or not 7 <= len(digits) <= 15):
            raise forms.ValidationError(_("Enter a phone number of 7 to 15 digits."), code="phone")
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_of_birth") and cleaned.get("estimated_birth_year"):
            self.add_error(
                "estimated_birth_year",
                forms.ValidationError(
                    _("Give either the date of birth or an estimated birth year, not both."),
                    code="both_birth",
                ),
            )
        return cleaned

    def _post_clean(self):
        # The record is built in services.person_create/person_update; the form only
        # validates. Skip ModelForm's instance construction, which would need the
        # organization before the user picked it.
        pass

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}


class StatusChoiceField(forms.ChoiceField):
    def validate(self, value):
        # Not one of the choices either, but "Select a valid choice" would not say why.
        if value == Status.CASE_MANAGEMENT:
            raise forms.ValidationError(CASE_MANAGEMENT_BY_HAND, code="hand_off_only")
        super().validate(value)


class StatusChangeForm(TextLimitsSaid, forms.Form):
    to_status = StatusChoiceField(label=_("New status"))
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *ClosureReason.choices],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        required_for_a_choice(
            self.fields["reason"],
            when=CLOSING_REASON_WHEN,
            message=CLOSING_REASON_MISSING,
        )
        allowed = ALLOWED_TRANSITIONS.get(person.status, set())
        self.fields["to_status"].choices = [
            (value, label) for value, label in Status.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == Status.CLOSED and not cleaned.get("reason"):
            missing_for_a_choice(self, "reason")
        return cleaned


class EligibilityForm(forms.Form):
    """One row per criterion: whether it holds, when it was checked, how we know, and
    the person's own challenge if they contest it."""

    ANSWER_CHOICES = [
        ("", _("Not checked")),
        ("yes", _("Holds")),
        ("no", _("Does not hold")),
    ]

    def __init__(self, *args, checks=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {check.criterion: check for check in (checks or [])}
        today = timezone.localdate()
        self.rows = []
        for criterion in Criterion:
            check = existing.get(criterion.value)
            prefix = criterion.value
            self.fields[f"{prefix}-answer"] = forms.ChoiceField(
                label=criterion.label,
                choices=self.ANSWER_CHOICES,
                required=False,
                initial=("yes" if check.met else "no") if check else "",
            )
            self.fields[f"{prefix}-checked_on"] = forms.DateField(
                label=_("Checked on"),
                required=False,
                widget=DateInput(),
                initial=check.checked_on if check else today,
            )
            self.fields[f"{prefix}-note"] = forms.CharField(
                label=_("How we know"),
                max_length=300,
                required=False,
                initial=check.note if check else "",
            )
            self.fields[f"{prefix}-contested_note"] = forms.CharField(
                label=_("The person contests this"),
                max_length=300,
                required=False,
                initial=check.contested_note if check else "",
            )
            self.rows.append(
                {
                    "criterion": criterion,
                    "explanation": CRITERION_EXPLANATIONS[criterion],
                    "answer": self[f"{prefix}-answer"],
                    "checked_on": self[f"{prefix}-checked_on"],
                    "note": self[f"{prefix}-note"],
                    "contested_note": self[f"{prefix}-contested_note"],
                }
            )
        say_text_limits(self)

    def clean(self):
        cleaned = super().clean()
        for criterion in Criterion.values:
            answer = cleaned.get(f"{criterion}-answer")
            checked_on = cleaned.get(f"{criterion}-checked_on")
            if answer and not checked_on and f"{criterion}-checked_on" not in self.errors:
                self.add_error(f"{criterion}-checked_on", _("Give the date this was checked."))
            if checked_on and checked_on > timezone.localdate():
                self.add_error(
                    f"{criterion}-checked_on", _("The date checked cannot be in the future.")
                )
        return cleaned

    def answers(self) -> dict[str, dict | None]:
        """Criterion → answer, or None for 'not checked' (which clears an entry)."""
        result: dict[str, dict | None] = {}
        for criterion in Criterion.values:
            answer = self.cleaned_data.get(f"{criterion}-answer")
            if not answer:
                result[criterion] = None
                continue
            result[criterion] = {
                "met": answer == "yes",
                "checked_on": self.cleaned_data[f"{criterion}-checked_on"],
                "note": self.cleaned_data.get(f"{criterion}-note", "").strip(),
                "contested_note": self.cleaned_data.get(f"{criterion}-contested_note", "").strip(),
            }
        return result


class ConsentForm(forms.ModelForm):
    recipient = forms.ModelChoiceField(
        label=_("Organization to share with"),
        queryset=Organization.objects.none(),
        required=False,
    )
    scope = forms.MultipleChoiceField(
        label=_("Information to share, besides name and preferred language"),
        choices=ShareScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Consent
        fields = ["kind", "recipient", "scope", "method", "given_on", "expires_on"]
        widgets = {"given_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["recipient"].queryset = Organization.objects.exclude(
            pk=person.organization_id
        ).exclude(kind=Organization.Kind.CONVENER)
        for name in ("kind", "recipient", "method"):
            choose_first(self.fields[name])
        required_for_a_choice(
            self.fields["recipient"],
            when=CONSENT_RECIPIENT_WHEN,
            message=CONSENT_RECIPIENT_MISSING,
        )
        self.fields["given_on"].initial = timezone.localdate()

    def clean_given_on(self):
        day = self.cleaned_data.get("given_on")
        reject_future_day(day, _("Consent cannot be dated in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ConsentKind.SHARE and not cleaned.get("recipient"):
            missing_for_a_choice(self, "recipient")
        if kind != ConsentKind.SHARE:
            cleaned["recipient"] = None
            cleaned["scope"] = []
        given_on, expires_on = cleaned.get("given_on"), cleaned.get("expires_on")
        if given_on and expires_on and expires_on < given_on:
            self.add_error("expires_on", CONSENT_EXPIRES_BEFORE_GIVEN)
        return cleaned

    def _post_clean(self):
        pass

    def consent_fields(self) -> dict:
        """What services.consent_record takes, from the valid form."""
        fields = ("kind", "method", "given_on", "expires_on", "recipient", "scope")
        return {field: self.cleaned_data.get(field) for field in fields}


class ConsentRevokeForm(TextLimitsSaid, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
