"""Light in the Night and safe spaces: public places, the events partner organizations
host there (one night, or a weekly series of nights), and the head counts taken after.

Nothing here is person-level. Places are public (a park's address is public), events
are announced to the public unless marked staff-only, and attendance is counted, never
registered: no model of this app has a field for an attendee's name, and Attendance
has no free text at all, so that nobody can be written down by name even by mistake.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_USER = settings.AUTH_USER_MODEL


class PlaceKind(models.TextChoices):
    PARK = "park", _("Park")
    GYM = "gym", _("Gym")
    SCHOOL = "school", _("School")
    COMMUNITY_CENTER = "community_center", _("Community center")
    OTHER = "other", _("Other public space")


class Place(models.Model):
    """A public place where events are held: reference data, like community areas."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    community_area = models.ForeignKey(
        "geo.CommunityArea",
        verbose_name=_("community area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
    )
    # Where a loaded place came from ("chicago-park-district/1048"): loading the file
    # again updates the place instead of adding it twice. Empty for places added by hand.
    source_key = models.CharField(max_length=100, blank=True, editable=False)
    created_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values), name="place_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~models.Q(source_key=""),
                name="place_source_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    LIGHT_IN_THE_NIGHT = "light_in_the_night", _("Light in the Night")
    SAFE_SPACE = "safe_space", _("Safe space")
    GYM_NIGHT = "gym_night", _("Gym night")
    OTHER = "other", _("Community event")


class ServiceKind(models.TextChoices):
    """Services present on site. The order is the order of the attendance counts."""

    LEGAL_AID = "legal_aid", _("Legal aid")
    JOB_SIGN_UP = "job_sign_up", _("Job sign-up")
    COUNSELING = "counseling", _("Counseling")
    HEALTH_SCREENING = "health_screening", _("Health screening")
    OTHER = "other", _("Other services")


class EventDetails(models.Model):
    """What a series and each of its nights share: what, where, for whom."""

    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT)
    food_served = models.BooleanField(_("food served"), default=False)
    food_description = models.CharField(_("what food"), max_length=200, blank=True)
    activities = models.TextField(_("activities"), max_length=1000, blank=True)
    services = models.JSONField(_("services on site"), default=list, blank=True)
    # Staff-only events (a night for participants only, say) never reach a public page
    # or feed.
    is_public = models.BooleanField(_("public"), default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancellation_notice = models.CharField(_("public notice"), max_length=300, blank=True)
    # iCalendar SEQUENCE: goes up with every change a calendar app must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def service_labels(self) -> list[str]:
        return [label for value, label in ServiceKind.choices if value in (self.services or [])]


class Series(EventDetails):
    """Weekly nights: every chosen weekday from the first date to the last, from the
    start time to the end time (an end before the start is the next morning). The
    series generates its Event rows; see services.series_update for how edits work."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hosts = models.ManyToManyField(
        "accounts.Organization", verbose_name=_("host organizations"), related_name="hosted_series"
    )
    # Monday is 0, as in Python's date.weekday().
    weekdays = models.JSONField(_("nights of the week"), default=list)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    first_date = models.DateField(_("first night"))
    last_date = models.DateField(_("last night"))

    class Meta:
        ordering = ["-first_date", "title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_date__lte=models.F("last_date")),
                name="series_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(start_time=models.F("end_time")), name="series_night_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled_at__isnull=True) | ~models.Q(cancellation_notice=""),
                name="series_cancellation_has_notice",
            ),
            models.CheckConstraint(
                condition=models.Q(food_served=True) | models.Q(food_description=""),
                name="series_food_described_only_if_served",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def weekday_labels(self) -> list[str]:
        return [label for value, label in WEEKDAY_CHOICES if value in self.weekdays]


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class EventQuerySet(models.QuerySet):
    def public(self):
        """What anyone may see, signed in or not: never a staff-only event."""
        return self.filter(is_public=True)

    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self, now: datetime.datetime | None = None):
        """Not over yet: an event under way is still worth going to."""
        return self.filter(ends_at__gt=now or timezone.now())

    def in_area(self, area):
        return self.filter(place__community_area=area)


class Event(EventDetails):
    """One night: a standalone event, or one occurrence of a series."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="occurrences"
    )
    # The date of the series rule this night stands for, kept when the night is moved:
    # it is the night's RECURRENCE-ID in the calendar feed.
    recurrence_date = models.DateField(null=True, blank=True, editable=False)
    # Edited one night at a time: an edit of the whole series leaves it as it is.
    is_exception = models.BooleanField(default=False, editable=False)
    hosts = models.ManyToManyField(
        "accounts.Organization",
        verbose_name=_("host organizations"),
        related_name="hosted_events",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["is_public", "starts_at"]),
            models.Index(fields=["ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(models.Q(series__isnull=True) & models.Q(recurrence_date__isnull=True))
                | (models.Q(series__isnull=False) & models.Q(recurrence_date__isnull=False)),
                name="event_occurrence_has_its_date",
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_date"], name="one_event_per_series_night"
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled_at__isnull=True) | ~models.Q(cancellation_notice=""),
                name="event_cancellation_has_notice",
            ),
            models.CheckConstraint(
                condition=models.Q(food_served=True) | models.Q(food_description=""),
                name="event_food_described_only_if_served",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def ends_on_another_day(self) -> bool:
        return timezone.localtime(self.ends_at).date() != timezone.localtime(self.starts_at).date()


AGE_BANDS = (
    ("children", _("Children (0–12)")),
    ("teens", _("Teens (13–17)")),
    ("young_adults", _("Young adults (18–24)")),
    ("adults", _("Adults (25–64)")),
    ("seniors", _("Seniors (65 and over)")),
)
# Attendance field for each service's "connected on site" count.
SERVICE_COUNT_FIELDS = (
    (ServiceKind.LEGAL_AID, "legal_aid_connections"),
    (ServiceKind.JOB_SIGN_UP, "job_sign_ups"),
    (ServiceKind.COUNSELING, "counseling_connections"),
    (ServiceKind.HEALTH_SCREENING, "health_screenings"),
    (ServiceKind.OTHER, "other_connections"),
)


def _count(label):
    return models.PositiveIntegerField(label, default=0)


class Attendance(models.Model):
    """The head counts of one night, recorded by its hosts' staff after (or during) it.

    Counted, never registered: numbers only, no names and no free text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="attendance")
    children = _count(AGE_BANDS[0][1])
    teens = _count(AGE_BANDS[1][1])
    young_adults = _count(AGE_BANDS[2][1])
    adults = _count(AGE_BANDS[3][1])
    seniors = _count(AGE_BANDS[4][1])
    meals_served = _count(_("Meals served"))
    legal_aid_connections = _count(_("Connected to legal aid"))
    job_sign_ups = _count(_("Signed up for jobs"))
    counseling_connections = _count(_("Connected to counseling"))
    health_screenings = _count(_("Health screenings"))
    other_connections = _count(_("Connected to other services"))
    recorded_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.event}: {self.total}"

    @property
    def total(self) -> int:
        return sum(getattr(self, field) for field, _label in AGE_BANDS)

    @property
    def services_connected(self) -> int:
        return sum(getattr(self, field) for _kind, field in SERVICE_COUNT_FIELDS)


class Summer(models.Model):
    """The first Monday of a year's Summer Safety Strategy, when the coalition does not
    use the default: the Monday a week before Memorial Day, so that the Thursday to
    Sunday of Memorial Day weekend are the first week's nights (peacehub.events.summer)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    first_monday = models.DateField(_("first Monday"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("summer")
        verbose_name_plural = _("summers")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self):
        if self.first_monday and self.first_monday.weekday() != 0:
            raise ValidationError({"first_monday": _("Choose a Monday.")})
        if self.first_monday and self.year and self.first_monday.year != self.year:
            raise ValidationError({"first_monday": _("Choose a Monday of that year.")})
