from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peacehub.accounts.models import Membership
from peacehub.accounts.roles import Role
from peacehub.cases.assessment import localized
from peacehub.cases.models import (
    Goal,
    GoalStatus,
    Intake,
    NoteType,
    PreReleaseContact,
    ReentryPlan,
    ReentryService,
)
from peacehub.cases.services import (
    ASSESSMENT_BEFORE_OPENING,
    CASE_OPENED_IN_THE_FUTURE,
    DAY_AFTER_RELEASE,
    INTAKE_BEFORE_OPENING,
    reject_before_opening,
    reject_implausible_target,
)
from peacehub.dates import reject_before, reject_future_day
from peacehub.people.forms import CHOOSE, DateInput, TextLimitsSaid, choose_first, say_text_limits

TEXT_MAX = 2000


def text_field(label, required=True, max_length=TEXT_MAX, rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CaseOpenForm(forms.Form):
    case_manager = forms.ModelChoiceField(
        label=_("Case manager"), queryset=Membership.objects.none(), empty_label=None
    )
    # An older paper record entered now keeps the day its case was opened, so that its
    # intake and assessments can come after it.
    opened_on = forms.DateField(
        # "Abierto el" in Spanish: a mediation's "Opened on" is "Abierta el".
        label=pgettext_lazy("case", "Opened on"),
        widget=DateInput(),
        required=False,
        initial=timezone.localdate,
        help_text=_("Today, unless you are entering an older paper record."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["case_manager"]
        field.queryset = (
            Membership.objects.filter(
                organization=organization, role=Role.CASE_MANAGER, user__is_active=True
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        field.label_from_instance = lambda m: m.user.full_name
        field.error_messages["invalid_choice"] = _(
            "Choose a case manager of the participant's organization."
        )

    def clean_opened_on(self):
        day = self.cleaned_data["opened_on"] or timezone.localdate()
        reject_future_day(day, CASE_OPENED_IN_THE_FUTURE)
        reject_before(day)
        return day


class CaseCloseForm(TextLimitsSaid, forms.Form):
    reason = forms.CharField(label=_("Why the case closes"), max_length=300)


class IntakeForm(TextLimitsSaid, forms.ModelForm):
    reasons = text_field(_("What the person wants help with"))
    safety_note = text_field(_("Safety note"), required=False, rows=2)

    class Meta:
        model = Intake
        fields = ["intake_on", "referred_by", "reasons", "immediate_safety_concern", "safety_note"]
        widgets = {"intake_on": DateInput()}

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_by"].choices = [("", CHOOSE), *Intake.referred_by.field.choices]
        self.case = case

    def clean_intake_on(self):
        day = self.cleaned_data["intake_on"]
        reject_future_day(day, _("The intake date cannot be in the future."))
        if self.case is not None:
            reject_before_opening(self.case, day, INTAKE_BEFORE_OPENING)
        reject_before(day)
        return day

    def _post_clean(self):
        pass


class AssessmentForm(forms.Form):
    """One rating (1 to 5) and an optional note per domain of the template version."""

    RATINGS = [(n, str(n)) for n in range(1, 6)]

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())

    def __init__(self, *args, template, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.case = case
        self.fields["assessed_on"].initial = timezone.localdate()
        for domain in template.domains:
            key = domain["key"]
            self.fields[f"{key}-rating"] = forms.TypedChoiceField(
                label=localized(domain, "label"),
                choices=self.RATINGS,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=localized(domain, "question"),
            )
            self.fields[f"{key}-note"] = forms.CharField(
                label=_("Note"), max_length=500, required=False
            )
        # Before the rows: a bound field keeps the help text it was made with.
        say_text_limits(self)
        self.rows = [(self[f"{key}-rating"], self[f"{key}-note"]) for key in template.domain_keys()]

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        reject_future_day(day, _("An assessment cannot be dated in the future."))
        if self.case is not None:
            reject_before_opening(self.case, day, ASSESSMENT_BEFORE_OPENING)
        reject_before(day)
        return day

    def ratings(self) -> dict[str, tuple[int, str]]:
        return {
            key: (self.cleaned_data[f"{key}-rating"], self.cleaned_data[f"{key}-note"].strip())
            for key in self.template.domain_keys()
        }


class GoalForm(TextLimitsSaid, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["domain", "description", "target_date"]
        widgets = {"target_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_first(self.fields["domain"])

    def clean_target_date(self):
        day = self.cleaned_data["target_date"]
        reject_implausible_target(day)
        return day

    def _post_clean(self):
        pass


class GoalProgressForm(TextLimitsSaid, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    note = text_field(_("Progress note"), required=False, max_length=1000, rows=2)


class NoteForm(TextLimitsSaid, forms.Form):
    note_type = forms.ChoiceField(label=_("Type"))
    written_on = forms.DateField(label=_("Date"), widget=DateInput())
    text = text_field(_("Note"))

    def __init__(self, *args, note_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note_type"].choices = [
            (value, label) for value, label in NoteType.choices if value in note_types
        ]
        self.fields["note_type"].error_messages["invalid_choice"] = _(
            "Your role cannot write this type of note."
        )
        self.fields["written_on"].initial = timezone.localdate()

    def clean_written_on(self):
        day = self.cleaned_data["written_on"]
        reject_future_day(day, _("A note cannot be dated in the future."))
        return day


class ReentryPlanForm(TextLimitsSaid, forms.ModelForm):
    reunification_plan = text_field(
        _("Reunification plan with family and community"), required=False
    )

    class Meta:
        model = ReentryPlan
        fields = ["facility", "expected_release_on", "released_on", "reunification_plan"]
        widgets = {"expected_release_on": DateInput(), "released_on": DateInput()}

    def clean_expected_release_on(self):
        day = self.cleaned_data["expected_release_on"]
        reject_before(day)
        return day

    def clean_released_on(self):
        day = self.cleaned_data.get("released_on")
        reject_future_day(day, _("A release date cannot be in the future."))
        reject_before(day)
        return day

    def _post_clean(self):
        pass


class PreReleaseContactForm(TextLimitsSaid, forms.ModelForm):
    note = text_field(_("Note"), required=False, max_length=1000, rows=2)

    class Meta:
        model = PreReleaseContact
        fields = ["contacted_on", "kind", "note"]
        widgets = {"contacted_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_first(self.fields["kind"])

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        reject_future_day(day, _("A contact cannot be in the future."))
        reject_before(day)
        return day

    def _post_clean(self):
        pass


class ReentryServiceForm(TextLimitsSaid, forms.ModelForm):
    # One rule, said the same way as help and as error, whatever the number typed (the
    # model's field alone answered 0, -1 and 40000 with three other messages).
    day_after_release = forms.IntegerField(
        label=capfirst(ReentryService._meta.get_field("day_after_release").verbose_name),
        min_value=1,
        max_value=90,
        help_text=_("From 1, the first day home, to 90."),
        error_messages={"min_value": DAY_AFTER_RELEASE, "max_value": DAY_AFTER_RELEASE},
    )

    class Meta:
        model = ReentryService
        fields = ["domain", "description", "day_after_release", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose_first(self.fields["domain"])

    def _post_clean(self):
        pass


class ReentryServiceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReentryService.Status.choices)
