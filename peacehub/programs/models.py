"""Programs a participant is enrolled in: workforce (milestones from the GED to 180 days
in a job), legal aid (matters), behavioral health (counseling sessions) and the
intimate-partner-violence program (voluntary sessions and a safety plan).

Every model here is person-level: an enrollment belongs to the program's organization
and names a participant of that same organization. A provider that receives a referral
opens its own record for the person, with consent; it never reads the sender's. Read
them only through peacehub.programs.access.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peacehub.encryption import EncryptedTextField
from peacehub.people.models import Language

_USER = settings.AUTH_USER_MODEL

NOTE_MAX = 2000
SAFETY_PLAN_MAX = 4000


class Program(models.TextChoices):
    WORKFORCE = "workforce", _("Workforce")
    LEGAL = "legal", _("Legal aid")
    BEHAVIORAL_HEALTH = "behavioral_health", _("Behavioral health")
    IPV = "ipv", _("IPV program")


# The program's part of a URL: /programs/behavioral-health/.
PROGRAM_SLUGS = {
    "workforce": Program.WORKFORCE,
    "legal": Program.LEGAL,
    "behavioral-health": Program.BEHAVIORAL_HEALTH,
    "ipv": Program.IPV,
}
SLUG_OF = {program: slug for slug, program in PROGRAM_SLUGS.items()}


class EnrollmentStatus(models.TextChoices):
    # Spanish says "activa", "completada" of an enrollment (la inscripción).
    ACTIVE = "active", pgettext_lazy("enrollment status", "Active")
    COMPLETED = "completed", pgettext_lazy("enrollment status", "Completed")
    EXITED = "exited", _("Exited")


class ExitReason(models.TextChoices):
    DECLINED = "declined", _("Chose to stop")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    MOVED = "moved", _("Moved away")
    INCARCERATED = "incarcerated", _("Incarcerated")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred to another program")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible after all")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class EnrollmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnrollmentQuerySet":
        """The enrollments the user may list and count (programs.access decides)."""
        from peacehub.programs.access import enrollments_visible_to

        return self & enrollments_visible_to(user)


class Enrollment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="enrollments"
    )
    # Always a person of `organization` (programs.services.enrollment_create checks it).
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    program = models.CharField(_("program"), max_length=20, choices=Program.choices)
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_note = models.CharField(_("note"), max_length=300, blank=True)
    enrolled_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The referral this enrollment answers: one the program's organization received
    # (programs.services checks it). The sender's record of the person stays theirs;
    # this links our own record to their referral, which closes the loop.
    referral = models.ForeignKey(
        "referrals.Referral",
        verbose_name=_("referral"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    # The IPV program: the person confirmed participation is voluntary, not
    # court-mandated (the program takes no mandated participants).
    voluntary_confirmed = models.BooleanField(_("participation is voluntary"), default=False)
    # The IPV program only; IPV staff alone read or write it (programs.access).
    safety_plan = EncryptedTextField(_("safety plan"), blank=True)
    safety_plan_updated_at = models.DateTimeField(null=True, blank=True)
    safety_plan_updated_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_on", "-created_at"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        indexes = [
            models.Index(fields=["organization", "program", "status"]),
            models.Index(fields=["person", "program"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__in=Program.values), name="enrollment_program_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values), name="enrollment_status_valid"
            ),
            # One open enrollment per person and program; a finished one may be
            # followed by a new one.
            models.UniqueConstraint(
                fields=["person", "program"],
                condition=Q(status="active"),
                name="one_active_enrollment_per_program",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | (~Q(status="active") & Q(ended_on__isnull=False)),
                name="enrollment_ended_on_when_finished",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("enrolled_on")),
                name="enrollment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status="exited") | ~Q(exit_reason=""),
                name="enrollment_exit_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(program="ipv") | Q(voluntary_confirmed=True),
                name="ipv_enrollment_is_voluntary",
            ),
            models.CheckConstraint(
                condition=Q(program="ipv") | Q(safety_plan=""),
                name="safety_plan_only_in_ipv",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()} {self.enrolled_on:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.status == EnrollmentStatus.ACTIVE


# --- Workforce ------------------------------------------------------------------------


class MilestoneKind(models.TextChoices):
    GED = "ged", _("GED attained")
    HOPE = "hope", _("H.O.P.E. job-readiness curriculum completed")
    SKILL_TRAINING = "skill_training", _("Skill training completed")
    PLACED = "placed", _("Placed in a job")
    RETAINED_30 = "retained_30", _("Retained 30 days")
    RETAINED_90 = "retained_90", _("Retained 90 days")
    RETAINED_180 = "retained_180", _("Retained 180 days")


# Each retention milestone, the days in the job it stands for and the milestone that
# must come before it.
RETENTION = {
    MilestoneKind.RETAINED_30: (30, MilestoneKind.PLACED),
    MilestoneKind.RETAINED_90: (90, MilestoneKind.RETAINED_30),
    MilestoneKind.RETAINED_180: (180, MilestoneKind.RETAINED_90),
}


class Industry(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    FOOD_SERVICE = "food_service", _("Food service")
    PLUMBING = "plumbing", _("Plumbing")
    ELECTRICAL = "electrical", _("Electrical")
    CARPENTRY = "carpentry", _("Carpentry")


class WorkforceMilestone(models.Model):
    """A dated step of the workforce program. For a placement the date is the first day
    on the job, from which retention counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    achieved_on = models.DateField(_("date"))
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["achieved_on", "recorded_at"]
        verbose_name = _("workforce milestone")
        verbose_name_plural = _("workforce milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MilestoneKind.values), name="milestone_kind_valid"
            ),
            # One of each kind, except skill training: one per industry.
            models.UniqueConstraint(
                fields=["enrollment", "kind"],
                condition=~Q(kind="skill_training"),
                name="one_milestone_per_kind",
            ),
            models.UniqueConstraint(
                fields=["enrollment", "industry"],
                condition=Q(kind="skill_training"),
                name="one_skill_training_per_industry",
            ),
            models.CheckConstraint(
                condition=(Q(kind="skill_training") & Q(industry__in=Industry.values))
                | (~Q(kind="skill_training") & Q(industry="")),
                name="milestone_industry_for_skill_training",
            ),
            models.CheckConstraint(
                condition=(Q(kind="placed") & ~Q(employer=""))
                | (~Q(kind="placed") & Q(employer="")),
                name="milestone_employer_for_placement",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


# --- Legal aid ------------------------------------------------------------------------


class MatterType(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    HOUSING = "housing", _("Housing")
    PUBLIC_BENEFITS = "public_benefits", _("Public benefits")
    CRIME_VICTIM = "crime_victim", _("Crime-victim services")
    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    IMMIGRATION = "immigration", _("Immigration")
    ELDER_LAW = "elder_law", _("Elder law")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")


class MatterStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class MatterOutcome(models.TextChoices):
    RESOLVED_FAVORABLY = "resolved_favorably", _("Resolved in the client's favor")
    SETTLED = "settled", _("Settled")
    ADVICE_GIVEN = "advice_given", _("Advice and counsel only")
    UNFAVORABLE = "unfavorable", _("Decided against the client")
    WITHDRAWN = "withdrawn", _("Client withdrew")
    REFERRED_OUT = "referred_out", _("Referred to other counsel")


class LegalMatter(models.Model):
    """A free legal matter. Everyone who follows the person's progress sees its type and
    status; its outcome and notes are for legal staff only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="matters")
    matter_type = models.CharField(_("type of matter"), max_length=20, choices=MatterType.choices)
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(
        _("status"), max_length=20, choices=MatterStatus.choices, default=MatterStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=MatterOutcome.choices, blank=True
    )
    outcome_note = EncryptedTextField(_("outcome in words"), blank=True)
    notes = EncryptedTextField(_("legal notes"), blank=True)
    opened_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("legal matter")
        verbose_name_plural = _("legal matters")
        constraints = [
            models.CheckConstraint(
                condition=Q(matter_type__in=MatterType.values), name="matter_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MatterStatus.values), name="matter_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="matter_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_on__isnull=False) & ~Q(outcome=""))
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="matter_closed_has_date_and_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.get_matter_type_display()


# --- Sessions: behavioral health and the IPV program ----------------------------------


class SessionFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    FAMILY = "family", _("Family")


class ProgramSession(models.Model):
    """A counseling session (behavioral health) or a program session (IPV). The note is
    read only by the program's own staff: behavioral health clinicians, IPV staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    format = models.CharField(_("format"), max_length=20, choices=SessionFormat.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    staff = models.ForeignKey(
        _USER, verbose_name=_("clinician"), on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("session note"), blank=True)
    recorded_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=SessionFormat.values), name="session_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="session_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=8 * 60), name="session_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} {self.held_on:%Y-%m-%d}"
