"""Case management: a case per person at a time, the intake, versioned needs
assessments, the service plan's goals, case notes and re-entry planning.

Every model here is person-level data of the person's organization, read through
peacehub.cases.access. Free text is encrypted at field level."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacehub.cases.domains import Domain
from peacehub.encryption import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="cases")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="cases"
    )
    case_manager = models.ForeignKey(
        _USER,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        related_name="managed_cases",
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-opened_on"]
        indexes = [models.Index(fields=["case_manager", "closed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(closed_on__isnull=True),
                name="one_open_case_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.opened_on:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class ReferredBy(models.TextChoices):
    OUTREACH = "outreach", _("Street outreach (introduction)")
    HOSPITAL = "hospital", _("Hospital or victim services")
    COURT = "court", _("Court or probation")
    REENTRY = "reentry", _("Re-entry (coming home)")
    SCHOOL = "school", _("School")
    FAMILY = "family", _("Family or friend")
    SELF = "self", _("The person themselves")
    PARTNER = "partner", _("Another organization")
    OTHER = "other", _("Other")


class Intake(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    intake_on = models.DateField(_("intake date"))
    referred_by = models.CharField(_("referred by"), max_length=20, choices=ReferredBy.choices)
    reasons = EncryptedTextField(_("what the person wants help with"))
    immediate_safety_concern = models.BooleanField(_("immediate safety concern"), default=False)
    safety_note = EncryptedTextField(_("safety note"), blank=True)
    done_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")


class AssessmentTemplate(models.Model):
    """A versioned definition of the needs assessment. A new version is a new row:
    assessments keep pointing at the version they were made with, so a change never
    alters past answers."""

    name = models.CharField(max_length=100)
    version = models.PositiveSmallIntegerField()
    # [{"key": "housing", "label_en": …, "label_es": …, "question_en": …, "question_es": …}]
    domains = models.JSONField()
    is_current = models.BooleanField(default=False)
    published_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="assessment_version_once"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(is_current=True),
                name="one_current_assessment_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def domain_keys(self) -> list[str]:
        return [d["key"] for d in self.domains]


class Assessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["case", "-assessed_on"])]


class AssessmentRating(models.Model):
    """One domain's rating: 1 (in crisis) to 5 (thriving)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    domain = models.CharField(max_length=40)
    rating = models.PositiveSmallIntegerField()
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_rating_per_domain"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_one_to_five"
            ),
        ]


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """A goal of the service plan, written with the person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=40, choices=Domain.choices)
    description = models.CharField(_("goal, in the person's words"), max_length=300)
    target_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    created_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_date"]
        indexes = [models.Index(fields=["case", "status", "target_date"])]

    @property
    def is_open(self) -> bool:
        return self.status in (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS)


class GoalProgress(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    written_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=GoalStatus.choices)
    note = EncryptedTextField(blank=True)
    author = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-written_on"]


class NoteType(models.TextChoices):
    GENERAL = "general", _("General")
    EMPLOYMENT = "employment", _("Employment")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioral health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    LEGAL = "legal", _("Legal")
    IPV_SAFETY = "ipv_safety", _("IPV safety")


class CaseNote(models.Model):
    """A dated note about a person. Its text is encrypted; restricted types are read
    and written only by the roles that own them (peacehub.cases.access)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notes")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    note_type = models.CharField(_("type"), max_length=30, choices=NoteType.choices)
    text = EncryptedTextField(_("note"))
    written_on = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_on", "-created_at"]
        indexes = [models.Index(fields=["person", "note_type", "-written_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(note_type__in=NoteType.values), name="note_type_valid"
            )
        ]


class ReentryPlan(models.Model):
    """Planning with a person still incarcerated, for the first days home."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="reentry_plans"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    facility = models.CharField(_("facility"), max_length=150)
    expected_release_on = models.DateField(_("expected release date"))
    released_on = models.DateField(_("released on"), null=True, blank=True)
    reunification_plan = EncryptedTextField(
        _("reunification plan with family and community"), blank=True
    )
    created_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expected_release_on"]
        indexes = [models.Index(fields=["organization", "released_on", "expected_release_on"])]


class PreReleaseContact(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")
        VIDEO = "video", _("Video call")
        LETTER = "letter", _("Letter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(ReentryPlan, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = EncryptedTextField(_("note"), blank=True)
    worker = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-contacted_on"]


class ReentryService(models.Model):
    """A service lined up for the first days home: an ID, a bed, a first appointment."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ARRANGED = "arranged", _("Arranged")
        DONE = "done", _("Done")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(ReentryPlan, on_delete=models.CASCADE, related_name="services")
    domain = models.CharField(_("domain"), max_length=40, choices=Domain.choices)
    description = models.CharField(_("what"), max_length=300)
    day_after_release = models.PositiveSmallIntegerField(
        _("day after release"), help_text=_("1 for the first day home.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["day_after_release"]
