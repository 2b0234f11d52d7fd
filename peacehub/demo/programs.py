"""Synthetic program clients at the demo's four service providers: workforce
milestones, legal matters, counseling sessions and the IPV program's groups.

A provider keeps its own records. Its clients here are its own synthetic people, not
the partners' participants: in real life a referred person is added to the provider's
organization (with consent) and the two records never meet. Names come from
peacehub.demo.names, so a provider's client may share a name with someone elsewhere,
as real people do.

Client number i of a provider has the id uuid5(DEMO_NAMESPACE,
"programs/<provider>/person/<i>") and every row of theirs an id derived from it, so a
second run finds them and adds nothing. Dates count back from `today`, never after it.
The IPV program enrolls only people living in its pilot areas, each having confirmed
that participation is voluntary; its safety plans say what safety requires and never
name or locate a survivor. Session notes and legal notes are invented and bland.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peacehub.demo import names
from peacehub.demo.coalition import (
    BEHAVIORAL_HEALTH,
    IPV_PROGRAM,
    LEGAL_AID,
    PARTNERS,
    WORKFORCE,
    Coalition,
    ProviderSpec,
    ascii_fold,
    demo_id,
)
from peacehub.people.models import (
    Consent,
    ConsentKind,
    Gender,
    Language,
    Person,
    StatusChange,
)
from peacehub.people.services import person_refresh_search
from peacehub.programs.models import (
    RETENTION,
    Enrollment,
    EnrollmentStatus,
    ExitReason,
    Industry,
    LegalMatter,
    MatterOutcome,
    MatterStatus,
    MatterType,
    MilestoneKind,
    Program,
    ProgramSession,
    SessionFormat,
    WorkforceMilestone,
)
from peacehub.programs.services import ipv_pilot_areas

# Clients per provider: enough for a full first page, small enough to seed in seconds.
CLIENTS = {
    WORKFORCE.name: 32,
    LEGAL_AID.name: 28,
    BEHAVIORAL_HEALTH.name: 24,
    IPV_PROGRAM.name: 18,
}
PROGRAM_OF = {
    WORKFORCE.name: Program.WORKFORCE,
    LEGAL_AID.name: Program.LEGAL,
    BEHAVIORAL_HEALTH.name: Program.BEHAVIORAL_HEALTH,
    IPV_PROGRAM.name: Program.IPV,
}
HISTORY_DAYS = 420

# Invented employers, unlike any real Chicago business.
EMPLOYERS = {
    Industry.CONSTRUCTION: ["Southline Builders Co-op", "Prairie Block Construction"],
    Industry.FOOD_SERVICE: ["Greenleaf Community Kitchen", "Halsted Street Commissary"],
    Industry.PLUMBING: ["Two Rivers Plumbing & Heating"],
    Industry.ELECTRICAL: ["Lakeline Electric Services"],
    Industry.CARPENTRY: ["Kinzie Millwork Shop"],
    None: ["Midway Logistics Warehouse", "Cottage Grove Grocers", "Eastbank Property Care"],
}
SESSION_MINUTES = {
    SessionFormat.INDIVIDUAL: 50,
    SessionFormat.GROUP: 90,
    SessionFormat.FAMILY: 60,
}
EXIT_NOTES = ["Moved in with family downstate.", "Working nights; will come back."]

MATTER_WEIGHTS = {
    MatterType.HOUSING: 26,
    MatterType.EMPLOYMENT: 16,
    MatterType.PUBLIC_BENEFITS: 18,
    MatterType.CRIME_VICTIM: 16,
    MatterType.IMMIGRATION: 10,
    MatterType.DOMESTIC_VIOLENCE: 8,
    MatterType.ELDER_LAW: 3,
    MatterType.HUMAN_TRAFFICKING: 3,
}
MATTER_NOTES = {
    MatterType.HOUSING: [
        "Reviewed the eviction notice; filed an appearance.",
        "Repairs never made; wrote to the landlord.",
    ],
    MatterType.EMPLOYMENT: [
        "Final paycheck withheld; sent a demand letter.",
        "Background check denial; requested the report.",
    ],
    MatterType.PUBLIC_BENEFITS: [
        "SNAP benefits cut off; requested a fair hearing.",
        "Medicaid renewal lost in the mail; resubmitted.",
    ],
    MatterType.CRIME_VICTIM: [
        "Crime victim compensation claim for medical bills.",
        "Helped with the victim-impact statement.",
    ],
    MatterType.IMMIGRATION: [
        "Screened for U-visa eligibility.",
        "Work permit renewal prepared.",
    ],
    MatterType.DOMESTIC_VIOLENCE: ["Order of protection hearing prepared."],
    MatterType.ELDER_LAW: ["Power of attorney for a grandparent drafted."],
    MatterType.HUMAN_TRAFFICKING: ["Referred to the specialized trafficking unit; T-visa screen."],
}
OUTCOME_WEIGHTS = {
    MatterOutcome.RESOLVED_FAVORABLY: 45,
    MatterOutcome.SETTLED: 20,
    MatterOutcome.ADVICE_GIVEN: 20,
    MatterOutcome.UNFAVORABLE: 7,
    MatterOutcome.WITHDRAWN: 5,
    MatterOutcome.REFERRED_OUT: 3,
}
OUTCOME_NOTES = {
    MatterOutcome.RESOLVED_FAVORABLY: ["Case dismissed.", "Benefits restored with back pay."],
    MatterOutcome.SETTLED: ["Agreed move-out date with the deposit returned."],
    MatterOutcome.ADVICE_GIVEN: ["Explained the options; client will act alone."],
    MatterOutcome.UNFAVORABLE: ["Hearing lost; appeal not advised."],
    MatterOutcome.WITHDRAWN: ["Client chose not to go on."],
    MatterOutcome.REFERRED_OUT: ["Referred to a private attorney."],
}

BH_NOTES_EN = [
    "Worked on sleep and intrusive memories; practised grounding.",
    "Talked about grief after a friend's death; will journal this week.",
    "Anger triggers at work; rehearsed stepping away.",
    "Reviewed progress; fewer nightmares this month.",
]
BH_NOTES_ES = [
    "Trabajamos el sueño y los recuerdos intrusivos; practicó técnicas de anclaje.",
    "Habló del duelo por su primo; escribirá un diario esta semana.",
    "Revisamos avances; menos pesadillas este mes.",
]
IPV_INTAKE_NOTE = "Intake: went over the group rules and the safety plan; chose to join."
IPV_NOTES = [
    "Named the pattern of control; took part.",
    "Accountability letter, first draft.",
    "Jealousy and checking phones; gave an example from his week.",
    "Time-outs: practised the steps; says he used one at home.",
    "Quiet today; stayed for the whole group.",
]
SAFETY_PLANS = [
    "Warning signs: drinking, money stress. Agreed steps: leave the house and call the "
    "group facilitator before things escalate. Respects the order of protection. No "
    "firearms in the home (confirmed).",
    "Warning signs: jealousy over phone use. Agreed steps: no checking the partner's "
    "phone; time-out plan practised in group. The survivor is supported by an advocate "
    "at another agency; contact only through that advocate, with the survivor's consent.",
    "Warning signs: sleep loss, arguments about the children. Agreed steps: exchanges of "
    "the children only at the supervised exchange center; leave and call a sponsor when "
    "angry. Firearms: none owned (he confirmed; rechecked monthly).",
]


@dataclass
class ClientRows:
    person: Person
    status_change: StatusChange
    consent: Consent
    enrollment: Enrollment
    milestones: list[WorkforceMilestone] = field(default_factory=list)
    matters: list[LegalMatter] = field(default_factory=list)
    sessions: list[ProgramSession] = field(default_factory=list)


def _latino_share(area_number: int) -> float:
    shares = [p.latino_share for p in PARTNERS if area_number in p.areas]
    return max(shares) if shares else 0.2


class ProgramClients:
    def __init__(self, *, coalition: Coalition, today: date, base: int):
        self.coalition = coalition
        self.today = today
        self.base = base
        self.tz = timezone.get_current_timezone()

    def person_id(self, spec: ProviderSpec, i: int) -> uuid.UUID:
        return demo_id(f"programs/{spec.slug}/person/{i}")

    def _moment(self, rng: random.Random, day: date) -> datetime:
        return datetime.combine(day, time(rng.randint(9, 17), rng.randrange(60)), tzinfo=self.tz)

    def _areas(self, spec: ProviderSpec) -> list[int]:
        if spec.name == IPV_PROGRAM.name:
            return [n for n in ipv_pilot_areas() if n in self.coalition.areas]
        return sorted(self.coalition.areas)

    def rows(self, spec: ProviderSpec, i: int) -> ClientRows:
        rng = random.Random(f"peacehub-demo/programs/{self.base}/{spec.slug}/{i}")
        program = PROGRAM_OF[spec.name]
        organization_id = self.coalition.provider_ids[spec.name]
        area_number = rng.choice(self._areas(spec))
        man_share = {Program.IPV: 0.9, Program.WORKFORCE: 0.75}.get(program, 0.6)
        gender = Gender.MAN if rng.random() < man_share else Gender.WOMAN
        woman = gender == Gender.WOMAN
        if rng.random() < _latino_share(area_number):
            first = rng.choice(names.SPANISH_FEMALE_FIRST if woman else names.SPANISH_MALE_FIRST)
            last = rng.choice(names.SPANISH_SURNAMES)
            if rng.random() < 0.4:
                first, last = ascii_fold(first), ascii_fold(last)
            language = Language.SPANISH if rng.random() < 0.5 else Language.ENGLISH
        else:
            first = rng.choice(names.ENGLISH_FEMALE_FIRST if woman else names.ENGLISH_MALE_FIRST)
            last = rng.choice(names.ENGLISH_SURNAMES)
            language = Language.ENGLISH
        low, high = {Program.WORKFORCE: (18, 34), Program.IPV: (21, 45)}.get(program, (18, 62))
        age = rng.randint(low, high)
        if program in (Program.BEHAVIORAL_HEALTH, Program.IPV):
            # Counseling and groups run for months: most clients started this year.
            back = int(rng.triangular(7, HISTORY_DAYS, 60))
        else:
            back = rng.randrange(7, HISTORY_DAYS)
        enrolled_on = self.today - timedelta(days=back)
        staff = self.coalition.staff[(spec.name, spec.specialist)]
        enrolled_by = rng.choice(staff)
        person_id = self.person_id(spec, i)
        created_at = self._moment(rng, enrolled_on)
        person = Person(
            id=person_id,
            organization_id=organization_id,
            legal_first_name=first,
            legal_last_name=last,
            date_of_birth=enrolled_on - timedelta(days=int(age * 365.25) + rng.randrange(365)),
            gender=gender,
            preferred_language=language,
            phone=f"(773) 555-01{rng.randrange(100):02d}" if rng.random() < 0.8 else "",
            community_area_id=self.coalition.areas[area_number][0],
            status_changed_at=created_at,
            created_at=created_at,
            updated_at=created_at,
            created_by_id=enrolled_by,
        )
        person_refresh_search(person)
        enrollment = Enrollment(
            id=demo_id(f"{person_id}/enrollment/{program}"),
            organization_id=organization_id,
            person_id=person_id,
            program=program,
            enrolled_on=enrolled_on,
            enrolled_by_id=enrolled_by,
            voluntary_confirmed=program == Program.IPV,
            created_at=created_at,
        )
        rows = ClientRows(
            person=person,
            status_change=StatusChange(
                id=demo_id(f"{person_id}/status/0"),
                person_id=person_id,
                from_status="",
                to_status=person.status,
                changed_at=created_at,
                changed_by_id=enrolled_by,
            ),
            # The provider opened its record with the person's consent to services.
            consent=Consent(
                id=demo_id(f"{person_id}/consent/services"),
                person_id=person_id,
                kind=ConsentKind.SERVICES,
                method=rng.choices(list(Consent.Method), [80, 20])[0],
                given_on=enrolled_on,
                recorded_by_id=enrolled_by,
                recorded_at=created_at,
            ),
            enrollment=enrollment,
        )
        if program == Program.WORKFORCE:
            self._workforce(rng, rows, staff)
        elif program == Program.LEGAL:
            self._legal(rng, rows, staff)
        else:
            self._sessions(rng, rows, staff, ipv=program == Program.IPV)
        return rows

    def _finish(self, rng, enrollment: Enrollment, status: str, on: date) -> None:
        enrollment.status = status
        enrollment.ended_on = max(on, enrollment.enrolled_on)
        if status == EnrollmentStatus.EXITED:
            enrollment.exit_reason = rng.choices(
                [ExitReason.LOST_CONTACT, ExitReason.DECLINED, ExitReason.MOVED, ExitReason.OTHER],
                [40, 25, 20, 15],
            )[0]
            if enrollment.exit_reason == ExitReason.OTHER:
                enrollment.exit_note = rng.choice(EXIT_NOTES)

    def _workforce(self, rng: random.Random, rows: ClientRows, staff: list[uuid.UUID]) -> None:
        """GED for some, then H.O.P.E. (two weeks), skill training, a job, and 30, 90
        and 180 days in it: each step for fewer people, none dated after today."""
        enrollment = rows.enrollment
        steps: list[tuple[MilestoneKind, date, str, str]] = []

        def reached(day: date) -> bool:
            return day <= self.today

        start = enrollment.enrolled_on
        if rng.random() < 0.3:
            day = start + timedelta(days=rng.randint(30, 150))
            if reached(day):
                steps.append((MilestoneKind.GED, day, "", ""))
        hope = start + timedelta(days=rng.randint(14, 30))
        if rng.random() < 0.85 and reached(hope):
            steps.append((MilestoneKind.HOPE, hope, "", ""))
            ready = hope
            industry = None
            if rng.random() < 0.6:
                for k, chosen in enumerate(
                    rng.sample(list(Industry), rng.choices([1, 2], [85, 15])[0])
                ):
                    day = hope + timedelta(days=rng.randint(40, 90) + 30 * k)
                    if reached(day):
                        steps.append((MilestoneKind.SKILL_TRAINING, day, chosen, ""))
                        ready, industry = max(ready, day), chosen
            placed_on = ready + timedelta(days=rng.randint(10, 60))
            if rng.random() < 0.65 and reached(placed_on):
                employer = rng.choice(EMPLOYERS[industry] if industry else EMPLOYERS[None])
                steps.append((MilestoneKind.PLACED, placed_on, "", employer))
                for kind, (days, _before) in RETENTION.items():
                    day = placed_on + timedelta(days=days + rng.randint(0, 7))
                    if not reached(day) or rng.random() > 0.8:
                        break
                    steps.append((kind, day, "", ""))
        for kind, day, industry, employer in steps:
            rows.milestones.append(
                WorkforceMilestone(
                    id=demo_id(f"{enrollment.id}/milestone/{kind}/{industry}"),
                    enrollment_id=enrollment.id,
                    kind=kind,
                    achieved_on=day,
                    industry=industry,
                    employer=employer,
                    recorded_by_id=rng.choice(staff),
                    recorded_at=self._moment(rng, day),
                )
            )
        last = max((day for _, day, _, _ in steps), default=enrollment.enrolled_on)
        if any(kind == MilestoneKind.RETAINED_180 for kind, *_ in steps):
            self._finish(rng, enrollment, EnrollmentStatus.COMPLETED, last)
        elif (self.today - last).days > 120 and rng.random() < 0.5:
            self._finish(
                rng, enrollment, EnrollmentStatus.EXITED, last + timedelta(days=rng.randint(20, 60))
            )

    def _legal(self, rng: random.Random, rows: ClientRows, staff: list[uuid.UUID]) -> None:
        enrollment = rows.enrollment
        types = rng.sample(list(MATTER_WEIGHTS), rng.choices([1, 2], [75, 25])[0])
        all_closed = True
        for k, matter_type in enumerate(types):
            opened_on = min(
                enrollment.enrolled_on + timedelta(days=k * rng.randint(10, 60)), self.today
            )
            age = (self.today - opened_on).days
            status = MatterStatus.OPEN
            if age > 20:
                status = rng.choices(
                    [MatterStatus.OPEN, MatterStatus.IN_PROGRESS, MatterStatus.CLOSED],
                    [10, 35, 55] if age > 120 else [25, 60, 15],
                )[0]
            matter = LegalMatter(
                id=demo_id(f"{enrollment.id}/matter/{k}"),
                enrollment_id=enrollment.id,
                matter_type=matter_type,
                opened_on=opened_on,
                status=status,
                notes=rng.choice(MATTER_NOTES[matter_type]),
                opened_by_id=rng.choice(staff),
                updated_at=self._moment(rng, opened_on),
            )
            if status == MatterStatus.CLOSED:
                matter.closed_on = opened_on + timedelta(days=rng.randint(14, max(15, age)))
                matter.closed_on = min(matter.closed_on, self.today)
                matter.outcome = rng.choices(list(OUTCOME_WEIGHTS), OUTCOME_WEIGHTS.values())[0]
                matter.outcome_note = rng.choice(OUTCOME_NOTES[MatterOutcome(matter.outcome)])
                matter.updated_at = self._moment(rng, matter.closed_on)
            else:
                all_closed = False
            rows.matters.append(matter)
        if all_closed and rng.random() < 0.7:
            last = max(m.closed_on for m in rows.matters)
            self._finish(rng, enrollment, EnrollmentStatus.COMPLETED, last)

    def _sessions(
        self, rng: random.Random, rows: ClientRows, staff: list[uuid.UUID], *, ipv: bool
    ) -> None:
        """Roughly weekly sessions from enrollment, some missed; IPV clients in the
        partner-accountability group (no joint or family sessions), the others mostly
        individual, in the person's language."""
        enrollment = rows.enrollment
        language = rows.person.preferred_language
        clinician = rng.choice(staff)
        if ipv:
            enrollment.safety_plan = rng.choice(SAFETY_PLANS)
            enrollment.safety_plan_updated_at = self._moment(
                rng, enrollment.enrolled_on + timedelta(days=rng.randint(0, 7))
            )
            enrollment.safety_plan_updated_by_id = clinician
            if enrollment.safety_plan_updated_at.date() > self.today:
                enrollment.safety_plan_updated_at = self._moment(rng, self.today)
        planned = rng.randint(14, 26) if ipv else rng.randint(6, 24)
        day = enrollment.enrolled_on
        held = 0
        for k in range(planned):
            if day > self.today:
                break
            if rng.random() < (0.8 if ipv else 0.85):  # some weeks are missed
                if ipv:
                    session_format = SessionFormat.INDIVIDUAL if k == 0 else SessionFormat.GROUP
                    minutes = 60 if k == 0 else 90
                    note = IPV_INTAKE_NOTE if k == 0 else rng.choice(IPV_NOTES)
                else:
                    session_format = rng.choices(list(SessionFormat), [70, 20, 10])[0]
                    minutes = SESSION_MINUTES[session_format]
                    pool = BH_NOTES_ES if language == Language.SPANISH else BH_NOTES_EN
                    note = rng.choice(pool) if rng.random() < 0.8 else ""
                rows.sessions.append(
                    ProgramSession(
                        id=demo_id(f"{enrollment.id}/session/{k}"),
                        enrollment_id=enrollment.id,
                        held_on=day,
                        format=session_format,
                        language=language,
                        minutes=minutes,
                        staff_id=clinician,
                        note=note,
                        recorded_by_id=clinician,
                        recorded_at=self._moment(rng, day),
                    )
                )
                held += 1
            day += timedelta(days=rng.choice([7, 7, 7, 14]))
        if held and day <= self.today:
            # The planned sessions are over: most complete, some leave early.
            last = rows.sessions[-1].held_on
            status = (
                EnrollmentStatus.COMPLETED if held >= planned * 0.7 else EnrollmentStatus.EXITED
            )
            self._finish(rng, enrollment, status, last)


PROVIDERS_SEEDED = (WORKFORCE, LEGAL_AID, BEHAVIORAL_HEALTH, IPV_PROGRAM)


def programs_seed(*, coalition: Coalition, today: date, rng: random.Random) -> int:
    """Create each provider's synthetic clients who do not exist yet, with their
    enrollment and its milestones, matters or sessions. Returns how many clients were
    created. Call inside a transaction, after coalition_seed."""
    generator = ProgramClients(coalition=coalition, today=today, base=rng.randrange(2**32))
    wanted = {
        generator.person_id(spec, i): (spec, i)
        for spec in PROVIDERS_SEEDED
        for i in range(CLIENTS[spec.name])
    }
    existing = set(Person.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
    batch = [generator.rows(spec, i) for pk, (spec, i) in wanted.items() if pk not in existing]
    if not batch:
        return 0
    Person.objects.bulk_create([r.person for r in batch], ignore_conflicts=True)
    StatusChange.objects.bulk_create([r.status_change for r in batch], ignore_conflicts=True)
    Consent.objects.bulk_create([r.consent for r in batch], ignore_conflicts=True)
    Enrollment.objects.bulk_create([r.enrollment for r in batch], ignore_conflicts=True)
    WorkforceMilestone.objects.bulk_create(
        [m for r in batch for m in r.milestones], ignore_conflicts=True
    )
    LegalMatter.objects.bulk_create([m for r in batch for m in r.matters], ignore_conflicts=True)
    ProgramSession.objects.bulk_create(
        [s for r in batch for s in r.sessions], ignore_conflicts=True
    )
    return len(batch)
