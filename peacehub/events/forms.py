import datetime

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from peacehub.accounts.models import Organization
from peacehub.events.models import (
    AGE_BANDS,
    SERVICE_COUNT_FIELDS,
    WEEKDAY_CHOICES,
    Attendance,
    EventKind,
    Place,
    PlaceKind,
    ServiceKind,
)
from peacehub.events.places import area_containing
from peacehub.events.recurrence import (
    LATEST_NEXT_MORNING_END,
    MAX_SERIES_DAYS,
    ends_next_morning,
    rule_dates,
)
from peacehub.geo.models import CommunityArea
from peacehub.outreach.forms import DateTimeInput
from peacehub.people.forms import CommunityAreaChoiceField, DateInput

COUNT_MAX = 10_000


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PlaceChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Choose a place from the list.")}

    def label_from_instance(self, place):
        if place.community_area_id:
            return f"{place.name} · {place.community_area.name}"
        return place.name


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("The public address of the place, for visitors to find it."),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        help_text=_("In decimal degrees, for example 41.7797."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        help_text=_("In decimal degrees, for example -87.6440 (negative: west)."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    community_area = CommunityAreaChoiceField(
        required=False, empty_label=_("Find it from the coordinates")
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the place a name."))
        return name

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if latitude is None or longitude is None:
            return cleaned
        found = area_containing(latitude, longitude)
        if found is None:
            self.add_error(
                "latitude",
                _(
                    "These coordinates are outside the city. Check the latitude and the "
                    "longitude (for example 41.7797 and -87.6440)."
                ),
            )
            return cleaned
        chosen = cleaned.get("community_area")
        if chosen is not None and chosen.pk != found.pk:
            self.add_error(
                "community_area",
                _("These coordinates are in %(found)s, not in %(chosen)s.")
                % {"found": found.name, "chosen": chosen.name},
            )
        cleaned["community_area"] = found
        return cleaned


def host_choices(own: list[Organization]):
    """The user's own organizations, and partner organizations as co-hosts."""
    return Organization.objects.filter(
        Q(pk__in=[o.pk for o in own]) | Q(kind=Organization.Kind.PARTNER)
    ).order_by("name")


class EventDetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    place = PlaceChoiceField(
        label=_("Place"),
        queryset=Place.objects.select_related("community_area").order_by("name"),
        empty_label="—",
    )
    hosts = forms.ModelMultipleChoiceField(
        label=_("Host organizations"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one host organization.")},
    )
    food_served = forms.BooleanField(label=_("Food served"), required=False)
    food_description = forms.CharField(
        label=_("What food"),
        max_length=200,
        required=False,
        help_text=_("For example “Grilled chicken, hot dogs and fruit”."),
    )
    activities = forms.CharField(
        label=_("Activities"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example “Basketball tournament, DJ, face painting for the kids”."),
    )
    services = forms.MultipleChoiceField(
        label=_("Services on site"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("Public: listed on the public calendar"), required=False, initial=True
    )

    def __init__(self, *args, own_organizations: list[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        self.own_organizations = own_organizations
        self.fields["hosts"].queryset = host_choices(own_organizations)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the event a title."))
        return title

    def clean_hosts(self):
        hosts = self.cleaned_data["hosts"]
        own = {o.pk for o in self.own_organizations}
        if not any(h.pk in own for h in hosts):
            raise forms.ValidationError(_("Include your own organization among the hosts."))
        return hosts

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("food_served"):
            cleaned["food_description"] = ""
        return cleaned


class EventForm(EventDetailsForm):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())

    field_order = ["title", "kind", "place", "starts_at", "ends_at"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error(
                "ends_at",
                _("The event ends before it starts. Check the end date and time."),
            )
        return cleaned


class SeriesForm(EventDetailsForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Nights of the week"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one night of the week.")},
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=TimeInput(),
        help_text=_("A night may run past midnight, until 4:00 at the latest."),
    )
    first_date = forms.DateField(label=_("First night"), widget=DateInput())
    last_date = forms.DateField(label=_("Last night"), widget=DateInput())

    field_order = [
        "title",
        "kind",
        "place",
        "weekdays",
        "start_time",
        "end_time",
        "first_date",
        "last_date",
    ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start is not None and end is not None:
            if start == end:
                self.add_error("end_time", _("The night ends when it starts."))
            elif ends_next_morning(start, end) and end > LATEST_NEXT_MORNING_END:
                self.add_error(
                    "end_time",
                    _("The night ends before it starts. Check the end time."),
                )
        first, last = cleaned.get("first_date"), cleaned.get("last_date")
        if first is None or last is None:
            return cleaned
        if first > last:
            self.add_error("last_date", _("The last night is before the first. Check the dates."))
            return cleaned
        if (last - first).days >= MAX_SERIES_DAYS:
            self.add_error("last_date", _("A series can run for one year at most."))
            return cleaned
        weekdays = cleaned.get("weekdays")
        if weekdays and not rule_dates(weekdays=weekdays, first_date=first, last_date=last):
            self.add_error(
                "weekdays",
                _(
                    "None of the chosen nights falls between %(first)s and %(last)s: the "
                    "series would have no nights."
                )
                % {
                    "first": date_format(first, "SHORT_DATE_FORMAT"),
                    "last": date_format(last, "SHORT_DATE_FORMAT"),
                },
            )
        return cleaned


class CancelForm(forms.Form):
    notice = forms.CharField(
        label=_("Public notice"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown on the public calendar, for example “Cancelled because of the storm "
            "warning. See you on Friday.”"
        ),
        error_messages={"required": _("Write the notice the public will read.")},
    )

    def clean_notice(self):
        notice = self.cleaned_data["notice"].strip()
        if not notice:
            raise forms.ValidationError(_("Write the notice the public will read."))
        return notice


def _count_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=COUNT_MAX,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("A count cannot be below zero."),
            "max_value": _("Check this count: it is over %(limit_value)s."),
            "invalid": _("Enter a whole number."),
        },
    )


class AttendanceForm(forms.Form):
    """Head counts only: there is nowhere to write a name."""

    def __init__(self, *args, attendance: Attendance | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in AGE_BANDS:
            self.fields[name] = _count_field(label)
        self.fields["meals_served"] = _count_field(_("Meals served"))
        for _kind, name in SERVICE_COUNT_FIELDS:
            self.fields[name] = _count_field(Attendance._meta.get_field(name).verbose_name)
        for name in self.fields:
            self.fields[name].initial = getattr(attendance, name) if attendance else 0

    def age_fields(self):
        return [self[name] for name, _label in AGE_BANDS]

    def service_fields(self):
        return [self[name] for _kind, name in SERVICE_COUNT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if name not in self.errors and cleaned.get(name) is None:
                cleaned[name] = 0
        return cleaned


class NearForm(forms.Form):
    """Where the visitor is: a community area, or the browser's location (rounded
    before it leaves the phone; see static/js/events.js)."""

    # By number, as people know their area and as the other public pages link to it.
    area = CommunityAreaChoiceField(
        queryset=CommunityArea.objects.defer("boundary").order_by("name"),
        required=False,
        empty_label="—",
        to_field_name="number",
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)

    def point(self) -> tuple[float, float] | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lon") is not None:
            return data["lat"], data["lon"]
        area = data.get("area")
        if area is not None and area.centroid_latitude is not None:
            return area.centroid_latitude, area.centroid_longitude
        return None


def month_start(value: str, today: datetime.date) -> datetime.date:
    """'2025-07' -> 1 July 2025; anything else -> this month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)
