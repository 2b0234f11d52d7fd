from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peacehub.accounts.models import User
from peacehub.accounts.roles import ROLE_PERMISSIONS, Role
from peacehub.dates import reject_before, reject_future_day
from peacehub.people.forms import (
    DateInput,
    ParticipantField,
    TextLimitsSaid,
    choose_first,
    missing_for_a_choice,
    required_for_a_choice,
    say_text_limits,
)
from peacehub.people.models import Language, Person
from peacehub.programs.access import program_permission
from peacehub.programs.models import (
    NOTE_MAX,
    SAFETY_PLAN_MAX,
    Enrollment,
    EnrollmentStatus,
    ExitReason,
    Industry,
    MatterOutcome,
    MatterStatus,
    MatterType,
    MilestoneKind,
    Program,
    SessionFormat,
)
from peacehub.programs.services import (
    CLOSED_ON_REQUIRED,
    EMPLOYER_REQUIRED,
    EXIT_REASON_REQUIRED,
    INDUSTRY_REQUIRED,
    OUTCOME_REQUIRED,
    VOLUNTARY_REQUIRED,
    ipv_refusal,
    milestone_problems,
)


def note_field(label, max_length=NOTE_MAX, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def reject_future(form: forms.Form, field: str, message) -> None:
    """The services' rule, checked in the form too, so that a person sees every problem
    at once."""
    try:
        reject_future_day(form.cleaned_data.get(field), message)
    except ValidationError as error:
        form.add_error(field, error)


def reject_too_old(form: forms.Form, field: str) -> None:
    """The services' rule for a date before the coalition kept records, in the form."""
    try:
        reject_before(form.cleaned_data.get(field))
    except ValidationError as error:
        form.add_error(field, error)


class EnrollmentForm(forms.Form):
    person = ParticipantField(people=Person.objects.none())
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DateInput())
    # Filled in when the enrollment answers a referral (from the referrals app).
    referral_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    voluntary_confirmed = forms.BooleanField(
        label=_(
            "The person chose to take part: participation is voluntary, not ordered by a "
            "court, probation or parole."
        ),
        required=True,
        error_messages={"required": VOLUNTARY_REQUIRED},
    )

    def __init__(self, *args, program: str, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["person"].queryset = people.select_related("community_area")
        self.fields["enrolled_on"].initial = timezone.localdate()
        if program != Program.IPV:
            del self.fields["voluntary_confirmed"]

    def clean(self):
        cleaned = super().clean()
        reject_future(self, "enrolled_on", _("An enrollment cannot start in the future."))
        reject_too_old(self, "enrolled_on")
        person = cleaned.get("person")
        if person is None:
            return cleaned
        if self.program == Program.IPV:
            refusal = ipv_refusal(person)
            if refusal:
                self.add_error("person", refusal)
        if Enrollment.objects.filter(
            person=person, program=self.program, status=EnrollmentStatus.ACTIVE
        ).exists():
            self.add_error("person", _("This participant is already enrolled in this program."))
        return cleaned


class FinishForm(TextLimitsSaid, forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (EnrollmentStatus.COMPLETED.value, _("Completed the program")),
            (EnrollmentStatus.EXITED.value, _("Left before completing")),
        ],
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label=_("On"), widget=DateInput())
    exit_reason = forms.ChoiceField(
        label=_("Reason for leaving"), choices=[("", "—"), *ExitReason.choices], required=False
    )
    exit_note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        self.fields["ended_on"].initial = timezone.localdate()
        required_for_a_choice(
            self.fields["exit_reason"],
            when=_("Required when the person left before completing."),
            message=EXIT_REASON_REQUIRED,
        )

    def clean(self):
        cleaned = super().clean()
        reject_future(self, "ended_on", _("The end date cannot be in the future."))
        ended_on = cleaned.get("ended_on")
        if ended_on and ended_on < self.enrollment.enrolled_on:
            self.add_error("ended_on", _("The enrollment cannot end before it started."))
        if cleaned.get("status") == EnrollmentStatus.EXITED and not cleaned.get("exit_reason"):
            missing_for_a_choice(self, "exit_reason")
        return cleaned


class MilestoneForm(TextLimitsSaid, forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    achieved_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_("For a job placement: the first day on the job."),
    )
    industry = forms.ChoiceField(
        label=_("Industry (skill training)"),
        choices=[("", "—"), *Industry.choices],
        required=False,
    )
    employer = forms.CharField(label=_("Employer (job placement)"), max_length=200, required=False)

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        choose_first(self.fields["kind"])
        self.fields["achieved_on"].initial = timezone.localdate()
        required_for_a_choice(
            self.fields["industry"],
            when=_("Required when the milestone is a skill training."),
            message=INDUSTRY_REQUIRED,
        )
        required_for_a_choice(
            self.fields["employer"],
            when=_("Required when the milestone is a job placement."),
            message=EMPLOYER_REQUIRED,
        )

    def clean(self):
        cleaned = super().clean()
        if "kind" in self.errors or "achieved_on" in self.errors:
            return cleaned
        existing = list(self.enrollment.milestones.all())
        for field, message in milestone_problems(self.enrollment, cleaned, existing).items():
            if message == self.fields[field].error_messages.get("required_for_a_choice"):
                # Left empty, or refused already (an unknown industry, a name too long):
                # one message, naming the kind it is required for.
                if field not in self.errors:
                    missing_for_a_choice(self, field)
            else:
                self.add_error(field, message)
        return cleaned


class MatterForm(TextLimitsSaid, forms.Form):
    matter_type = forms.ChoiceField(label=_("Type of matter"), choices=MatterType.choices)
    # "Abierto el" in Spanish (el asunto): a mediation's "Opened on" is "Abierta el".
    opened_on = forms.DateField(
        label=pgettext_lazy("legal matter", "Opened on"), widget=DateInput()
    )
    notes = note_field(_("Legal notes"), help_text=_("Read by legal staff only."))

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        choose_first(self.fields["matter_type"])
        self.fields["opened_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        reject_future(self, "opened_on", _("A matter cannot be opened in the future."))
        opened_on = cleaned.get("opened_on")
        if opened_on and opened_on < self.enrollment.enrolled_on:
            self.add_error("opened_on", _("A matter cannot be opened before the enrollment."))
        return cleaned


class MatterUpdateForm(TextLimitsSaid, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MatterStatus.choices)
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *MatterOutcome.choices], required=False
    )
    outcome_note = forms.CharField(
        label=_("Outcome in words"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = note_field(_("Legal notes"), help_text=_("Read by legal staff only."))

    def __init__(self, *args, matter, **kwargs):
        kwargs.setdefault("prefix", f"matter-{matter.pk}")
        kwargs.setdefault(
            "initial",
            {
                "status": matter.status,
                "closed_on": matter.closed_on,
                "outcome": matter.outcome,
                "outcome_note": matter.outcome_note,
                "notes": matter.notes,
            },
        )
        super().__init__(*args, **kwargs)
        self.matter = matter
        when_closing = _("Required when closing the matter.")
        required_for_a_choice(
            self.fields["closed_on"], when=when_closing, message=CLOSED_ON_REQUIRED
        )
        required_for_a_choice(self.fields["outcome"], when=when_closing, message=OUTCOME_REQUIRED)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != MatterStatus.CLOSED:
            return cleaned
        closed_on = cleaned.get("closed_on")
        if closed_on is None and "closed_on" not in self.errors:
            missing_for_a_choice(self, "closed_on")
        if not cleaned.get("outcome"):
            missing_for_a_choice(self, "outcome")
        reject_future(self, "closed_on", _("A matter cannot close in the future."))
        if closed_on and closed_on < self.matter.opened_on:
            self.add_error("closed_on", _("A matter cannot close before it was opened."))
        return cleaned


def program_staff(enrollment: Enrollment):
    """Active members of the enrollment's organization whose role is the program's."""
    permission = program_permission(enrollment.program)
    roles = [role for role in Role if permission in ROLE_PERMISSIONS[role]]
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization_id=enrollment.organization_id,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("full_name")
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    format = forms.ChoiceField(label=_("Format"), choices=SessionFormat.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=8 * 60)
    staff = forms.ModelChoiceField(
        label=_("Clinician"), queryset=User.objects.none(), empty_label=None
    )
    note = note_field(_("Session note"))

    def __init__(self, *args, enrollment: Enrollment, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["language"].initial = enrollment.person.preferred_language
        self.fields["staff"].queryset = program_staff(enrollment)
        self.fields["staff"].label_from_instance = lambda u: u.full_name
        self.fields["staff"].initial = user.pk
        self.fields["staff"].error_messages["invalid_choice"] = _(
            "Choose a member of the program's staff."
        )
        if enrollment.program == Program.IPV:
            self.fields["staff"].label = _("Facilitator")
            self.fields["format"].choices = [
                c for c in SessionFormat.choices if c[0] != SessionFormat.FAMILY
            ]
            self.fields["format"].initial = SessionFormat.GROUP
            self.fields["note"].help_text = _(
                "Read by IPV staff only. Record the participant's work, never the "
                "survivor's name, address or whereabouts."
            )
        else:
            self.fields["format"].initial = SessionFormat.INDIVIDUAL
            self.fields["note"].help_text = _("Read by behavioral health clinicians only.")
        say_text_limits(self)

    def clean(self):
        cleaned = super().clean()
        reject_future(self, "held_on", _("A session cannot be in the future."))
        held_on = cleaned.get("held_on")
        if held_on and held_on < self.enrollment.enrolled_on:
            self.add_error("held_on", _("A session cannot come before the enrollment."))
        return cleaned


SAFETY_PLAN_GUIDANCE = _(
    "Read and written by IPV staff only. Record only what safety requires: warning "
    "signs, the steps the participant agreed to take, no-contact orders to respect, "
    "whether firearms are out of reach. Never the survivor's name, address, workplace "
    "or whereabouts."
)


class SafetyPlanForm(TextLimitsSaid, forms.Form):
    safety_plan = forms.CharField(
        label=_("Safety plan"),
        max_length=SAFETY_PLAN_MAX,
        required=False,
        help_text=SAFETY_PLAN_GUIDANCE,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
