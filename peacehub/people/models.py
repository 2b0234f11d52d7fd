"""Participants and what is recorded about them: status history, the eligibility
checklist and consent. Every model here is person-level data: it belongs to exactly one
organization and is read only through peacehub.people.access."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacehub.people.eligibility import Criterion


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    ANOTHER = "another", _("Another gender")
    NOT_STATED = "not_stated", _("Not stated")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class Status(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    ENGAGED = "engaged", _("Engaged in outreach")
    CASE_MANAGEMENT = "case_management", _("In case management")
    CLOSED = "closed", _("Closed")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    DECLINED = "declined", _("Declined further services")
    MOVED = "moved", _("Moved away")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    INCARCERATED = "incarcerated", _("Incarcerated")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        """The people the user may list, search and count: their own organizations'."""
        from peacehub.people.access import people_visible_to

        return people_visible_to(user, self)

    def shared_with(self, user) -> "PersonQuerySet":
        from peacehub.people.access import people_shared_with

        return people_shared_with(user, self)


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="people"
    )
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    nicknames = models.CharField(
        _("nicknames"), max_length=200, blank=True, help_text=_("Separate several with commas.")
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_birth_year = models.PositiveSmallIntegerField(
        _("estimated birth year"),
        null=True,
        blank=True,
        help_text=_("Only when the date of birth is not known."),
    )
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_STATED
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    community_area = models.ForeignKey(
        "geo.CommunityArea",
        verbose_name=_("community area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    # The staff member who knows the person best on each side of the work.
    outreach_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outreach worker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_participants",
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_management_participants",
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Lower-case, accent-free names and their sound-alike codes, kept by
    # peacehub.people.search so that a misspelled name still finds the person.
    search_text = models.CharField(max_length=600, blank=True, editable=False)
    search_codes = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "legal_last_name", "legal_first_name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=True)
                | models.Q(estimated_birth_year__isnull=True),
                name="person_birth_date_or_estimate",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="person_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    def age_on(self, day) -> int | None:
        if self.date_of_birth:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.estimated_birth_year:
            return day.year - self.estimated_birth_year
        return None


class StatusChange(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(to_status="closed") | ~models.Q(reason=""),
                name="status_change_closing_needs_reason",
            )
        ]


class EligibilityCheck(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="eligibility_checks")
    criterion = models.CharField(_("criterion"), max_length=40, choices=Criterion.choices)
    met = models.BooleanField(_("holds"), default=False)
    checked_on = models.DateField(_("checked on"))
    note = models.CharField(_("how we know"), max_length=300, blank=True)
    # The person's own challenge to the entry, in their words, when they contest it.
    contested_note = models.CharField(_("the person contests this"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["criterion"]
        constraints = [
            models.UniqueConstraint(fields=["person", "criterion"], name="one_check_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(criterion__in=Criterion.values),
                name="eligibility_criterion_valid",
            ),
        ]


class ConsentKind(models.TextChoices):
    SERVICES = "services", _("To receive services")
    SHARE = "share", _("To share information with a named organization")
    EVALUATION = "evaluation", _("To be included in de-identified evaluation extracts")


class ShareScope(models.TextChoices):
    """What a sharing consent releases, beyond the name and preferred language that
    every share carries."""

    PHONE = "phone", _("Phone number")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    COMMUNITY_AREA = "community_area", _("Community area")


class ConsentQuerySet(models.QuerySet):
    def current(self, on=None):
        today = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, given_on__lte=today).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )


class Consent(models.Model):
    class Method(models.TextChoices):
        SIGNED = "signed", _("Signed form")
        VERBAL = "verbal", _("Verbal, witnessed by staff")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    recipient = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization to share with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_received",
    )
    scope = models.JSONField(_("information to share"), default=list, blank=True)
    method = models.CharField(_("how consent was given"), max_length=10, choices=Method.choices)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="share") & models.Q(recipient__isnull=False))
                | (~models.Q(kind="share") & models.Q(recipient__isnull=True)),
                name="consent_share_names_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given",
            ),
        ]

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (
            self.revoked_at is None
            and self.given_on <= today
            and (self.expires_on is None or self.expires_on >= today)
        )
