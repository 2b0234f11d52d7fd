"""Synthetic participants: names, ages, status histories, eligibility checklists and
consents, spread over the demo partners.

Person number i is drawn from its own random generator, seeded with the run's seed and
i, and has the id uuid5(DEMO_NAMESPACE, f"{seed}/person/{i}"). So person i is the same
whatever the number of people asked for, a second run finds every person already there,
and a larger --people adds only the difference. People who already exist are skipped
whole: their status history, checklist and consents are never added to twice.
Dates count back from the day of the run, so a run on a later day dates its new
people from that day; people already there keep theirs.

Person i's organization, area and status come first from that generator
(peacehub.demo.caseloads.draw_profile), which assigns the outreach worker and case
manager; everything else follows from the same generator.

Rough proportions, after street-outreach caseloads: mostly men aged 16 to 35; about a
third with Latino names, half of whom prefer Spanish; statuses 20% identified, 40%
engaged, 30% in case management, 10% closed. Every date falls in the last 18 months.
Everyone who reached case management got there through an accepted introduction; a
few engaged participants have an introduction pending or returned.
Phone numbers are all 555-01xx, the range reserved for fiction. Eligibility notes say
how a worker knows a criterion holds; none names a group, a gang or a "set".
"""

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peacehub.demo import names
from peacehub.demo.caseloads import (
    DEMO_CASE_MANAGER_SLOT,
    Assignment,
    CaseloadPlan,
    draw_profile,
    person_rng,
)
from peacehub.demo.coalition import (
    PARTNERS,
    PROVIDERS,
    Coalition,
    PartnerSpec,
    ascii_fold,
    demo_id,
)
from peacehub.outreach.models import Introduction, IntroductionStatus
from peacehub.people.eligibility import Criterion
from peacehub.people.models import (
    ClosureReason,
    Consent,
    ConsentKind,
    EligibilityCheck,
    Gender,
    Language,
    Person,
    ShareScope,
    Status,
    StatusChange,
)
from peacehub.people.services import person_refresh_search

DEFAULT_SEED = 2026
BATCH_SIZE = 1000
HISTORY_DAYS = 540  # about 18 months

CLOSURE_WEIGHTS = {
    ClosureReason.GOALS_MET: 30,
    ClosureReason.LOST_CONTACT: 25,
    ClosureReason.MOVED: 12,
    ClosureReason.DECLINED: 12,
    ClosureReason.INCARCERATED: 10,
    ClosureReason.DECEASED: 3,
    ClosureReason.OTHER: 8,
}
OTHER_CLOSURE_NOTES = [
    "Enrolled in a residential program out of state.",
    "Joined the military.",
    "Now served by a program closer to {their} family.",
]
ENGAGED_NOTES = [
    "Met at a Light in the Night event.",
    "Introduced by a family member.",
    "Met during a hospital visit.",
    "Kept coming to the basketball nights.",
]
CASE_MANAGEMENT_NOTES = [
    "Introduced to a case manager by {their} outreach worker.",
    "Asked for help with a job and {their} record.",
    "Intake done; service plan started.",
]
ELIGIBILITY_NOTES = {
    Criterion.RECENT_GUNSHOT_VICTIM: [
        "Told us {self}",
        "Hospital program referral",
        "{Their} mother told us",
        "Met at the bedside by our victim advocate",
    ],
    Criterion.RECENTLY_RELEASED: [
        "Told us {self}",
        "Re-entry program referral",
        "{Their} family told us",
    ],
    Criterion.ACTIVE_CONFLICT: [
        "Told us {self}",
        "Outreach team knows of the conflict",
        "Came up during a mediation",
    ],
    Criterion.FAMILY_OF_VICTIM: [
        "Told us {self}",
        "{Their} cousin was shot this year",
        "Met at a vigil; told us {self}",
    ],
    Criterion.HOSPITAL_REFERRAL: [
        "Hospital program referral",
        "Referred by the trauma center's violence intervention team",
    ],
}
CONTESTED_NOTES = [
    "Says the conflict was settled months ago.",
    "Says this was never true.",
]
REVOCATION_NOTES = [
    "Asked us to stop sharing.",
    "No longer needs the referral.",
    "Changed their mind after talking with family.",
]
INTRODUCTION_SUMMARIES = [
    "Wants help getting a state ID and starting the GED.",
    "Ready to look for work; has a court date next month.",
    "Asked for help finding a place to stay.",
    "Coming home soon; needs a plan for the first weeks.",
    "Family asked us to connect them with a case manager.",
    "Wants to get back into school.",
    "Needs help with a record and a job application.",
]
RETURN_REASONS = [
    "Not ready yet; asked us to try again in a month.",
    "My caseload is full this month; please introduce to a colleague.",
    "Wants to wait until after the court date.",
    "Moved out of the area for now.",
]
# Engaged participants with an introduction waiting, or returned; more for
# casemanager@, so that the sign-in shows some.
PENDING_SHARE, DEMO_PENDING_SHARE, RETURNED_SHARE = 0.03, 0.2, 0.03
AREA_CODES = ["773", "773", "773", "312", "872"]
# Short forms, also for names whose accents were dropped (Jesus as well as Jesús).
PREFERRED_NAMES = {
    **{ascii_fold(name): short for name, short in names.PREFERRED_NAMES.items()},
    **names.PREFERRED_NAMES,
}


def _pronouns(gender: str) -> dict[str, str]:
    if gender == Gender.MAN:
        return {"self": "himself", "Their": "His", "their": "his"}
    if gender == Gender.WOMAN:
        return {"self": "herself", "Their": "Her", "their": "her"}
    return {"self": "themselves", "Their": "Their", "their": "their"}


@dataclass
class PersonRows:
    person: Person
    status_changes: list[StatusChange] = field(default_factory=list)
    checks: list[EligibilityCheck] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    introductions: list[Introduction] = field(default_factory=list)


class PeopleGenerator:
    def __init__(self, *, coalition: Coalition, plan: CaseloadPlan, seed: int, today: date):
        self.coalition = coalition
        self.plan = plan
        self.seed = seed
        self.today = today
        self.tz = timezone.get_current_timezone()

    def person_id(self, i: int) -> uuid.UUID:
        return demo_id(f"{self.seed}/person/{i}")

    def _moment(self, rng: random.Random, day: date) -> datetime:
        return datetime.combine(
            day, time(rng.randint(9, 20), rng.randrange(60), rng.randrange(60)), tzinfo=self.tz
        )

    def _names(self, rng: random.Random, spec: PartnerSpec, gender: str):
        """(first, last, language, nickname pool)."""
        woman = gender == Gender.WOMAN or (gender != Gender.MAN and rng.random() < 0.5)
        if rng.random() < spec.latino_share:
            if rng.random() < 0.12:  # a Latino participant with an English first name
                first = rng.choice(
                    names.ENGLISH_FEMALE_FIRST if woman else names.ENGLISH_MALE_FIRST
                )
            else:
                first = rng.choice(
                    names.SPANISH_FEMALE_FIRST if woman else names.SPANISH_MALE_FIRST
                )
            last = rng.choice(names.SPANISH_SURNAMES)
            if rng.random() < 0.12:
                last = f"{last} {rng.choice(names.SPANISH_SURNAMES)}"
            if rng.random() < 0.4:  # many US records drop the accents
                first, last = ascii_fold(first), ascii_fold(last)
            language = Language.SPANISH if rng.random() < 0.5 else Language.ENGLISH
            return first, last, language, names.NICKNAMES_SPANISH
        first = rng.choice(names.ENGLISH_FEMALE_FIRST if woman else names.ENGLISH_MALE_FIRST)
        return first, rng.choice(names.ENGLISH_SURNAMES), Language.ENGLISH, names.NICKNAMES_ENGLISH

    def rows(self, i: int) -> PersonRows:
        rng = person_rng(self.seed, i)
        profile = draw_profile(rng, i)
        assignment = self.plan.assignments[i]
        assert assignment.profile == profile
        spec = PARTNERS[profile.partner]
        organization_id = self.coalition.partner_ids[spec.name]
        area_number = profile.area
        area_id, area_name = self.coalition.areas[area_number]
        gender = rng.choices(
            [Gender.MAN, Gender.WOMAN, Gender.NON_BINARY, Gender.NOT_STATED], [82, 15, 1, 2]
        )[0]
        first, last, language, nickname_pool = self._names(rng, spec, gender)
        preferred = PREFERRED_NAMES.get(first, "")
        preferred = preferred if preferred and rng.random() < 0.5 else ""
        nickname_count = rng.choices([0, 1, 2], [70, 25, 5])[0]
        nicknames = ", ".join(rng.sample(nickname_pool, nickname_count))

        # A history that leads to the status, inside the last 18 months.
        status = profile.status
        path = [Status.IDENTIFIED]
        if status != Status.IDENTIFIED:
            path.append(Status.ENGAGED)
        if profile.reaches_case_management:
            path.append(Status.CASE_MANAGEMENT)
        if status == Status.CLOSED:
            path.append(Status.CLOSED)
        if status == Status.IDENTIFIED:
            start = rng.randrange(2, 240)  # still only identified: recently met
        else:
            start = rng.randrange(30 * len(path), HISTORY_DAYS)
        later = sorted(rng.sample(range(1, start), len(path) - 1), reverse=True)
        days = [self.today - timedelta(days=ago) for ago in [start, *later]]
        moments = [self._moment(rng, day) for day in days]
        identified_on = days[0]

        age = int(rng.triangular(16, 36, 21)) if rng.random() < 0.88 else rng.randint(36, 55)
        date_of_birth, estimated_birth_year = None, None
        if rng.random() < 0.8:
            date_of_birth = identified_on - timedelta(days=int(age * 365.25) + rng.randrange(365))
        else:
            estimated_birth_year = identified_on.year - age
        phone = ""
        if rng.random() < 0.85:
            phone = f"({rng.choice(AREA_CODES)}) 555-01{rng.randrange(100):02d}"

        outreach = self.coalition.slot_user(assignment.outreach)
        case_manager = self.coalition.slot_user(assignment.case_manager)
        person_id = self.person_id(i)
        person = Person(
            id=person_id,
            organization_id=organization_id,
            legal_first_name=first,
            legal_last_name=last,
            preferred_name=preferred,
            nicknames=nicknames,
            date_of_birth=date_of_birth,
            estimated_birth_year=estimated_birth_year,
            gender=gender,
            preferred_language=language,
            phone=phone,
            community_area_id=area_id,
            status=status,
            outreach_worker_id=outreach if assignment.outreach_assigned else None,
            case_manager_id=case_manager if assignment.case_manager_assigned else None,
            status_changed_at=moments[-1],
            created_at=moments[0],
            updated_at=moments[-1],
            created_by_id=outreach,
        )
        person_refresh_search(person)
        rows = PersonRows(person)

        # Status history, oldest first.
        words = _pronouns(gender)
        previous = ""
        reached_case_management = False
        for k, (step, moment) in enumerate(zip(path, moments, strict=True)):
            reason, note, by = "", "", outreach
            if step == Status.ENGAGED and rng.random() < 0.3:
                note = rng.choice(ENGAGED_NOTES)
            elif step == Status.CASE_MANAGEMENT:
                reached_case_management = True
                by = case_manager
                if rng.random() < 0.3:
                    note = rng.choice(CASE_MANAGEMENT_NOTES).format(**words)
            elif step == Status.CLOSED:
                reason = rng.choices(list(CLOSURE_WEIGHTS), list(CLOSURE_WEIGHTS.values()))[0]
                by = case_manager if reached_case_management else outreach
                if reason == ClosureReason.OTHER:
                    note = rng.choice(OTHER_CLOSURE_NOTES).format(**words)
            rows.status_changes.append(
                StatusChange(
                    id=demo_id(f"{person_id}/status/{k}"),
                    person_id=person_id,
                    from_status=previous,
                    to_status=step,
                    reason=reason,
                    note=note,
                    changed_at=moment,
                    changed_by_id=by,
                )
            )
            previous = step

        # The eligibility checklist: one to three criteria that hold, for most people.
        if rng.random() < 0.9:
            pool = list(ELIGIBILITY_NOTES)
            if 16 <= age <= 35:
                pool.append(Criterion.AGE_BAND)
            pool.append(Criterion.FOCUS_AREA)
            checked_on = min(identified_on + timedelta(days=rng.randrange(15)), self.today)
            for criterion in rng.sample(pool, rng.choices([1, 2, 3], [45, 35, 20])[0]):
                if criterion == Criterion.AGE_BAND:
                    note = "From the date of birth" if date_of_birth else "The age given to us"
                elif criterion == Criterion.FOCUS_AREA:
                    note = rng.choice([f"Lives in {area_name}", f"Spends days in {area_name}"])
                else:
                    note = rng.choice(ELIGIBILITY_NOTES[criterion]).format(**words)
                contested = ""
                if criterion == Criterion.ACTIVE_CONFLICT and rng.random() < 0.1:
                    contested = rng.choice(CONTESTED_NOTES)
                rows.checks.append(
                    EligibilityCheck(
                        id=demo_id(f"{person_id}/eligibility/{criterion}"),
                        person_id=person_id,
                        criterion=criterion,
                        met=True,
                        checked_on=checked_on,
                        note=note,
                        contested_note=contested,
                        recorded_by_id=outreach,
                        recorded_at=self._moment(rng, checked_on),
                    )
                )

        # Consents: services from engagement on; evaluation for most of those; a
        # sharing consent with a service provider for a few.
        if status != Status.IDENTIFIED:
            engaged_on, engaged_at = days[1], moments[1]
            rows.consents.append(
                Consent(
                    id=demo_id(f"{person_id}/consent/services"),
                    person_id=person_id,
                    kind=ConsentKind.SERVICES,
                    method=rng.choices(list(Consent.Method), [70, 30])[0],
                    given_on=engaged_on,
                    recorded_by_id=outreach,
                    recorded_at=engaged_at,
                )
            )
            if rng.random() < 0.75:
                rows.consents.append(
                    Consent(
                        id=demo_id(f"{person_id}/consent/evaluation"),
                        person_id=person_id,
                        kind=ConsentKind.EVALUATION,
                        method=Consent.Method.SIGNED,
                        given_on=engaged_on,
                        recorded_by_id=outreach,
                        recorded_at=engaged_at,
                    )
                )
            if rng.random() < 0.1:
                # Shared between engagement and today, or the closing day.
                rows.consents.append(
                    self._share(
                        rng,
                        person_id,
                        area_number,
                        (days[1], days[-1] if status == Status.CLOSED else self.today),
                        outreach,
                        case_manager,
                    )
                )
        self._introductions(rng, rows, assignment, path, moments, outreach, case_manager)
        return rows

    def _introductions(
        self,
        rng: random.Random,
        rows: PersonRows,
        assignment: Assignment,
        path: list[str],
        moments: list[datetime],
        outreach: uuid.UUID,
        case_manager: uuid.UUID,
    ) -> None:
        """The accepted introduction of everyone who reached case management; a pending
        or returned one for a few of the engaged."""
        person = rows.person
        if Status.CASE_MANAGEMENT in path:
            engaged_at, accepted_at = moments[1], moments[path.index(Status.CASE_MANAGEMENT)]
            days = min(rng.randint(1, 10), (accepted_at - engaged_at).days)
            created_at = max(
                accepted_at - timedelta(days=days, hours=rng.randint(1, 5)), engaged_at
            )
            status, decided_at, reason = IntroductionStatus.ACCEPTED, accepted_at, ""
        elif person.status == Status.ENGAGED:
            draw = rng.random()
            pending = (
                DEMO_PENDING_SHARE
                if assignment.case_manager == DEMO_CASE_MANAGER_SLOT
                else PENDING_SHARE
            )
            since = max((self.today - moments[1].date()).days, 2)
            created_at = self._moment(rng, self.today - timedelta(days=rng.randint(1, since - 1)))
            if draw < pending:
                status, decided_at, reason = IntroductionStatus.PENDING, None, ""
                created_at = self._moment(
                    rng, self.today - timedelta(days=rng.randint(1, min(since - 1, 12)))
                )
            elif draw < pending + RETURNED_SHARE:
                status, reason = IntroductionStatus.RETURNED, rng.choice(RETURN_REASONS)
                decided_at = min(
                    created_at + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 8)),
                    self._moment(rng, self.today - timedelta(days=1)),
                )
                decided_at = max(decided_at, created_at)
            else:
                return
        else:
            return
        rows.introductions.append(
            Introduction(
                id=demo_id(f"{person.pk}/introduction"),
                person_id=person.pk,
                organization_id=person.organization_id,
                introduced_by_id=outreach,
                case_manager_id=case_manager,
                summary=rng.choice(INTRODUCTION_SUMMARIES),
                status=status,
                return_reason=reason,
                created_at=created_at,
                decided_at=decided_at,
            )
        )

    def _share(
        self,
        rng: random.Random,
        person_id: uuid.UUID,
        area_number: int,
        window: tuple[date, date],
        outreach: uuid.UUID,
        case_manager: uuid.UUID,
    ) -> Consent:
        providers = [p for p in PROVIDERS if p.areas is None or area_number in p.areas]
        provider = rng.choices(providers, [p.share_weight for p in providers])[0]
        first_day, last_day = window
        given_on = first_day + timedelta(days=rng.randrange((last_day - first_day).days + 1))
        recorder = rng.choice([outreach, case_manager])
        consent = Consent(
            id=demo_id(f"{person_id}/consent/share"),
            person_id=person_id,
            kind=ConsentKind.SHARE,
            recipient_id=self.coalition.provider_ids[provider.name],
            scope=sorted(rng.sample(list(ShareScope.values), rng.randint(1, 3))),
            method=rng.choices(list(Consent.Method), [80, 20])[0],
            given_on=given_on,
            expires_on=given_on + timedelta(days=365),
            recorded_by_id=recorder,
            recorded_at=self._moment(rng, given_on),
        )
        if rng.random() < 0.2 and given_on < self.today:
            revoked_on = given_on + timedelta(
                days=rng.randrange(1, (self.today - given_on).days + 1)
            )
            consent.revoked_at = self._moment(rng, revoked_on)
            consent.revoked_by_id = recorder
            consent.revocation_note = rng.choice(REVOCATION_NOTES)
        return consent


def _chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def people_seed(*, coalition: Coalition, plan: CaseloadPlan, seed: int, today: date) -> int:
    """Create the plan's people who do not exist yet, with their history, checklist,
    consents and introductions. Returns how many people were created. Call inside a
    transaction."""
    generator = PeopleGenerator(coalition=coalition, plan=plan, seed=seed, today=today)
    count = len(plan.assignments)
    created = 0
    for numbers in _chunks(count, BATCH_SIZE):
        ids = {generator.person_id(i): i for i in numbers}
        existing = set(Person.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
        batch = [generator.rows(i) for pk, i in ids.items() if pk not in existing]
        if not batch:
            continue
        Person.objects.bulk_create(
            [rows.person for rows in batch], batch_size=BATCH_SIZE, ignore_conflicts=True
        )
        StatusChange.objects.bulk_create(
            [c for rows in batch for c in rows.status_changes],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        EligibilityCheck.objects.bulk_create(
            [c for rows in batch for c in rows.checks],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        Consent.objects.bulk_create(
            [c for rows in batch for c in rows.consents],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        Introduction.objects.bulk_create(
            [c for rows in batch for c in rows.introductions],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        created += len(batch)
    return created
