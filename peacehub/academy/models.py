"""The Peace Academy: courses, cohorts, sessions, trainees, attendance hours and
completion, and the public's interest in open trainings.

Courses are reference data (the catalogue, loaded by `manage.py load_academy_catalogue`)
and belong to no organization. Everything else belongs to the organization that runs
the cohort — usually the convener — and is read through peacehub.academy.access.

A trainee is a person: coalition staff, a community member, an outreach professional
from outside the coalition or a police officer. The category is a fact recorded about
the trainee, never a role or a membership: a trainee's sign-in (when they have one) is a
User with no membership, which opens nothing but their own training record.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_USER = settings.AUTH_USER_MODEL

HOURS_IN_A_DAY = Decimal(24)


class Audience(models.TextChoices):
    """Who a course is for."""

    COALITION_STAFF = "coalition_staff", _("Coalition staff")
    OUTREACH_PROFESSIONALS = (
        "outreach_professionals",
        _("Outreach professionals outside the coalition"),
    )
    POLICE_OFFICERS = "police_officers", _("Police officers")
    COMMUNITY = "community", _("Community members")


class TraineeCategory(models.TextChoices):
    STAFF = "staff", _("Coalition staff")
    COMMUNITY_MEMBER = "community_member", _("Community member")
    OUTREACH_PROFESSIONAL = (
        "outreach_professional",
        _("Outreach professional outside the coalition"),
    )
    POLICE_OFFICER = "police_officer", _("Police officer")


OUTSIDE_CATEGORIES = [c for c in TraineeCategory if c != TraineeCategory.STAFF]


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


def _in_spanish() -> bool:
    return (get_language() or "en").startswith("es")


class Course(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The catalogue's stable key: the loader finds a course by it and never renames it.
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_es = models.CharField(_("name in Spanish"), max_length=150, blank=True)
    summary = models.TextField(_("what it covers"), max_length=2000, blank=True)
    summary_es = models.TextField(_("what it covers, in Spanish"), max_length=2000, blank=True)
    audience = models.CharField(_("who it is for"), max_length=30, choices=Audience.choices)
    required_hours = models.DecimalField(_("required hours"), max_digits=6, decimal_places=1)
    length_weeks = models.PositiveSmallIntegerField(_("length in weeks"), null=True, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(required_hours__gt=0), name="course_required_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="course_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The name in the reader's language, when the catalogue has it."""
        return self.name_es if _in_spanish() and self.name_es else self.name

    @property
    def description(self) -> str:
        return self.summary_es if _in_spanish() and self.summary_es else self.summary


class Cohort(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="cohorts"
    )
    # The organization running the cohort: its trainers manage it, no one else sees it.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="academy_cohorts"
    )
    name = models.CharField(_("name"), max_length=150)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("A public venue, e.g. “Park fieldhouse, Englewood”. Shown to the public."),
    )
    trainers = models.ManyToManyField(
        _USER, verbose_name=_("trainers"), related_name="academy_cohorts_taught", blank=True
    )
    open_to_public = models.BooleanField(
        _("open to public interest"),
        default=False,
        help_text=_("Listed on the public trainings page, with an interest form."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        indexes = [models.Index(fields=["organization", "-starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One day's training: never more than 24 hours."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    trainer = models.ForeignKey(
        _USER,
        verbose_name=_("trainer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="academy_sessions_taught",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["held_on", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=HOURS_IN_A_DAY),
                name="session_hours_within_a_day",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="session_times_paired_and_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class Trainee(models.Model):
    """A person trained by an organization's academy. Staff trainees link to their
    User; an outside trainee may have a User of their own, with no membership."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="academy_trainees"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    category = models.CharField(_("trainee category"), max_length=30, choices=TraineeCategory)
    agency = models.CharField(_("organization, agency or district"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    user = models.ForeignKey(
        _USER,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="academy_trainee_records",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(user__isnull=False),
                name="one_trainee_record_per_user_and_organization",
            ),
            models.CheckConstraint(
                condition=Q(category__in=TraineeCategory.values), name="trainee_category_valid"
            ),
            models.CheckConstraint(
                condition=~Q(category=TraineeCategory.STAFF) | Q(user__isnull=False),
                name="staff_trainee_has_account",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Enrollment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="enrollments")
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    # Set when the credited hours reach the course's requirement (see services).
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate number"), max_length=20, null=True, blank=True, unique=True
    )

    class Meta:
        ordering = ["trainee__full_name"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "trainee"], name="enrolled_once_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} — {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    @property
    def progress_percent(self) -> int:
        """Needs the `hours` annotation (peacehub.academy.access.with_hours)."""
        required = self.cohort.course.required_hours
        return min(100, int(self.hours * 100 / required)) if required else 0

    @property
    def hours_to_go(self) -> Decimal:
        return max(Decimal(0), self.cohort.course.required_hours - self.hours)


class Attendance(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"), default=False)
    hours_credited = models.DecimalField(_("hours credited"), max_digits=4, decimal_places=2)
    recorded_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"], name="attendance_once_per_session"
            ),
            # Never more than the session's hours: checked by the service, which knows
            # the session; the database holds the day's limit and the sign.
            models.CheckConstraint(
                condition=Q(hours_credited__gte=0, hours_credited__lte=HOURS_IN_A_DAY),
                name="attendance_hours_within_a_day",
            ),
            models.CheckConstraint(
                condition=Q(present=True) | Q(hours_credited=0),
                name="attendance_absent_has_no_hours",
            ),
        ]


class Interest(models.Model):
    """Someone from the public who would like to join an open training. Read by the
    trainers of the organization running the cohort."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("training"), on_delete=models.CASCADE, related_name="interests"
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A keyed hash of the sender's address, for the hourly limit only; blanked after a
    # day (services.interest_submit). The raw address goes to the audit log alone.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="interest_has_a_way_to_reply"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.cohort}"
