from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peacehub.accounts.models import Membership
from peacehub.accounts.roles import Role
from peacehub.dates import (
    reject_after,
    reject_before,
    reject_future_day,
    reject_future_moment,
    years_ahead,
)
from peacehub.outreach.models import (
    Agreement,
    AgreementKind,
    AgreementState,
    ContactType,
    DutyShift,
    IncidentKind,
    IncidentRelation,
    IncidentSource,
    NonParticipant,
    ResponseActionKind,
    Topic,
)
from peacehub.outreach.places import (
    BLOCK_REFUSED,
    SUMMARY_REFUSED,
    is_block_level,
    names_a_house,
)
from peacehub.outreach.services import (
    PARTY_BOTH,
    PARTY_MISSING,
    RETURN_REASON_MISSING,
    REVIEW_TOO_FAR,
    REVIEW_YEARS_AHEAD,
)
from peacehub.people.forms import (
    CHOOSE,
    CommunityAreaChoiceField,
    DateInput,
    ParticipantField,
    TextLimitsSaid,
    choose_first,
    say_text_limits,  # noqa: F401 (cases, programs and referrals take it from here)
)
from peacehub.people.models import Person

NOTE_MAX = 1000
CONTACT_NOTE_MAX = 500


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def clean_review_day(day):
    """A review date within REVIEW_YEARS_AHEAD: further is a slip of the year."""
    reject_after(
        day, years_ahead(REVIEW_YEARS_AHEAD), REVIEW_TOO_FAR % {"years": REVIEW_YEARS_AHEAD}
    )
    return day


def note_field(label=None, required=False, max_length=NOTE_MAX):
    return forms.CharField(
        label=label or _("Note"),
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactForm(TextLimitsSaid, forms.Form):
    person = ParticipantField(people=Person.objects.none(), required=False)
    non_participant = forms.ChoiceField(
        label=_("Or with someone who is not a participant"),
        choices=[("", "—"), *NonParticipant.choices],
        required=False,
    )
    contact_type = forms.ChoiceField(
        label=_("Type"), choices=ContactType.choices, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    community_area = CommunityAreaChoiceField(empty_label=None)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60, required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = note_field(max_length=CONTACT_NOTE_MAX)
    follow_up_by = forms.DateField(label=_("Follow up by"), widget=DateInput(), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_occurred_at(self):
        moment = self.cleaned_data["occurred_at"]
        reject_future_moment(moment, _("A contact cannot be in the future."))
        reject_before(moment)
        return moment

    def clean_follow_up_by(self):
        day = self.cleaned_data.get("follow_up_by")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("A follow-up date cannot be in the past."))
        reject_after(day, years_ahead(1), _("A follow-up date cannot be more than a year ahead."))
        return day

    def clean(self):
        cleaned = super().clean()
        person, other = cleaned.get("person"), cleaned.get("non_participant")
        if "person" in self.errors:
            return cleaned
        if person and other:
            self.add_error(
                "non_participant",
                _("Choose the participant or say who else it was with, not both."),
            )
        elif not person and not other:
            self.add_error(
                "person",
                _("Choose the participant, or say who it was with if not a participant."),
            )
        return cleaned


class ContactCorrectionForm(ContactForm):
    """A contact its worker corrects: everything but who it was with (the wrong person
    is what Undo is for), by the rules of logging one. ``contact`` gives the values
    shown, and the follow-up date that may have passed since and stands unchanged."""

    def __init__(self, *args, contact, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "contact_type": contact.contact_type,
                "occurred_at": contact.occurred_at,
                "community_area": contact.community_area_id,
                "minutes": contact.minutes,
                "topics": contact.topics,
                "note": contact.note,
                "follow_up_by": contact.follow_up_by,
            },
        )
        super().__init__(*args, people=Person.objects.none(), **kwargs)
        del self.fields["person"], self.fields["non_participant"]
        self.contact = contact

    def clean_follow_up_by(self):
        day = self.cleaned_data.get("follow_up_by")
        if day is not None and day == self.contact.follow_up_by:
            return day
        return super().clean_follow_up_by()

    def clean_occurred_at(self):
        moment = self.cleaned_data["occurred_at"]
        # Shown to the minute: sent back as it was, it is the time logged, whatever it is.
        logged = self.contact.occurred_at
        if moment in (logged, logged.replace(second=0, microsecond=0)):
            return self.contact.occurred_at
        return super().clean_occurred_at()

    def clean(self):
        # No person to choose: skip ContactForm's person-or-not-a-participant rule.
        return forms.Form.clean(self)


class IncidentForm(TextLimitsSaid, forms.Form):
    # No choice made in advance: one tap on "Save and alert" must not report a fatal
    # shooting to everyone on shift.
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", "—"), *IncidentKind.choices],
        error_messages={"required": _("Choose what happened.")},
    )
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    community_area = CommunityAreaChoiceField(required=True, empty_label="—")
    block = forms.CharField(
        label=_("Where, at block level"),
        max_length=120,
        required=False,
        help_text=_("A block or a corner, e.g. “6300 block of S Halsted” — never an address."),
    )
    source = forms.ChoiceField(
        label=_("How we know"),
        choices=[("", "—"), *IncidentSource.choices],
        error_messages={"required": _("Choose how we know.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("Every responding organization reads this: no names."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_occurred_at(self):
        moment = self.cleaned_data["occurred_at"]
        reject_future_moment(moment, _("An incident cannot be in the future."))
        reject_before(moment)
        return moment

    def clean_block(self):
        """Block level only (peacehub.outreach.places), so that no one's home can be
        read from an incident."""
        block = self.cleaned_data["block"].strip()
        if not is_block_level(block):
            raise forms.ValidationError(BLOCK_REFUSED)
        return block

    def clean_summary(self):
        # Read by every serving organization, the convener and the API, as the block is.
        summary = self.cleaned_data["summary"].strip()
        if names_a_house(summary):
            raise forms.ValidationError(SUMMARY_REFUSED)
        return summary


class PersonLinkForm(TextLimitsSaid, forms.Form):
    person = ParticipantField(people=Person.objects.none())
    # Nothing chosen in advance: a hurried tap must not call someone a victim's family.
    relation = forms.ChoiceField(
        label=_("Relation"), choices=[("", CHOOSE), *IncidentRelation.choices]
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class ResponseActionForm(TextLimitsSaid, forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=[("", CHOOSE), *ResponseActionKind.choices])
    note = note_field()


class ConflictForm(TextLimitsSaid, forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        help_text=_("A neutral name the team chooses, e.g. “Conflict 12 (Englewood)”."),
    )
    community_area = CommunityAreaChoiceField(required=True, empty_label="—")
    # Often recorded after the first meetings: their sessions and agreements come after.
    opened_on = forms.DateField(
        label=pgettext_lazy("mediation", "Opened on"),
        widget=DateInput(),
        required=False,
        initial=timezone.localdate,
    )

    def clean_opened_on(self):
        day = self.cleaned_data["opened_on"] or timezone.localdate()
        reject_future_day(day, _("A mediation cannot open in the future."))
        reject_before(day)
        return day


class PartyForm(TextLimitsSaid, forms.Form):
    person = ParticipantField(people=Person.objects.none(), required=False)
    group_label = forms.CharField(
        label=_("Or a neutral group label"),
        max_length=40,
        required=False,
        help_text=_("Neutral, e.g. “Group A”. Never a gang or crew name."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if "person" in self.errors:
            return cleaned
        person, group_label = cleaned.get("person"), cleaned.get("group_label", "").strip()
        if not person and not group_label:
            raise forms.ValidationError(PARTY_MISSING)
        if person and group_label:
            raise forms.ValidationError(PARTY_BOTH)
        return cleaned


class SessionForm(TextLimitsSaid, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    note = note_field()

    def clean_held_on(self):
        # A mistyped year is refused by the service as coming before the mediation
        # opened, with its day: more to go on than "check the year".
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A session cannot be in the future."))
        return day


class ConflictCloseForm(forms.Form):
    closed_on = forms.DateField(label=pgettext_lazy("mediation", "Closed on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()

    def clean_closed_on(self):
        day = self.cleaned_data["closed_on"]
        reject_future_day(day, _("A mediation cannot close in the future."))
        return day


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "made_on", "review_on"]
        widgets = {"made_on": DateInput(), "review_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", CHOOSE), *AgreementKind.choices]

    def clean_made_on(self):
        # A mistyped year: refused by the service, as for a session.
        day = self.cleaned_data["made_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("An agreement cannot be dated in the future."))
        return day

    def clean_review_on(self):
        return clean_review_day(self.cleaned_data["review_on"])

    def clean(self):
        cleaned = super().clean()
        made_on, review_on = cleaned.get("made_on"), cleaned.get("review_on")
        if made_on and review_on and review_on < made_on:
            self.add_error("review_on", _("The review cannot come before the agreement."))
        return cleaned

    def _post_clean(self):
        pass


class AgreementStateForm(TextLimitsSaid, forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=AgreementState.choices)
    changed_on = forms.DateField(label=_("Changed on"), widget=DateInput())
    review_on = forms.DateField(label=_("Next review"), widget=DateInput(), required=False)
    note = note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_on"].initial = timezone.localdate()

    def clean_review_on(self):
        return clean_review_day(self.cleaned_data["review_on"])


class IntroductionForm(TextLimitsSaid, forms.Form):
    case_manager = forms.ModelChoiceField(
        label=_("Case manager"), queryset=Membership.objects.none(), empty_label=CHOOSE
    )
    summary = note_field(label=_("Summary for the case manager"), required=True)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = (
            Membership.objects.filter(
                organization=organization, role=Role.CASE_MANAGER, user__is_active=True
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["case_manager"].label_from_instance = lambda m: m.user.full_name
        self.fields["case_manager"].error_messages["invalid_choice"] = _(
            "Choose a case manager of the participant's organization."
        )


class ReturnForm(TextLimitsSaid, forms.Form):
    reason = forms.CharField(
        label=_("Why it is returned"),
        max_length=300,
        error_messages={"required": RETURN_REASON_MISSING},
    )


class DutyShiftForm(forms.ModelForm):
    # Whose shift: one of ``responders`` (the memberships the page lists), chosen, not
    # preset to the first of the list, unless the page was opened for one (?worker=).
    membership = forms.ChoiceField(
        label=_("Worker"),
        error_messages={"invalid_choice": _("Choose a worker of your organization.")},
    )

    class Meta:
        model = DutyShift
        fields = ["weekday", "starts_at", "ends_at"]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, responders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.responders = {str(m.pk): m for m in responders}
        worker = self.fields["membership"]
        worker.choices = [(pk, m.user.full_name) for pk, m in self.responders.items()]
        choose_first(worker)
        weekdays = DutyShift._meta.get_field("weekday").choices
        self.fields["weekday"].choices = [("", CHOOSE), *weekdays]

    def clean_membership(self):
        return self.responders[self.cleaned_data["membership"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_at") and cleaned.get("starts_at") == cleaned.get("ends_at"):
            self.add_error("ends_at", _("A shift must end at another time than it starts."))
        return cleaned

    def _post_clean(self):
        pass
