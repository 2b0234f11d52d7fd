"""Case management and referrals in the demo: for every participant in case management
an open case with its intake, needs assessments, service-plan goals and case notes;
referrals to the coalition's service providers for about half of them; re-entry plans
for the few who are still incarcerated.

The case. Opened on the day the participant came into case management (their status
history says when), or 10 to 12 months ago for those who came in earlier: a case
manager moves the older ones to PeaceHub as they go. The case manager and organization
are the participant's. An intake (most came through street outreach), then one to four
assessments of every domain of the current assessment template, about 90 days apart:
ratings mostly improve, some domains worsen; about 15% are overdue for reassessment.
Two to four goals, in the person's words, in the domains rated lowest at the first
assessment, with target dates from the past to the future, statuses mixed and a few
progress notes. One to three case notes, general or about employment (the only
restricted type a partner's case team writes); the text is bland and never names a
group or a gang.

Referrals. For about half of the cases, one or two referrals to the service providers'
programs that meet the goals' needs in the person's area, found in the directory by
their categories of need (peacehub.services.models.need_term_id), each with a current
consent to share naming the receiving organization (the person's own if there is one,
a new one otherwise: phone number only, mostly). Their steps follow NEXT_STEPS up to a
realistic status; about one in ten open ones has had no news for more than 14 days; a
few consents were revoked after the referral, and the referral, if still open, closed
with PeaceHub's "consent withdrawn" step as the sending side, as revoking it in the app
does (peacehub.referrals.services.referrals_close_for_revoked_consent). A first
appointment's step carries the appointment it set, the referral's.

Re-entry. About 5% of those in case management, and a few only identified, are still
incarcerated (the facilities named are public institutions): a plan with the expected
release date, a few days to five months ahead, pre-release contacts and the services
lined up for the first week home. From the day the plan began, their outreach contacts
are calls and pre-release visits only.

casemanager@'s first participants in case management (DEMO_CASES, by their place in
the caseload) get chosen stories, so that every demo sign-in sees each screen with
data: releases due within 60 days, stale and declined referrals, a revoked consent,
and referrals received by legal@, clinician@, workforce@ and ipv@.

Participant i's records come from generators seeded with the seed and i, with uuid5
ids, and depend only on the participant (and the directory): a larger demo adds only
the new participants' and a second run adds nothing. Participants who already have a
case are skipped whole (as are re-entry plans for those who have one), so no insert
can collide: rows go in as plain tuples (peacehub.demo.bulk).
"""

import random
import uuid
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone

from peacehub.cases.domains import Domain
from peacehub.cases.models import (
    Assessment,
    AssessmentRating,
    AssessmentTemplate,
    Case,
    CaseNote,
    Goal,
    GoalProgress,
    GoalStatus,
    Intake,
    NoteType,
    PreReleaseContact,
    ReentryPlan,
    ReentryService,
    ReferredBy,
)
from peacehub.cases.services import current_template
from peacehub.demo.bulk import insert_rows
from peacehub.demo.caseloads import DEMO_CASE_MANAGER_SLOT, CaseloadPlan
from peacehub.demo.coalition import PROVIDERS, Coalition, demo_id
from peacehub.demo.services import PROVIDER_SERVICES
from peacehub.outreach.models import Contact, ContactType
from peacehub.people.models import Consent, ConsentKind, Gender, Person, Status, StatusChange
from peacehub.referrals.models import (
    NEXT_STEPS,
    EventCode,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from peacehub.services.models import Attribute, Service, ServiceArea, ServiceStatus, need_term_id

PEOPLE_PER_QUERY = 2000

REFERRAL_SHARE = 0.55  # of cases (some find no matching service: about half get one)
OVERDUE_SHARE = 0.35  # of cases old enough to be overdue: about 15% of all
REENTRY_SHARE = 0.05  # of those in case management
IDENTIFIED_REENTRY_SHARE = 0.02
STALE_SHARE = 0.13  # of referrals (some stories do not fit a young case): about 10%
REVOKED_SHARE = 0.01  # of the consents created for a referral
HISTORY_DAYS = 365

S = ReferralStatus
D = Domain

# --- casemanager@'s chosen stories ------------------------------------------------------


@dataclass(frozen=True)
class DemoReferral:
    service: str
    domain: Domain
    status: ReferralStatus
    stale: bool = False
    revoked: bool = False


@dataclass(frozen=True)
class DemoCase:
    referrals: tuple[DemoReferral, ...] = ()
    # Days until release, for someone still incarcerated.
    release_in: int | None = None


LEGAL_SERVICE = "Legal Aid Justice Corps"
COUNSELING = "Individual, group and family counseling"
HOPE = "H.O.P.E. job-readiness curriculum"
IPV_GROUPS = "Partner accountability groups"

# casemanager@'s k-th participant in case management (in the order of the participants).
DEMO_CASES = {
    0: DemoCase((DemoReferral(LEGAL_SERVICE, D.LEGAL, S.RECEIVED, stale=True),)),
    1: DemoCase(release_in=12),
    2: DemoCase(
        (
            DemoReferral(IPV_GROUPS, D.FAMILY, S.FIRST_APPOINTMENT),
            DemoReferral(HOPE, D.EMPLOYMENT, S.IN_SERVICE),
        )
    ),
    3: DemoCase(
        (
            DemoReferral(HOPE, D.EMPLOYMENT, S.SENT),
            DemoReferral(LEGAL_SERVICE, D.LEGAL, S.COMPLETED),
        )
    ),
    4: DemoCase(release_in=45),
    5: DemoCase((DemoReferral(COUNSELING, D.MENTAL_HEALTH, S.ACCEPTED, revoked=True),)),
    6: DemoCase(
        (
            DemoReferral(COUNSELING, D.MENTAL_HEALTH, S.IN_SERVICE),
            DemoReferral(IPV_GROUPS, D.FAMILY, S.SENT, stale=True),
        )
    ),
    7: DemoCase(
        (
            DemoReferral(LEGAL_SERVICE, D.LEGAL, S.DECLINED),
            DemoReferral(COUNSELING, D.MENTAL_HEALTH, S.COMPLETED),
        )
    ),
}

# --- Text ---------------------------------------------------------------------------------

REFERRED_BY = {
    ReferredBy.OUTREACH: 72,
    ReferredBy.HOSPITAL: 7,
    ReferredBy.COURT: 6,
    ReferredBy.REENTRY: 5,
    ReferredBy.FAMILY: 4,
    ReferredBy.SELF: 3,
    ReferredBy.SCHOOL: 2,
    ReferredBy.PARTNER: 1,
}
# What the person wants help with, a sentence per need.
NEEDS = {
    D.SAFETY: ["Worried about an old conflict in the area.", "Wants to feel safe going out."],
    D.HOUSING: ["Staying with different friends each week.", "Needs a place of their own."],
    D.EMPLOYMENT: ["Wants steady work.", "Lost a warehouse job last month."],
    D.EDUCATION: ["Wants to finish the GED.", "Wants to go back to school."],
    D.LEGAL: ["Has a court date coming up.", "An old record keeps blocking job applications."],
    D.PHYSICAL_HEALTH: ["Still in pain from an old injury.", "Has not seen a doctor in years."],
    D.MENTAL_HEALTH: ["Not sleeping since a friend was shot.", "Stress is getting heavy."],
    D.SUBSTANCE_USE: ["Wants to cut down on drinking.", "Smoking more than before."],
    D.FAMILY: ["Wants to see the kids more.", "Things are tense at home."],
    D.PUBLIC_BENEFITS: ["SNAP was cut off.", "Has no health coverage."],
    D.IDENTITY_DOCUMENTS: ["Needs an ID to apply for jobs.", "Lost the birth certificate."],
}
SAFETY_NOTES = [
    "Worried about walking past one corner on the way to the store; planned another route.",
    "Was threatened last week; outreach worker checking in daily for now.",
]
COMING_HOME = "Coming home soon; needs a plan for the first weeks."
# Goals, in the person's words.
GOALS = {
    D.SAFETY: [
        "Stay out of the old conflict",
        "Have a plan for when things get heated",
        "Feel safe walking to work",
    ],
    D.HOUSING: ["Get my own place", "Find a stable place to stay", "Stop couch surfing"],
    D.EMPLOYMENT: [
        "Find a job in construction",
        "Get a job that pays the bills",
        "Keep my job for six months",
        "Get my forklift certificate",
    ],
    D.EDUCATION: [
        "Finish the GED math section",
        "Pass the GED",
        "Go back to school in the fall",
    ],
    D.LEGAL: [
        "Get my record sealed",
        "Make every court date",
        "Finish probation without a violation",
        "Get my driver's license back",
    ],
    D.PHYSICAL_HEALTH: ["See a doctor about my leg", "Get health insurance", "Get my teeth fixed"],
    D.MENTAL_HEALTH: [
        "Sleep through the night",
        "Talk to somebody about what happened",
        "Handle my anger without fighting",
    ],
    D.SUBSTANCE_USE: ["Cut down on drinking", "Stop smoking every day", "Stay clean for 90 days"],
    D.FAMILY: [
        "See my daughter every weekend",
        "Fix things with my mom",
        "Keep arguments at home from getting out of hand",
    ],
    D.PUBLIC_BENEFITS: ["Get SNAP back", "Sign up for Medicaid", "Get help with the light bill"],
    D.IDENTITY_DOCUMENTS: [
        "Get my state ID back",
        "Get my birth certificate",
        "Replace my Social Security card",
    ],
}
PROGRESS_NOTES = {
    GoalStatus.IN_PROGRESS: [
        "Made the first call together.",
        "Filled out the application together.",
        "Halfway there; we meet again next week.",
        "Started; needs a ride to the next appointment.",
    ],
    GoalStatus.MET: ["Done. Celebrated it together.", "Met this goal; proud of it."],
    GoalStatus.DROPPED: ["No longer a priority right now.", "Replaced by a new goal."],
}
CASE_NOTES = {
    NoteType.GENERAL: [
        "Checked in by phone; doing okay.",
        "Met at the office; went over the service plan.",
        "Home visit; family was welcoming.",
        "Missed the appointment; reached by phone the next day.",
        "Went together to the benefits office.",
        "Talked about the week; no new concerns.",
    ],
    NoteType.EMPLOYMENT: [
        "Went over the resume; two applications sent.",
        "Interview at a warehouse next Tuesday.",
        "First week at the new job went well.",
    ],
}
# Why the case manager refers, for the receiving organization to read.
REFERRAL_REASONS = {
    D.LEGAL: [
        "Wants an old record sealed; job applications stop at the background check.",
        "Court date next month; would like advice before it.",
    ],
    D.HOUSING: ["Eviction notice last week; needs advice before the hearing."],
    D.PUBLIC_BENEFITS: ["SNAP was cut off; needs help with the appeal."],
    D.EMPLOYMENT: [
        "Ready to look for work; would like the next cohort.",
        "Wants construction work; has no certificate yet.",
    ],
    D.EDUCATION: ["Wants to finish the GED; passed reading, needs math."],
    D.MENTAL_HEALTH: [
        "Not sleeping well since a friend's death; asked to talk to someone.",
        "Asked for counseling; prefers afternoons.",
    ],
    D.SUBSTANCE_USE: ["Wants to cut down on drinking; open to counseling."],
    D.FAMILY: ["Wants to rebuild things with family; open to family sessions."],
}
# For the partner accountability groups, whatever the need.
IPV_REASONS = [
    "Asked for help with arguments at home; agreed to try the group.",
    "Wants to stop the fights with a partner; chose to join, nobody ordered it.",
]
DECLINE_NOTES = [
    "The current cohort is full; please refer again next month.",
    "Needs a service we do not offer; suggested another provider.",
    "Does not meet this program's eligibility; called to explain.",
]
RECEIVER_CLOSE_NOTES = [
    "Could not reach after three calls and a letter.",
    "Moved out of the area.",
    "Not interested for now; welcome to come back.",
]
SENDER_CLOSE_NOTES = [
    "Found a program closer to home.",
    "Started full-time work; no time for now.",
]
APPOINTMENT_NOTES = ["At the main office; bring an ID.", "By phone first, then in person."]
COMPLETION_NOTES = ["Finished the program.", "Goals reached; file closed on our side."]
REVOCATION_NOTES = ["Asked us to stop sharing.", "Changed their mind after talking with family."]

MEN_FACILITIES = {
    "Stateville Correctional Center": 35,
    "Cook County Jail": 35,
    "Pontiac Correctional Center": 30,
}
WOMEN_FACILITIES = {"Logan Correctional Center": 60, "Cook County Jail": 40}
REUNIFICATION_PLANS = [
    "Going home to a grandmother's apartment; family meeting set for the first weekend. "
    "The outreach worker picks up at the gate.",
    "Staying with an aunt for the first months; the family agreed on house rules together.",
    "A bed at a re-entry house at first; Sunday dinners with family from the first week.",
    "Back home with a parent; a cousin drives to the first appointments.",
]
PRE_RELEASE_NOTES = {
    PreReleaseContact.Kind.VISIT: [
        "Went over the plan for the first week.",
        "Met with the facility's re-entry counselor too.",
    ],
    PreReleaseContact.Kind.CALL: [
        "Talked about the ID and the first appointment.",
        "Short call; in good spirits.",
    ],
    PreReleaseContact.Kind.VIDEO: ["Video call with family present.", "Went over the job plan."],
    PreReleaseContact.Kind.LETTER: ["Sent the plan and the phone numbers to keep."],
}
# (domain, day after release, what)
REENTRY_SERVICES = [
    (D.FAMILY, 1, "Pick-up at the gate and dinner with family"),
    (D.IDENTITY_DOCUMENTS, 1, "State ID at the ID clinic, fee covered"),
    (D.HOUSING, 1, "Bed at the re-entry housing program"),
    (D.LEGAL, 2, "First meeting with the parole officer"),
    (D.PUBLIC_BENEFITS, 2, "Apply for SNAP and Medicaid at the benefits desk"),
    (D.MENTAL_HEALTH, 3, "First counseling appointment"),
    (D.PHYSICAL_HEALTH, 4, "Pick up prescriptions at the clinic"),
    (D.EMPLOYMENT, 5, "H.O.P.E. orientation"),
    (D.EDUCATION, 7, "GED placement test"),
]

# --- Rows ---------------------------------------------------------------------------------

FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Consent: (
        "id",
        "person_id",
        "kind",
        "recipient_id",
        "scope",
        "method",
        "given_on",
        "expires_on",
        "recorded_by_id",
        "recorded_at",
        "revoked_at",
        "revoked_by_id",
        "revocation_note",
    ),
    Case: (
        "id",
        "person_id",
        "organization_id",
        "case_manager_id",
        "opened_on",
        "closed_on",
        "close_reason",
        "created_by_id",
    ),
    Intake: (
        "case_id",
        "intake_on",
        "referred_by",
        "reasons",
        "immediate_safety_concern",
        "safety_note",
        "done_by_id",
    ),
    Assessment: ("id", "case_id", "template_id", "assessed_on", "assessor_id", "created_at"),
    AssessmentRating: ("assessment_id", "domain", "rating", "note"),
    Goal: (
        "id",
        "case_id",
        "domain",
        "description",
        "target_date",
        "status",
        "created_by_id",
        "created_at",
    ),
    GoalProgress: ("id", "goal_id", "written_on", "status", "note", "author_id"),
    CaseNote: (
        "id",
        "person_id",
        "organization_id",
        "note_type",
        "text",
        "written_on",
        "author_id",
        "created_at",
    ),
    ReentryPlan: (
        "id",
        "person_id",
        "organization_id",
        "facility",
        "expected_release_on",
        "released_on",
        "reunification_plan",
        "created_by_id",
        "created_at",
    ),
    PreReleaseContact: ("id", "plan_id", "contacted_on", "kind", "note", "worker_id"),
    ReentryService: ("id", "plan_id", "domain", "description", "day_after_release", "status"),
    Referral: (
        "id",
        "person_id",
        "sending_organization_id",
        "sent_by_id",
        "case_id",
        "service_id",
        "receiving_organization_id",
        "consent_id",
        "reason",
        "status",
        "first_appointment_at",
        "created_at",
        "updated_at",
        "stale_notified_at",
    ),
    ReferralEvent: (
        "id",
        "referral_id",
        "status",
        "at",
        "by_id",
        "by_organization_id",
        "note",
        "code",
        "appointment_at",
    ),
}

PERSON_FIELDS = (
    "id",
    "organization_id",
    "status",
    "case_manager_id",
    "outreach_worker_id",
    "created_by_id",
    "community_area_id",
    "gender",
    "created_at",
)
PersonRow = namedtuple("PersonRow", PERSON_FIELDS)


@dataclass(frozen=True)
class DirectoryService:
    """A provider's program that can receive referrals, as the directory has it."""

    id: uuid.UUID
    name: str
    organization_id: uuid.UUID
    needs: frozenset[str]
    area_ids: frozenset[int]
    # The need the program is first of all for.
    main_need: str | None


def directory_services(coalition: Coalition) -> list[DirectoryService]:
    """The active services of the coalition's providers, with their needs (the needs
    taxonomy's terms, by their derived ids) and the community areas they serve."""
    providers = list(coalition.provider_ids.values())
    rows = list(
        Service.objects.filter(
            status=ServiceStatus.ACTIVE, organization__organization_id__in=providers
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "organization__organization_id")
    )
    ids = [pk for pk, _, _ in rows]
    terms = {need_term_id(domain.value): domain.value for domain in Domain}
    needs: dict[uuid.UUID, set[str]] = {}
    for service_id, term_id in Attribute.objects.filter(
        service_id__in=ids, taxonomy_term_id__in=list(terms)
    ).values_list("service_id", "taxonomy_term_id"):
        needs.setdefault(service_id, set()).add(terms[term_id])
    areas: dict[uuid.UUID, set[int]] = {}
    for service_id, area_id in ServiceArea.community_areas.through.objects.filter(
        servicearea__service_id__in=ids
    ).values_list("servicearea__service_id", "communityarea_id"):
        areas.setdefault(service_id, set()).add(area_id)
    main = {
        spec.name: spec.needs[0].value for specs in PROVIDER_SERVICES.values() for spec in specs
    }
    return [
        DirectoryService(
            pk,
            name,
            organization_id,
            frozenset(needs.get(pk, ())),
            frozenset(areas.get(pk, ())),
            main.get(name),
        )
        for pk, name, organization_id in rows
    ]


@dataclass
class Rows:
    tables: dict[type[models.Model], list[tuple]] = field(
        default_factory=lambda: {model: [] for model in FIELDS}
    )

    def add(self, model: type[models.Model], *values) -> None:
        self.tables[model].append(values)

    def insert(self) -> None:
        for model, rows in self.tables.items():
            if rows:
                insert_rows(model, FIELDS[model], rows)
                rows.clear()


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


class CaseGenerator:
    def __init__(
        self,
        *,
        coalition: Coalition,
        seed: int,
        now: datetime,
        template: AssessmentTemplate,
        services: Sequence[DirectoryService],
    ):
        self.coalition = coalition
        self.seed = seed
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localtime(now, self.tz).date()
        self.template = template
        self.keys = template.domain_keys()
        # Goals and referrals need a Domain; a later template may rate others too.
        self.domains = [key for key in self.keys if key in Domain.values]
        self.services = list(services)
        self.by_name = {s.name: s for s in self.services}
        # Person id -> the day their re-entry plan began: they were inside from then on,
        # so their street contacts since then go (end_street_contacts).
        self.inside_since: dict[uuid.UUID, date] = {}
        # Receiving organization -> the staff who act on referrals there; the
        # well-known sign-ins (legal@, clinician@…) act on casemanager@'s.
        self.receivers = {
            coalition.provider_ids[spec.name]: coalition.staff.get((spec.name, spec.specialist), [])
            for spec in PROVIDERS
        }
        self.demo_receivers = {
            coalition.provider_ids[spec.name]: coalition.base_user(spec.name, spec.specialist)
            for spec in PROVIDERS
        }

    # --- helpers

    def _moment(self, rng: random.Random, day: date) -> datetime:
        """A moment of office hours on the day."""
        return datetime.combine(day, time(rng.randint(9, 17), rng.randrange(60)), tzinfo=self.tz)

    def _day(self, rng: random.Random, first: date, last: date) -> date:
        return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))

    def _ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def services_for(self, domain: str, area_id: int) -> list[DirectoryService]:
        return [s for s in self.services if domain in s.needs and area_id in s.area_ids]

    # --- the case

    def case(
        self,
        i: int,
        person: PersonRow,
        managed_on: date | None,
        shares: dict[uuid.UUID, tuple[uuid.UUID, date]],
        demo: DemoCase | None,
        rows: Rows,
        *,
        with_plan: bool = True,
    ) -> None:
        rng = random.Random(f"peacehub-demo/{self.seed}/person/{i}/case")
        today = self.today
        manager = person.case_manager_id
        created_on = timezone.localtime(person.created_at, self.tz).date()
        if managed_on is None or managed_on >= today:
            managed_on = self._ago(rng.randint(30, 300))
        if (today - managed_on).days <= HISTORY_DAYS:
            opened_on = managed_on
        else:
            opened_on = self._ago(rng.randint(300, HISTORY_DAYS))
        opened_on = min(max(opened_on, created_on), self._ago(1))
        incarcerated = demo.release_in is not None if demo else rng.random() < REENTRY_SHARE
        case_id = demo_id(f"{person.id}/case")
        rows.add(
            Case, case_id, person.id, person.organization_id, manager, opened_on, None, "", manager
        )

        # Assessments: the first at intake, then about every 90 days.
        intake_on = min(opened_on + timedelta(days=rng.choice([0, 0, 0, 1, 2])), self._ago(1))
        first_on = min(intake_on + timedelta(days=rng.choice([0, 0, 1, 3, 7])), self._ago(1))
        age = (today - first_on).days
        if rng.random() < OVERDUE_SHARE and age >= 92:
            last_on = self._ago(rng.randint(92, min(age, 150)))
        elif age <= 85:
            last_on = first_on
        else:
            last_on = self._ago(rng.randint(1, min(85, age - 60)))
        span = (last_on - first_on).days
        if span < 60:
            dates = [first_on]
        else:
            count = min(4, 1 + round(span / 90))
            dates = [
                first_on
                + timedelta(
                    days=round(span * k / (count - 1))
                    + (rng.randint(-4, 4) if 0 < k < count - 1 else 0)
                )
                for k in range(count)
            ]
        forced = [r.domain.value for r in demo.referrals] if demo else []
        ratings = {
            key: rng.choice([1, 2])
            if key in forced
            else rng.choices(range(1, 6), [10, 22, 30, 24, 14])[0]
            for key in self.domains
        }
        first_ratings = dict(ratings)
        for k, day in enumerate(dates):
            assessment_id = demo_id(f"{case_id}/assessment/{k}")
            rows.add(
                Assessment,
                assessment_id,
                case_id,
                self.template.pk,
                day,
                manager,
                self._moment(rng, day),
            )
            if k:
                for key, rating in ratings.items():
                    step = rng.choices([-1, 0, 1, 2], [12, 43, 35, 10])[0]
                    ratings[key] = min(5, max(1, rating + step))
            for key in self.keys:
                rating = ratings.get(key) or rng.randint(1, 5)
                rows.add(AssessmentRating, assessment_id, key, rating, "")

        # Goals in the domains rated lowest at the first assessment.
        order = sorted(
            self.domains,
            key=lambda key: (key not in forced, first_ratings[key], rng.random()),
        )
        goal_domains = order[: max(rng.choices([2, 3, 4], [40, 40, 20])[0], len(forced))]
        goals_on = min(dates[0] + timedelta(days=rng.randint(0, 10)), self._ago(1))
        for k, domain in enumerate(goal_domains):
            self._goal(rng, rows, case_id, k, domain, goals_on, manager)

        # The intake.
        reasons = [rng.choice(NEEDS[D(domain)]) for domain in goal_domains[:2]]
        if incarcerated:
            referred_by = ReferredBy.REENTRY if rng.random() < 0.7 else ReferredBy.OUTREACH
            reasons.insert(0, COMING_HOME)
        else:
            referred_by = _weighted(rng, REFERRED_BY)
        safety = rng.random() < 0.08
        rows.add(
            Intake,
            case_id,
            intake_on,
            referred_by,
            " ".join(reasons),
            safety,
            rng.choice(SAFETY_NOTES) if safety else "",
            manager,
        )

        # Case notes.
        count = rng.choices([1, 2, 3], [35, 40, 25])[0]
        for k, day in enumerate(
            sorted(self._day(rng, opened_on, self._ago(1)) for _ in range(count))
        ):
            kind = NoteType.GENERAL
            if D.EMPLOYMENT in goal_domains and rng.random() < 0.4:
                kind = NoteType.EMPLOYMENT
            rows.add(
                CaseNote,
                demo_id(f"{case_id}/note/{k}"),
                person.id,
                person.organization_id,
                kind,
                rng.choice(CASE_NOTES[kind]),
                day,
                manager,
                self._moment(rng, day),
            )

        if incarcerated:
            if with_plan:
                release_in = demo.release_in if demo else rng.randint(3, 150)
                self.reentry(rng, person, rows, release_in, opened_on, manager)
            return

        # Referrals, for about half of the cases.
        wanted: list[tuple[DirectoryService, str, DemoReferral | None]] = []
        if demo:
            for spec in demo.referrals:
                service = self.by_name.get(spec.service)
                if service and person.community_area_id in service.area_ids:
                    wanted.append((service, spec.domain.value, spec))
        elif rng.random() < REFERRAL_SHARE:
            count = rng.choices([1, 2], [65, 35])[0]
            for domain in goal_domains:
                candidates = [
                    s
                    for s in self.services_for(domain, person.community_area_id)
                    if s not in {w[0] for w in wanted}
                ]
                if candidates and len(wanted) < count:
                    weights = [4 if s.main_need == domain else 1 for s in candidates]
                    wanted.append((rng.choices(candidates, weights)[0], domain, None))
        # From the intake on (a pressing need is referred at once).
        earliest = max(intake_on, self._ago(HISTORY_DAYS - 1))
        receivers = [service.organization_id for service, _, _ in wanted]
        for k, (service, domain, spec) in enumerate(wanted):
            # A consent is revoked only where no other referral relies on it.
            alone = receivers.count(service.organization_id) == 1
            self._referral(
                rng, rows, person, case_id, k, service, domain, spec, shares, earliest, alone
            )

    def _goal(self, rng, rows, case_id, k, domain, created_on, manager) -> None:
        goal_id = demo_id(f"{case_id}/goal/{k}")
        target = created_on + timedelta(days=rng.randint(30, 240))
        if target < self.today:
            status = _weighted(
                rng,
                {
                    GoalStatus.MET: 50,
                    GoalStatus.IN_PROGRESS: 22,
                    GoalStatus.NOT_STARTED: 8,
                    GoalStatus.DROPPED: 20,
                },
            )
        else:
            status = _weighted(
                rng,
                {GoalStatus.IN_PROGRESS: 55, GoalStatus.NOT_STARTED: 30, GoalStatus.MET: 15},
            )
        rows.add(
            Goal,
            goal_id,
            case_id,
            domain,
            rng.choice(GOALS[D(domain)]),
            target,
            status,
            manager,
            self._moment(rng, created_on),
        )
        # Progress: a step in progress on the way, then the end for met or dropped goals.
        last = self._ago(1)
        steps: list[tuple[str, date]] = []
        if status == GoalStatus.MET:
            met_on = min(max(target - timedelta(days=rng.randint(0, 30)), created_on), last)
            if rng.random() < 0.6:
                steps.append((GoalStatus.IN_PROGRESS, self._day(rng, created_on, met_on)))
            steps.append((GoalStatus.MET, met_on))
        elif status == GoalStatus.IN_PROGRESS:
            steps.append((GoalStatus.IN_PROGRESS, self._day(rng, created_on, last)))
        elif status == GoalStatus.DROPPED:
            steps.append((GoalStatus.DROPPED, self._day(rng, created_on, last)))
        for n, (step, day) in enumerate(sorted(steps, key=lambda s: s[1])):
            note = (
                rng.choice(PROGRESS_NOTES[step])
                if step != GoalStatus.IN_PROGRESS or rng.random() < 0.5
                else ""
            )
            rows.add(
                GoalProgress, demo_id(f"{goal_id}/progress/{n}"), goal_id, day, step, note, manager
            )

    # --- referrals

    def _path(self, rng: random.Random, final: str) -> list[str]:
        ladder = [S.SENT, S.RECEIVED, S.ACCEPTED, S.FIRST_APPOINTMENT, S.IN_SERVICE]
        if final in ladder:
            return ladder[: ladder.index(final) + 1]
        if final == S.COMPLETED:
            return [*ladder, S.COMPLETED]
        if final == S.DECLINED:
            return [S.SENT, S.RECEIVED, S.DECLINED]
        return [*ladder[: rng.choices(range(1, 6), [15, 25, 20, 15, 25])[0]], S.CLOSED]

    def _referral(
        self,
        rng: random.Random,
        rows: Rows,
        person: PersonRow,
        case_id: uuid.UUID,
        k: int,
        service: DirectoryService,
        domain: str,
        spec: DemoReferral | None,
        shares: dict[uuid.UUID, tuple[uuid.UUID, date]],
        earliest: date,
        alone: bool,
    ) -> None:
        receiving = service.organization_id
        if spec is not None:
            final, stale, revoke = spec.status, spec.stale, spec.revoked
        elif rng.random() < STALE_SHARE:
            final, stale, revoke = (
                _weighted(
                    rng,
                    {
                        S.SENT: 15,
                        S.RECEIVED: 30,
                        S.ACCEPTED: 25,
                        S.FIRST_APPOINTMENT: 15,
                        S.IN_SERVICE: 15,
                    },
                ),
                True,
                False,
            )
        else:
            final = _weighted(
                rng,
                {
                    S.SENT: 6,
                    S.RECEIVED: 6,
                    S.ACCEPTED: 10,
                    S.FIRST_APPOINTMENT: 10,
                    S.IN_SERVICE: 22,
                    S.COMPLETED: 22,
                    S.DECLINED: 10,
                    S.CLOSED: 14,
                },
            )
            stale, revoke = False, False
        revoke = (revoke or (spec is None and rng.random() < REVOKED_SHARE)) and alone
        existing = shares.get(receiving)
        if existing is not None:
            earliest = max(earliest, existing[1])

        # Days from one step to the next; the appointment a few days after it is made.
        path = self._path(rng, final)
        appointment_in = rng.randint(2, 10)
        gaps = [0.0]
        for step in path[1:]:
            low, high = {
                S.RECEIVED: (0, 3),
                S.ACCEPTED: (1, 6),
                S.DECLINED: (1, 7),
                S.FIRST_APPOINTMENT: (1, 5),
                S.IN_SERVICE: (appointment_in, appointment_in + 2),
                S.COMPLETED: (45, 150),
                S.CLOSED: (5, 40),
            }[step]
            gaps.append(rng.uniform(low, high))
        total = sum(gaps)
        window = (self.today - earliest).days
        if NEXT_STEPS[final]:  # still open
            last_ago = rng.randint(15, 45) if stale else rng.randint(1, 12)
        else:
            last_ago = rng.randint(1, max(1, window - round(total)))
        if window < 1:
            return  # opened today: nothing sent yet
        # A case too young for the whole story gets it faster (and less stale).
        if last_ago >= window:
            last_ago = max(1, window // 2)
        scale = min(1.0, (window - last_ago) / total) if total else 1.0
        last_day = self._ago(last_ago)
        moments: list[datetime] = []
        for n in range(len(path)):
            # Step n comes the sum of the later gaps before the last step.
            day = last_day - timedelta(days=round(sum(gaps[n + 1 :]) * scale))
            moment = self._moment(rng, day)
            if moments and moment <= moments[-1]:
                moment = moments[-1] + timedelta(minutes=rng.randint(5, 40))
            moments.append(moment)
        sent_at = moments[0]
        sent_day = timezone.localtime(sent_at, self.tz).date()

        # The consent to share with the receiving organization.
        withdrawn = False
        if existing is not None:
            consent_id = existing[0]
            revoke = False
        else:
            consent_id = demo_id(f"{person.id}/consent/share/{receiving}")
            given_on = max(sent_day - timedelta(days=rng.randint(0, 3)), earliest)
            given_on = min(given_on, sent_day)
            scope = rng.choices(
                [["phone"], ["date_of_birth", "phone"], ["community_area"]], [85, 10, 5]
            )[0]
            revoked_at = revoked_by = None
            note = ""
            if revoke:
                revoked_at = min(
                    moments[-1] + timedelta(hours=rng.randint(2, 24 * max(last_ago - 1, 1))),
                    self.now - timedelta(minutes=5),
                )
                revoked_at = max(revoked_at, moments[-1] + timedelta(minutes=1))
                revoked_by, note = person.case_manager_id, rng.choice(REVOCATION_NOTES)
                if NEXT_STEPS[final]:
                    # Revoking closes what the consent still carried, in the same moment.
                    path.append(S.CLOSED)
                    moments.append(revoked_at + timedelta(seconds=1))
                    final = S.CLOSED
                    withdrawn = True
            rows.add(
                Consent,
                consent_id,
                person.id,
                ConsentKind.SHARE,
                receiving,
                scope,
                rng.choices(list(Consent.Method), [80, 20])[0],
                given_on,
                given_on + timedelta(days=365),
                person.case_manager_id,
                self._moment(rng, given_on),
                revoked_at,
                revoked_by,
                note,
            )
            if not revoke:
                shares[receiving] = (consent_id, given_on)

        referral_id = demo_id(f"{case_id}/referral/{k}")
        if service.name == IPV_GROUPS:
            reasons = IPV_REASONS
        else:
            reasons = REFERRAL_REASONS.get(D(domain)) or [f"Help with {D(domain).label.lower()}."]
        if spec is not None and receiving in self.demo_receivers:
            receiver = self.demo_receivers[receiving]
        else:
            receiver = rng.choice(self.receivers.get(receiving) or [None])
        first_appointment_at = None
        events = []
        for n, (step, moment) in enumerate(zip(path, moments, strict=True)):
            by, organization, note, code = receiver, receiving, "", ""
            if step == S.SENT:
                by, organization = person.case_manager_id, person.organization_id
            elif step == S.DECLINED:
                note = rng.choice(DECLINE_NOTES)
            elif step == S.CLOSED and withdrawn:
                by, organization = person.case_manager_id, person.organization_id
                code = EventCode.CONSENT_WITHDRAWN
            elif step == S.CLOSED:
                if rng.random() < 0.35:
                    by, organization = person.case_manager_id, person.organization_id
                    note = rng.choice(SENDER_CLOSE_NOTES)
                else:
                    note = rng.choice(RECEIVER_CLOSE_NOTES)
            elif step == S.FIRST_APPOINTMENT:
                day = timezone.localtime(moment, self.tz).date() + timedelta(days=appointment_in)
                first_appointment_at = datetime.combine(
                    day, time(rng.choice([10, 11, 13, 14, 15]), rng.choice([0, 30])), tzinfo=self.tz
                )
                if rng.random() < 0.3:
                    note = rng.choice(APPOINTMENT_NOTES)
            elif step == S.COMPLETED and rng.random() < 0.3:
                note = rng.choice(COMPLETION_NOTES)
            events.append((n, step, moment, by, organization, note, code))
        # The appointment fell between its booking and the next step (but for the
        # withdrawal of the consent, which may have come before the appointment).
        n = path.index(S.FIRST_APPOINTMENT) if first_appointment_at is not None else -1
        if 0 <= n < len(path) - 1 - int(withdrawn):
            booked_at, next_at = moments[n], moments[n + 1]
            if not booked_at < first_appointment_at < next_at:
                first_appointment_at = booked_at + (next_at - booked_at) / 2
        for n, step, moment, by, organization, note, code in events:
            rows.add(
                ReferralEvent,
                demo_id(f"{referral_id}/event/{n}"),
                referral_id,
                step,
                moment,
                by,
                organization,
                note,
                code,
                # The step that set the first appointment says which one (there is one).
                first_appointment_at if step == S.FIRST_APPOINTMENT else None,
            )
        rows.add(
            Referral,
            referral_id,
            person.id,
            person.organization_id,
            person.case_manager_id,
            case_id,
            service.id,
            receiving,
            consent_id,
            rng.choice(reasons),
            final,
            first_appointment_at,
            sent_at,
            moments[-1],
            None,
        )

    # --- re-entry

    def reentry(
        self,
        rng: random.Random,
        person: PersonRow,
        rows: Rows,
        release_in: int,
        since: date,
        worker: uuid.UUID,
    ) -> None:
        plan_id = demo_id(f"{person.id}/reentry")
        facilities = WOMEN_FACILITIES if person.gender == Gender.WOMAN else MEN_FACILITIES
        created_on = min(max(since, self._ago(rng.randint(20, 120))), self._ago(1))
        self.inside_since[person.id] = created_on
        rows.add(
            ReentryPlan,
            plan_id,
            person.id,
            person.organization_id,
            _weighted(rng, facilities),
            self.today + timedelta(days=release_in),
            None,
            rng.choice(REUNIFICATION_PLANS),
            worker,
            self._moment(rng, created_on),
        )
        count = rng.randint(1, 4)
        days = sorted(self._day(rng, created_on, self._ago(1)) for _ in range(count))
        for k, day in enumerate(days):
            kind = _weighted(
                rng,
                {
                    PreReleaseContact.Kind.VISIT: 35,
                    PreReleaseContact.Kind.CALL: 35,
                    PreReleaseContact.Kind.VIDEO: 20,
                    PreReleaseContact.Kind.LETTER: 10,
                },
            )
            note = rng.choice(PRE_RELEASE_NOTES[kind]) if rng.random() < 0.7 else ""
            rows.add(
                PreReleaseContact,
                demo_id(f"{plan_id}/contact/{k}"),
                plan_id,
                day,
                kind,
                note,
                worker,
            )
        chosen = sorted(rng.sample(range(len(REENTRY_SERVICES)), rng.randint(3, 5)))
        for k in chosen:
            domain, day, what = REENTRY_SERVICES[k]
            arranged = rng.random() < (0.7 if release_in <= 30 else 0.3)
            status = ReentryService.Status.ARRANGED if arranged else ReentryService.Status.PLANNED
            rows.add(
                ReentryService,
                demo_id(f"{plan_id}/service/{k}"),
                plan_id,
                domain,
                what,
                day,
                status,
            )

    def end_street_contacts(self) -> None:
        """The outreach contacts seeded for someone while they were inside, other than
        calls and pre-release visits, are removed: nobody meets a person on the
        corner who is in prison. (Their contacts were seeded before their plan; those
        people are skipped on a later run, so this runs once for each.)"""
        for person_id, day in self.inside_since.items():
            inside = datetime.combine(day, time(), tzinfo=self.tz)
            Contact.objects.filter(person_id=person_id, occurred_at__gte=inside).exclude(
                contact_type__in=[ContactType.PHONE, ContactType.PRE_RELEASE]
            ).delete()
        self.inside_since.clear()

    def identified_reentry(self, i: int, person: PersonRow, rows: Rows) -> None:
        """A few of those only identified are still incarcerated; their outreach worker
        plans with them."""
        rng = random.Random(f"peacehub-demo/{self.seed}/person/{i}/reentry")
        if rng.random() >= IDENTIFIED_REENTRY_SHARE:
            return
        worker = person.outreach_worker_id or person.created_by_id
        since = timezone.localtime(person.created_at, self.tz).date()
        self.reentry(rng, person, rows, rng.randint(3, 150), since, worker)


def _demo_positions(plan: CaseloadPlan) -> dict[int, int]:
    """Participant number -> place in casemanager@'s caseload."""
    positions: dict[int, int] = {}
    for i, assignment in enumerate(plan.assignments):
        if (
            assignment.profile.status == Status.CASE_MANAGEMENT
            and assignment.case_manager == DEMO_CASE_MANAGER_SLOT
        ):
            positions[i] = len(positions)
    return positions


def cases_seed(*, coalition: Coalition, plan: CaseloadPlan, now: datetime) -> int:
    """Add the cases (with everything in them), referrals and re-entry plans of the
    plan's participants who have none yet. Returns how many cases were opened. Call
    inside a transaction, after people_seed and services_seed."""
    generator = CaseGenerator(
        coalition=coalition,
        seed=plan.seed,
        now=now,
        template=current_template(),
        services=directory_services(coalition),
    )
    positions = _demo_positions(plan)
    rows = Rows()
    opened = 0
    count = len(plan.assignments)
    for start in range(0, count, PEOPLE_PER_QUERY):
        numbers = {
            demo_id(f"{plan.seed}/person/{i}"): i
            for i in range(start, min(count, start + PEOPLE_PER_QUERY))
        }
        ids = list(numbers)
        people = [
            PersonRow(*row)
            for row in Person.objects.filter(
                pk__in=ids, status__in=[Status.CASE_MANAGEMENT, Status.IDENTIFIED]
            )
            .order_by()
            .values_list(*PERSON_FIELDS)
        ]
        with_case = set(
            Case.objects.filter(person_id__in=ids).order_by().values_list("person_id", flat=True)
        )
        with_plan = set(
            ReentryPlan.objects.filter(person_id__in=ids)
            .order_by()
            .values_list("person_id", flat=True)
        )
        people.sort(key=lambda p: numbers[p.id])
        for person in people:
            if person.status == Status.IDENTIFIED and person.id not in with_plan:
                generator.identified_reentry(numbers[person.id], person, rows)
        managed = [
            p
            for p in people
            if p.status == Status.CASE_MANAGEMENT
            and p.case_manager_id is not None
            and p.id not in with_case
        ]
        if not managed:
            rows.insert()
            generator.end_street_contacts()
            continue
        managed_ids = [p.id for p in managed]
        # When they came into case management, and their current consents to share.
        managed_on: dict[uuid.UUID, date] = {}
        for pk, changed_at in (
            StatusChange.objects.filter(person_id__in=managed_ids, to_status=Status.CASE_MANAGEMENT)
            .order_by("changed_at")
            .values_list("person_id", "changed_at")
        ):
            managed_on[pk] = timezone.localtime(changed_at, generator.tz).date()
        shares: dict[uuid.UUID, dict[uuid.UUID, tuple[uuid.UUID, date]]] = {}
        for pk, recipient, consent_id, given_on in (
            Consent.objects.current(on=generator.today)
            .filter(person_id__in=managed_ids, kind=ConsentKind.SHARE)
            .order_by("given_on", "pk")
            .values_list("person_id", "recipient_id", "pk", "given_on")
        ):
            shares.setdefault(pk, {}).setdefault(recipient, (consent_id, given_on))
        for person in managed:
            i = numbers[person.id]
            position = positions.get(i)
            generator.case(
                i,
                person,
                managed_on.get(person.id),
                shares.get(person.id, {}),
                DEMO_CASES.get(position) if position is not None else None,
                rows,
                with_plan=person.id not in with_plan,
            )
            opened += 1
        rows.insert()
        generator.end_street_contacts()
    return opened
