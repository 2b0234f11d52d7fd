"""Street outreach: contacts, incidents and the coalition's response to them, conflict
mediation, and the hand-off to case management.

Contacts, incident links to people, mediations and introductions are person-level:
they belong to one organization and are read through peacehub.outreach.access.
Incidents themselves are not: every organization serving the area sees that one
happened, so that it can respond, but never who is linked to it."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacehub.encryption import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class ContactType(models.TextChoices):
    STREET = "street", _("Street")
    PHONE = "phone", _("Phone or text")
    HOME_VISIT = "home_visit", _("Home visit")
    HOSPITAL = "hospital", _("Hospital")
    COURT = "court", _("Court")
    PRE_RELEASE = "pre_release", _("Jail or prison visit before release")
    SCHOOL = "school", _("School")
    EVENT = "event", _("Event")


class Topic(models.TextChoices):
    SAFETY = "safety", _("Safety")
    CONFLICT = "conflict", _("Conflict")
    EMPLOYMENT = "employment", _("Work")
    SCHOOL = "school", _("School or GED")
    HOUSING = "housing", _("Housing")
    FAMILY = "family", _("Family")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal")
    BASIC_NEEDS = "basic_needs", _("Food and basic needs")
    OTHER = "other", _("Other")


class NonParticipant(models.TextChoices):
    """Who a contact was with, when it was not a participant: no record is created."""

    FAMILY = "family", _("Family member")
    FRIEND = "friend", _("Friend")
    NEIGHBOR = "neighbor", _("Neighbor")
    COMMUNITY = "community", _("Community member")
    OTHER = "other", _("Someone else")


class Contact(models.Model):
    # The busiest table (about 50 rows a person a year): its foreign keys get no index
    # of their own, the composite indexes in Meta begin with each of them.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="contacts",
        db_index=False,
    )
    worker = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="contacts", db_index=False
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        db_index=False,
    )
    non_participant = models.CharField(
        _("with someone who is not a participant"),
        max_length=20,
        choices=NonParticipant.choices,
        blank=True,
    )
    contact_type = models.CharField(_("type"), max_length=20, choices=ContactType.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    community_area = models.ForeignKey(
        "geo.CommunityArea",
        verbose_name=_("community area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    follow_up_by = models.DateField(_("follow up by"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"]),
            # The worker too, so that counting contacts per worker over weeks (the
            # supervisor's page) reads the index alone, not a row per contact.
            models.Index(fields=["organization", "-occurred_at", "worker"]),
            models.Index(fields=["worker", "follow_up_done_at", "follow_up_by"]),
        ]
        constraints = [
            # A contact is with a participant or with someone unnamed, never both.
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(non_participant=""))
                | (models.Q(person__isnull=True) & ~models.Q(non_participant="")),
                name="contact_with_participant_or_not",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__isnull=True) | models.Q(minutes__lte=24 * 60),
                name="contact_minutes_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} {self.occurred_at:%Y-%m-%d}"


class DutyShift(models.Model):
    """A worker's weekly shift: on duty every given weekday from start to end (an end
    before the start runs past midnight). Who gets woken up by an incident alert."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="duty_shifts"
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="duty_weekday_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(starts_at=models.F("ends_at")), name="duty_shift_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


# An incident recorded longer than this after it happened is recorded, with its
# responses, but wakes no one up: the moment to respond has passed.
ALERT_WINDOW_HOURS = 72
ALERT_WINDOW = datetime.timedelta(hours=ALERT_WINDOW_HOURS)


class IncidentKind(models.TextChoices):
    FATAL_SHOOTING = "fatal_shooting", _("Fatal shooting")
    NONFATAL_SHOOTING = "nonfatal_shooting", _("Non-fatal shooting")
    THREAT = "threat", _("Threat")
    CONFLICT = "conflict", _("Conflict flare-up")
    RETALIATION_RISK = "retaliation_risk", _("Risk of retaliation")
    OTHER = "other", _("Other")


class IncidentSource(models.TextChoices):
    """How the coalition learned of it. Police is deliberately not a choice."""

    HOSPITAL = "hospital", _("Hospital")
    COMMUNITY = "community", _("Community")
    PARTNER = "partner", _("Partner organization")
    OTHER = "other", _("Other")


class Incident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("what happened"), max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    community_area = models.ForeignKey(
        "geo.CommunityArea",
        verbose_name=_("community area"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    block = models.CharField(
        _("where, at block level"),
        max_length=120,
        blank=True,
        help_text=_("A block or a corner, e.g. “6300 block of S Halsted” — never an address."),
    )
    source = models.CharField(_("how we know"), max_length=20, choices=IncidentSource.choices)
    # Seen by every responding organization: what happened, never who.
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("Every responding organization reads this: no names."),
    )
    reported_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="reported_incidents"
    )
    reported_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["community_area", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=IncidentKind.values), name="incident_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=IncidentSource.values),
                name="incident_source_not_police",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.community_area}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def recorded_too_late_to_alert(self) -> bool:
        """Recorded more than ALERT_WINDOW after it happened: nobody was alerted."""
        return self.created_at - self.occurred_at > ALERT_WINDOW

    @property
    def alert_window_hours(self) -> int:
        return ALERT_WINDOW_HOURS


class IncidentRelation(models.TextChoices):
    VICTIM = "victim", _("Victim")
    VICTIM_FAMILY = "victim_family", _("Family of the victim")
    HARM_FAMILY = "harm_family", _("Family of the person who caused harm")
    RETALIATION_RISK = "retaliation_risk", _("At risk of retaliation")


class IncidentPerson(models.Model):
    """A participant linked to an incident. Belongs to the participant's organization;
    no other organization ever learns of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people_links")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="incident_links"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=IncidentRelation.choices)
    added_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "person", "relation"], name="incident_person_once"
            )
        ]


class ResponseState(models.TextChoices):
    NOTIFIED = "notified", _("Notified")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ON_SCENE = "on_scene", _("On scene")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")


RESPONSE_ORDER = [
    ResponseState.NOTIFIED,
    ResponseState.ACKNOWLEDGED,
    ResponseState.ON_SCENE,
    ResponseState.FOLLOW_UP_DONE,
]


class IncidentResponse(models.Model):
    """One organization's response to one incident, step by step, each with its time
    and worker."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="responses")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="incident_responses"
    )
    state = models.CharField(
        max_length=20, choices=ResponseState.choices, default=ResponseState.NOTIFIED
    )
    notified_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_scene_at = models.DateTimeField(null=True, blank=True)
    on_scene_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        # An organization's responses, for its incident list and home pages.
        indexes = [models.Index(fields=["organization", "incident"])]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "organization"], name="one_response_per_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(acknowledged_at__isnull=True)
                | models.Q(acknowledged_at__gte=models.F("notified_at")),
                name="response_acknowledged_after_notified",
            ),
            models.CheckConstraint(
                condition=models.Q(on_scene_at__isnull=True)
                | models.Q(acknowledged_at__isnull=False),
                name="response_on_scene_after_acknowledged",
            ),
        ]

    def _minutes_since_notified(self, moment) -> int | None:
        if moment is None:
            return None
        return max(0, round((moment - self.notified_at).total_seconds() / 60))

    @property
    def minutes_to_acknowledge(self) -> int | None:
        return self._minutes_since_notified(self.acknowledged_at)

    @property
    def minutes_to_scene(self) -> int | None:
        return self._minutes_since_notified(self.on_scene_at)


class ResponseActionKind(models.TextChoices):
    DE_ESCALATION = "de_escalation", _("De-escalation")
    RUMOR_CONTROL = "rumor_control", _("Rumor control")
    VICTIM_FAMILY_SUPPORT = "victim_family_support", _("Support to the victim's family")
    HARM_FAMILY_SUPPORT = (
        "harm_family_support",
        _("Support to the family of the person who caused harm"),
    )
    HOSPITAL_RESPONSE = "hospital_response", _("Hospital response")
    VIGIL_FUNERAL = "vigil_funeral", _("Vigil or funeral support")
    OTHER = "other", _("Other")


class ResponseAction(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(IncidentResponse, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=30, choices=ResponseActionKind.choices)
    note = EncryptedTextField(_("note"), blank=True)
    worker = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at"]


class Conflict(models.Model):
    """A conflict between parties that outreach mediates. Groups are recorded only by a
    neutral label the organization chooses; a group is never an attribute of a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="conflicts"
    )
    label = models.CharField(
        _("label"),
        max_length=100,
        help_text=_("A neutral name the team chooses, e.g. “Conflict 12 (Englewood)”."),
    )
    community_area = models.ForeignKey(
        "geo.CommunityArea",
        verbose_name=_("community area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-opened_on"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class ConflictParty(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflict_parties",
    )
    group_label = models.CharField(
        _("group label"),
        max_length=40,
        blank=True,
        help_text=_("Neutral, e.g. “Group A”. Never a gang or crew name."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(group_label=""))
                | (models.Q(person__isnull=True) & ~models.Q(group_label="")),
                name="party_is_person_or_group_label",
            )
        ]

    def __str__(self) -> str:
        return self.group_label or str(self.person)


class MediationSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    note = EncryptedTextField(_("note"), blank=True)
    facilitator = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on"]


class AgreementKind(models.TextChoices):
    PEACE = "peace", _("Peace agreement")
    NON_AGGRESSION = "non_aggression", _("Non-aggression agreement")


class AgreementState(models.TextChoices):
    HOLDING = "holding", _("Holding")
    STRAINED = "strained", _("Strained")
    BROKEN = "broken", _("Broken")
    RESOLVED = "resolved", _("Resolved")


# An agreement in these states still holds, more or less, and is reviewed on its date;
# a broken or resolved one has nothing left to review.
AGREEMENT_STATES_UNDER_REVIEW = (AgreementState.HOLDING, AgreementState.STRAINED)


class Agreement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conflict = models.ForeignKey(Conflict, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    made_on = models.DateField(_("made on"))
    state = models.CharField(
        _("state"), max_length=20, choices=AgreementState.choices, default=AgreementState.HOLDING
    )
    review_on = models.DateField(_("review on"), null=True, blank=True)

    class Meta:
        ordering = ["-made_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_on__isnull=True)
                | models.Q(review_on__gte=models.F("made_on")),
                name="agreement_review_after_made",
            )
        ]

    @property
    def review_overdue(self) -> bool:
        """Its review date has passed and it still holds (or is strained), in a
        mediation that is still open."""
        return (
            self.review_on is not None
            and self.review_on < timezone.localdate()
            and self.state in AGREEMENT_STATES_UNDER_REVIEW
            and self.conflict.closed_on is None
        )


class AgreementStateChange(models.Model):
    """One step of an agreement's history. The history reads by the day of the change,
    then by when it was recorded: of two changes on one day, the one recorded later
    came later. The agreement's state is that of the latest change in this order, so a
    change backdated before the latest one takes its place in the history and leaves
    the current state as it is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="history")
    state = models.CharField(max_length=20, choices=AgreementState.choices)
    changed_on = models.DateField()
    note = EncryptedTextField(blank=True)
    changed_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-changed_on", "-recorded_at"]  # the latest first


class IntroductionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class Introduction(models.Model):
    """An outreach worker introduces a participant to a case manager of the same
    organization, once trust is there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="introductions"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    introduced_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, related_name="introductions_made"
    )
    case_manager = models.ForeignKey(
        _USER,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        related_name="introductions_received",
    )
    summary = EncryptedTextField(_("summary"))
    status = models.CharField(
        max_length=20, choices=IntroductionStatus.choices, default=IntroductionStatus.PENDING
    )
    return_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""),
                name="introduction_return_has_reason",
            )
        ]
