import re
import time
from decimal import Decimal

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peacehub.academy import services
from peacehub.academy.access import public_cohorts
from peacehub.academy.models import (
    OUTSIDE_CATEGORIES,
    Cohort,
    Course,
    Enrollment,
    Language,
    Session,
)
from peacehub.people.forms import DateInput

_PHONE_ALLOWED = re.compile(r"^[0-9 +().\-]*$")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def clean_phone_number(value: str) -> str:
    phone = (value or "").strip()
    digits = re.sub(r"\D", "", phone)
    if phone and (not _PHONE_ALLOWED.match(phone) or not 7 <= len(digits) <= 15):
        raise forms.ValidationError(_("Enter a phone number of 7 to 15 digits."), code="phone")
    return phone


def hours_field(label, required=True, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        **kwargs,
    )


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = list(services.COURSE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_es": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            # The catalogue finds its courses by this key; it never changes.
            self.fields["slug"].disabled = True

    def clean_required_hours(self):
        hours = self.cleaned_data["required_hours"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError(_("A course requires more than 0 hours."))
        return hours


class CohortForm(forms.Form):
    organization = forms.ChoiceField(label=_("Organization running it"))
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.filter(is_active=True), empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A public venue, e.g. “Park fieldhouse, Englewood”. Shown to the public."),
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    open_to_public = forms.BooleanField(
        label=_("Open to public interest: listed on the public trainings page"), required=False
    )

    def __init__(self, *args, organizations, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {str(o.pk): o for o in organizations}
        self.fields["organization"].choices = [(k, o.name) for k, o in self.organizations.items()]
        if len(organizations) == 1:
            self.fields["organization"].required = False
            self.fields["organization"].widget = forms.HiddenInput()
            self.fields["organization"].initial = str(organizations[0].pk)
        self.fields["trainers"].queryset = trainers
        self.fields["trainers"].label_from_instance = lambda user: user.full_name

    def clean_organization(self):
        key = self.cleaned_data.get("organization") or next(iter(self.organizations), "")
        if key not in self.organizations:
            raise forms.ValidationError(_("Choose an organization from the list."))
        return self.organizations[key]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A cohort cannot end before it starts."))
        return cleaned


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    hours = hours_field(_("Hours"))
    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TimeInput())
    ends_at = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput())
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, cohort: Cohort, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].label_from_instance = lambda user: user.full_name

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours < 0:
            raise forms.ValidationError(_("Hours cannot be negative."))
        if hours == 0:
            raise forms.ValidationError(_("A session lasts more than 0 hours."))
        if hours > 24:
            raise forms.ValidationError(_("A session cannot be longer than a day (24 hours)."))
        return hours

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                services.session_check(cohort=self.cohort, data=cleaned)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class StaffEnrollForm(forms.Form):
    email = forms.EmailField(
        label=_("Staff member's email address"),
        help_text=_("Their PeaceHub sign-in address. No role or access changes."),
    )


class OutsideTraineeForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    category = forms.ChoiceField(
        label=_("Who the trainee is"),
        choices=[(c.value, c.label) for c in OUTSIDE_CATEGORIES],
        widget=forms.RadioSelect,
    )
    agency = forms.CharField(
        label=_("Organization, agency or district"), max_length=150, required=False
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.ENGLISH
    )
    give_sign_in = forms.BooleanField(
        label=_("Send a sign-in that opens their own training record, and nothing else"),
        required=False,
    )

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("give_sign_in") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("A sign-in needs the trainee's email address."))
        return cleaned


class AttendanceForm(forms.Form):
    """One row per enrolled trainee: present or not, and the hours credited (empty for
    the whole session)."""

    def __init__(self, *args, session: Session, enrollments: list[Enrollment], **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.enrollments = enrollments
        recorded = {a.enrollment_id: a for a in session.attendances.all()}
        for enrollment in enrollments:
            key = enrollment.pk.hex
            attendance = recorded.get(enrollment.pk)
            self.fields[f"present-{key}"] = forms.BooleanField(
                label=_("Present"),
                required=False,
                initial=attendance.present if attendance else False,
            )
            self.fields[f"hours-{key}"] = hours_field(
                _("Hours credited"),
                required=False,
                initial=(
                    attendance.hours_credited.normalize()
                    if attendance and attendance.present
                    else None
                ),
            )
            self.fields[f"hours-{key}"].widget.attrs["placeholder"] = (
                f"{session.hours.normalize():f}"
            )

    def rows(self):
        for enrollment in self.enrollments:
            key = enrollment.pk.hex
            yield enrollment, self[f"present-{key}"], self[f"hours-{key}"]

    def clean(self):
        cleaned = super().clean()
        limit = self.session.hours
        for enrollment in self.enrollments:
            key = enrollment.pk.hex
            hours = cleaned.get(f"hours-{key}")
            if hours is None:
                continue
            if hours < 0:
                self.add_error(f"hours-{key}", _("Hours cannot be negative."))
            elif hours > limit:
                self.add_error(
                    f"hours-{key}",
                    _("No more than the session's %(hours)s hours.")
                    % {"hours": f"{limit.normalize():f}"},
                )
        return cleaned

    def marks(self) -> list[tuple[Enrollment, bool, Decimal | None]]:
        return [
            (
                enrollment,
                self.cleaned_data[f"present-{enrollment.pk.hex}"],
                self.cleaned_data[f"hours-{enrollment.pk.hex}"],
            )
            for enrollment in self.enrollments
        ]


# --- The public interest form ----------------------------------------------------------

_INTEREST_SALT = "peacehub.academy.interest-form"


def interest_form_token(at: float | None = None) -> str:
    """A signed note of when the form was shown: a bot posting at once, or replaying an
    old page, is refused."""
    return signing.dumps(at if at is not None else time.time(), salt=_INTEREST_SALT)


class SpamSuspected(Exception):
    pass


class TrainingChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            # A malformed id says no more than an unknown one.
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


class InterestForm(forms.Form):
    cohort = TrainingChoiceField(
        label=_("Which training"), queryset=Cohort.objects.none(), empty_label="—"
    )
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A field people never see (it is hidden by the style sheet and from screen readers)
    # and bots fill in.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = public_cohorts()
        self.fields["cohort"].label_from_instance = self._cohort_label
        self.fields["preferred_language"].initial = (
            "es" if (get_language() or "").startswith("es") else "en"
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    @staticmethod
    def _cohort_label(cohort: Cohort) -> str:
        starts_on = date_format(cohort.starts_on, "SHORT_DATE_FORMAT")
        return f"{cohort.course.title} — {cohort.name} ({starts_on})"

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        if self.errors.keys() <= {"__all__"} and not (cleaned.get("email") or cleaned.get("phone")):
            self.add_error("email", _("Give an email address or a phone number, so we can reply."))
        return cleaned

    def check_not_spam(self, now: float | None = None) -> None:
        """Raise SpamSuspected with a message for the sender when the post looks made
        by a program: the hidden field filled in, or a form sent implausibly soon after
        it was shown, more than a day after, or with a token that is not ours."""
        now = time.time() if now is None else now
        if self.data.get("website"):
            raise SpamSuspected(_("We could not accept this form. Please try again."))
        try:
            shown_at = float(signing.loads(self.data.get("started", ""), salt=_INTEREST_SALT))
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise SpamSuspected(_("We could not accept this form. Please try again.")) from error
        if now - shown_at > services.INTEREST_MAX_SECONDS:
            raise SpamSuspected(
                _("This form was open for more than a day. Please check it and send it again.")
            )
        if now - shown_at < services.INTEREST_MIN_SECONDS:
            raise SpamSuspected(
                _("That was faster than a person can fill in this form. Please send it again.")
            )
