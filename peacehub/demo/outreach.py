"""A year of street outreach: contacts with participants, participants linked to
incidents, and every responder's weekly duty shifts.

Contacts. About 50 a participant a year in all, spread over the last 365 days and
weighted to evenings and weekends: more for the engaged and those in case management,
fewer for those only identified, none after a closed participant's closing day and
none today or later. The worker is the participant's outreach worker, or for those in
case management their case manager for some contacts after the hand-off; the area is
the participant's, sometimes another the partner serves. Mostly street and phone
contacts, some home visits, hospital, court, pre-release jail visits, school and
events; minutes for most; topics; a short, bland note on about 15% (encrypted like any
note, which is why notes stay rare); a few follow-ups; a few contacts with someone who
is not a participant (family, a neighbor), kept with the participant they were about.
Some participants have not been contacted for weeks; outreach@ has three such, two
never contacted and follow-ups due today and overdue, so that the home page shows
them.

Participant i's contacts come from a generator seeded with the seed and i, with uuid5
ids, and depend only on the participant: a larger demo adds only the new participants'
contacts and a second run adds none. Rows are built as plain tuples and inserted in
batches (peacehub.demo.bulk): a million of them take about a minute.
"""

import bisect
import random
import uuid
from collections import namedtuple
from datetime import UTC, datetime, time, timedelta
from itertools import accumulate

from django.utils import timezone

from peacehub.accounts.models import Membership
from peacehub.accounts.roles import Role
from peacehub.demo.bulk import insert_rows
from peacehub.demo.caseloads import DEMO_OUTREACH_SLOT, Assignment, CaseloadPlan
from peacehub.demo.coalition import PARTNERS, Coalition, demo_id, demo_logins
from peacehub.outreach.models import (
    Contact,
    ContactType,
    DutyShift,
    Incident,
    IncidentKind,
    IncidentPerson,
    IncidentRelation,
    NonParticipant,
    Topic,
)
from peacehub.people.models import Person, Status, StatusChange

RATE_PER_YEAR = {
    Status.IDENTIFIED: 16,
    Status.ENGAGED: 84,
    Status.CASE_MANAGEMENT: 98,
    Status.CLOSED: 63,
}
CASE_MANAGER_SHARE = 0.35  # of contacts after the hand-off, when both work with them
NON_PARTICIPANT_SHARE = 0.02
NOTE_SHARE = 0.15
MINUTES_SHARE = 0.85
FOLLOW_UP_SHARE = 0.06
OTHER_AREA_SHARE = 0.1
STALE_SHARE = 0.05  # active participants not contacted for 16 to 60 days
LINK_SHARE = 0.05  # participants linked to an incident in their area
PEOPLE_PER_QUERY = 1000
ROWS_PER_INSERT = 20_000

# outreach@'s caseload: position -> days since the last contact; never contacted;
# position -> (days ago, follow-up due in days) of an open follow-up.
DEMO_STALE = {3: 19, 11: 27, 17: 33}
DEMO_NEVER_CONTACTED = (8, 20)
DEMO_FOLLOW_UPS = {0: (2, 0), 1: (1, 0), 2: (5, -2), 5: (8, -1)}

WEEKDAY_WEIGHTS = [0.8, 0.8, 0.9, 1.1, 1.3, 1.5, 1.2]  # Monday first
HOUR_WEIGHTS = {
    0: 3,
    1: 1,
    9: 1,
    10: 2,
    11: 3,
    12: 4,
    13: 4,
    14: 5,
    15: 6,
    16: 8,
    17: 9,
    18: 10,
    19: 10,
    20: 9,
    21: 8,
    22: 6,
    23: 4,
}
OUTREACH_TYPES = {
    ContactType.STREET: 46,
    ContactType.PHONE: 30,
    ContactType.HOME_VISIT: 8,
    ContactType.HOSPITAL: 2,
    ContactType.COURT: 3,
    ContactType.PRE_RELEASE: 2,
    ContactType.SCHOOL: 3,
    ContactType.EVENT: 6,
}
CASE_MANAGER_TYPES = {
    ContactType.PHONE: 40,
    ContactType.HOME_VISIT: 22,
    ContactType.STREET: 8,
    ContactType.COURT: 10,
    ContactType.PRE_RELEASE: 5,
    ContactType.SCHOOL: 6,
    ContactType.HOSPITAL: 3,
    ContactType.EVENT: 6,
}
MINUTES = {
    ContactType.STREET: (10, 45),
    ContactType.PHONE: (5, 25),
    ContactType.HOME_VISIT: (30, 90),
    ContactType.HOSPITAL: (30, 120),
    ContactType.COURT: (60, 240),
    ContactType.PRE_RELEASE: (45, 120),
    ContactType.SCHOOL: (20, 60),
    ContactType.EVENT: (60, 180),
}
TOPIC_WEIGHTS = {
    Topic.SAFETY: 30,
    Topic.CONFLICT: 15,
    Topic.EMPLOYMENT: 20,
    Topic.SCHOOL: 15,
    Topic.HOUSING: 10,
    Topic.FAMILY: 15,
    Topic.HEALTH: 8,
    Topic.LEGAL: 10,
    Topic.BASIC_NEEDS: 10,
    Topic.OTHER: 4,
}
NOTES = [
    "Talked about the GED class.",
    "Checked in after the weekend.",
    "Dropped off a bus card.",
    "Went over the job application.",
    "Talked about the court date.",
    "Talked through a problem at home.",
    "Helped fill out the housing form.",
    "Reminded about Thursday's appointment.",
    "Talked about staying off the block this weekend.",
    "Talked about the summer job program.",
    "Says things are calmer at home.",
    "Talked about getting a driver's license.",
    "Asked for help with a phone bill.",
    "Brought a winter coat.",
]
TYPE_NOTES = {
    ContactType.PHONE: ["Checked in by text; doing fine.", "Called about the new job."],
    ContactType.STREET: ["Met at the park; all good.", "Caught up on the corner after school."],
    ContactType.HOME_VISIT: ["Visited at home; met the family.", "Brought groceries."],
    ContactType.HOSPITAL: ["Visited at the hospital.", "Sat with the family at the hospital."],
    ContactType.COURT: ["Went to court together; next date set."],
    ContactType.PRE_RELEASE: ["Pre-release visit; talked about the first week home."],
    ContactType.SCHOOL: ["Met with the school counselor."],
    ContactType.EVENT: ["Came to the basketball night.", "Helped set up the Light in the Night."],
}
NON_PARTICIPANTS = {
    NonParticipant.FAMILY: 45,
    NonParticipant.NEIGHBOR: 20,
    NonParticipant.FRIEND: 20,
    NonParticipant.COMMUNITY: 15,
}
RELATIONS = {
    IncidentKind.FATAL_SHOOTING: {"victim_family": 40, "retaliation_risk": 40, "harm_family": 20},
    IncidentKind.NONFATAL_SHOOTING: {
        "victim": 30,
        "victim_family": 25,
        "retaliation_risk": 35,
        "harm_family": 10,
    },
    IncidentKind.THREAT: {"victim": 40, "retaliation_risk": 60},
    IncidentKind.CONFLICT: {"victim": 30, "retaliation_risk": 70},
    IncidentKind.RETALIATION_RISK: {"retaliation_risk": 100},
}

CONTACT_FIELDS = (
    "id",
    "organization_id",
    "worker_id",
    "person_id",
    "non_participant",
    "contact_type",
    "occurred_at",
    "community_area_id",
    "minutes",
    "topics",
    "note",
    "follow_up_by",
    "follow_up_done_at",
    "created_at",
)
PERSON_FIELDS = (
    "id",
    "organization_id",
    "community_area_id",
    "status",
    "created_at",
    "status_changed_at",
    "outreach_worker_id",
    "case_manager_id",
)
PersonRow = namedtuple("PersonRow", PERSON_FIELDS)


def _table(weights: dict) -> list:
    """Each key repeated by its weight: a uniform pick from it is a weighted pick."""
    return [key for key, weight in weights.items() for _ in range(round(weight))]


class ContactGenerator:
    def __init__(self, *, coalition: Coalition, seed: int, now: datetime, incidents: dict):
        self.coalition = coalition
        self.seed = seed
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localtime(now).date()
        days = [self.today - timedelta(days=ago) for ago in range(367)]
        # Local midnight of each day, in UTC: UTC times are several times cheaper to
        # store than local ones, and a million of them are. (On the two days a year the
        # clocks change, times after the change are an hour off: no matter here.)
        self.day_start = [
            datetime.combine(day, time(0), tzinfo=self.tz).astimezone(UTC) for day in days
        ]
        self.days = days
        # cumulative[k]: the weight of days 0 to k-1 back; a day ago in [lo, hi] is
        # found by bisecting a uniform draw between cumulative[lo] and cumulative[hi+1].
        self.cumulative = [0.0, *accumulate(WEEKDAY_WEIGHTS[day.weekday()] for day in days)]
        self.hours = _table(HOUR_WEIGHTS)
        self.offsets = [timedelta(minutes=m) for m in range(24 * 60)]
        self.outreach_types = _table(OUTREACH_TYPES)
        self.manager_types = _table(CASE_MANAGER_TYPES)
        self.non_participants = _table(NON_PARTICIPANTS)
        topic_rng = random.Random("peacehub-demo/topics")
        topics, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())
        self.topic_sets = []
        for _ in range(500):
            size = topic_rng.choices([1, 2, 3], [60, 30, 10])[0]
            chosen = set()
            while len(chosen) < size:
                chosen.add(topic_rng.choices(topics, weights)[0])
            self.topic_sets.append(sorted(chosen))
        self.notes = {kind: NOTES + TYPE_NOTES.get(kind, []) for kind in ContactType}
        self.other_areas = {
            coalition.partner_ids[spec.name]: [coalition.areas[n][0] for n in spec.areas]
            for spec in PARTNERS
        }
        self.demo_worker = coalition.slot_user(DEMO_OUTREACH_SLOT)
        # Community area id -> [(incident id, occurred_at, kind)], for the links.
        self.incidents = incidents

    def _ago(self, moment: datetime) -> int:
        return (self.today - timezone.localtime(moment, self.tz).date()).days

    def contacts(
        self, i: int, assignment: Assignment, person: PersonRow, managed_since: datetime | None
    ) -> list[tuple]:
        rng = random.Random(f"peacehub-demo/{self.seed}/person/{i}/contacts")
        position = (
            assignment.outreach_position if assignment.outreach == DEMO_OUTREACH_SLOT else None
        )
        if position in DEMO_NEVER_CONTACTED:
            return []
        hi = min(365, self._ago(person.created_at))
        lo = 1
        if person.status == Status.CLOSED:
            lo = self._ago(person.status_changed_at) + 1
        stale = rng.random() < STALE_SHARE and assignment.outreach_position is not None
        stale_days = rng.randint(16, 60)
        if position in DEMO_STALE:
            lo = max(lo, DEMO_STALE[position])
        elif stale:
            lo = max(lo, stale_days)
        count = 0
        if hi >= lo:
            expected = RATE_PER_YEAR[person.status] * (hi - lo + 1) / 365
            count = int(expected * rng.uniform(0.6, 1.4) + rng.random())
        outreach = person.outreach_worker_id or self.coalition.slot_user(assignment.outreach)
        manager = person.case_manager_id if person.status == Status.CASE_MANAGEMENT else None
        managed_ago = self._ago(managed_since) if manager and managed_since else -1
        areas = self.other_areas[person.organization_id]

        rows = []
        cumulative, day_start, offsets, hours = (
            self.cumulative,
            self.day_start,
            self.offsets,
            self.hours,
        )
        low_weight = cumulative[min(lo, hi)]
        span = cumulative[hi + 1] - low_weight
        participant_contacts = 0
        for _ in range(count):
            ago = bisect.bisect_right(cumulative, low_weight + rng.random() * span) - 1
            ago = min(max(ago, lo), hi)
            occurred = (
                day_start[ago]
                + offsets[hours[int(rng.random() * len(hours))] * 60 + int(rng.random() * 60)]
            )
            by_manager = (
                manager is not None
                and ago < managed_ago
                and (person.outreach_worker_id is None or rng.random() < CASE_MANAGER_SHARE)
            )
            rows.append(
                self._row(
                    rng,
                    person,
                    occurred,
                    ago,
                    manager if by_manager else outreach,
                    by_manager,
                    areas,
                )
            )
            if rows[-1][3] is not None:
                participant_contacts += 1
        # Before the demo worker's planned follow-ups below, which are meant to be open.
        rows = self._settle_superseded(rows)
        if position in DEMO_FOLLOW_UPS and self.demo_worker == outreach:
            ago, due_in = DEMO_FOLLOW_UPS[position]
            if lo <= ago <= hi:
                occurred = day_start[ago] + timedelta(hours=rng.randint(16, 21))
                row = list(self._row(rng, person, occurred, ago, outreach, False, areas))
                row[3], row[4] = person.id, ""
                row[11], row[12] = self.today + timedelta(days=due_in), None
                rows.append(tuple(row))
                participant_contacts += 1
        if not participant_contacts:
            # A participant without contacts is tried again on the next run: keep none
            # about them either, or that run would add these twice.
            return []
        return [(demo_id(f"{person.id}/contact/{k}"), *row[1:]) for k, row in enumerate(rows)]

    def _settle_superseded(self, rows: list[tuple]) -> list[tuple]:
        """Follow-ups done by a later contact, as the app does them (contact_log): a
        worker's contact with the person, logged on or after a follow-up's day, settles
        their open follow-ups with that person, at the moment it was logged. Without
        this, the home page would list follow-ups months overdue of people seen since."""
        by_worker: dict = {}
        for k, row in enumerate(rows):
            if row[3] is not None:
                by_worker.setdefault(row[2], []).append(k)
        settled = list(rows)
        for indexes in by_worker.values():
            indexes.sort(key=lambda k: rows[k][6])
            logged_on = {k: rows[k][13].astimezone(self.tz).date() for k in indexes}
            for position, k in enumerate(indexes):
                row = rows[k]
                if row[11] is None or row[12] is not None:
                    continue
                for later in indexes[position + 1 :]:
                    if logged_on[later] >= row[11]:
                        done_at = max(rows[later][13], row[6])
                        settled[k] = (*row[:12], done_at, *row[13:])
                        break
        return settled

    def _row(self, rng, person, occurred, ago, worker, by_manager, areas) -> tuple:
        kinds = self.manager_types if by_manager else self.outreach_types
        kind = kinds[int(rng.random() * len(kinds))]
        minutes = None
        if rng.random() < MINUTES_SHARE:
            minutes = rng.randint(*MINUTES[kind])
        note = rng.choice(self.notes[kind]) if rng.random() < NOTE_SHARE else ""
        area = person.community_area_id
        if len(areas) > 1 and rng.random() < OTHER_AREA_SHARE:
            area = rng.choice(areas)
        person_id, non_participant = person.id, ""
        if rng.random() < NON_PARTICIPANT_SHARE:
            person_id = None
            non_participant = self.non_participants[int(rng.random() * len(self.non_participants))]
        follow_up_by = done_at = None
        if rng.random() < FOLLOW_UP_SHARE:
            days = rng.randint(1, 7)
            follow_up_by = self.days[ago] + timedelta(days=days)
            due_ago = ago - days
            done = rng.random() < (0.99 if due_ago > 14 else 0.7 if due_ago >= 0 else 0.3)
            if done:
                done_at = min(
                    occurred + timedelta(hours=rng.randint(4, days * 24)),
                    self.now - timedelta(minutes=5),
                )
                done_at = max(done_at, occurred)
        created_at = min(occurred + timedelta(minutes=rng.randint(1, 90)), self.now)
        return (
            None,
            person.organization_id,
            worker,
            person_id,
            non_participant,
            kind,
            occurred,
            area,
            minutes,
            self.topic_sets[int(rng.random() * len(self.topic_sets))],
            note,
            follow_up_by,
            done_at,
            created_at,
        )

    def links(self, i: int, person: PersonRow) -> list[IncidentPerson]:
        """Now and then a participant is linked to an incident in their area, by their
        own organization."""
        rng = random.Random(f"peacehub-demo/{self.seed}/person/{i}/incidents")
        if rng.random() >= LINK_SHARE or person.status == Status.IDENTIFIED:
            return []
        end = person.status_changed_at if person.status == Status.CLOSED else self.now
        candidates = [
            incident
            for incident in self.incidents.get(person.community_area_id, [])
            if person.created_at <= incident[1] <= end
        ]
        if not candidates:
            return []
        incident_id, occurred, kind = rng.choice(candidates)
        relations = RELATIONS[kind]
        relation = rng.choices(list(relations), list(relations.values()))[0]
        return [
            IncidentPerson(
                id=demo_id(f"{person.id}/incident/{incident_id}/{relation}"),
                incident_id=incident_id,
                person_id=person.id,
                organization_id=person.organization_id,
                relation=IncidentRelation(relation),
                added_by_id=person.outreach_worker_id or person.case_manager_id,
                added_at=min(occurred + timedelta(hours=rng.randint(1, 48)), self.now),
            )
        ]


def contacts_seed(
    *, coalition: Coalition, plan: CaseloadPlan, now: datetime, incident_ids: list[uuid.UUID]
) -> None:
    """Add the contacts and incident links of the plan's participants who have no
    contact yet. Call inside a transaction."""
    incidents: dict[int, list] = {}
    for start in range(0, len(incident_ids), PEOPLE_PER_QUERY):
        for pk, area_id, occurred, kind in Incident.objects.filter(
            pk__in=incident_ids[start : start + PEOPLE_PER_QUERY]
        ).values_list("pk", "community_area_id", "occurred_at", "kind"):
            incidents.setdefault(area_id, []).append((pk, occurred, kind))
    for rows in incidents.values():
        rows.sort(key=lambda row: (row[1], str(row[0])))
    generator = ContactGenerator(coalition=coalition, seed=plan.seed, now=now, incidents=incidents)
    pending: list[tuple] = []
    links: list[IncidentPerson] = []
    count = len(plan.assignments)
    for start in range(0, count, PEOPLE_PER_QUERY):
        numbers = {
            demo_id(f"{plan.seed}/person/{i}"): i
            for i in range(start, min(count, start + PEOPLE_PER_QUERY))
        }
        ids = list(numbers)
        people = {
            row[0]: PersonRow(*row)
            for row in Person.objects.filter(pk__in=ids).order_by().values_list(*PERSON_FIELDS)
        }
        contacted = set(
            Contact.objects.filter(person_id__in=ids)
            .order_by()
            .values_list("person_id", flat=True)
            .distinct()
        )
        managed_since = dict(
            StatusChange.objects.filter(person_id__in=ids, to_status=Status.CASE_MANAGEMENT)
            .order_by()
            .values_list("person_id", "changed_at")
        )
        linked = set(IncidentPerson.objects.filter(person_id__in=ids).values_list("pk", flat=True))
        for pk, i in numbers.items():
            person = people.get(pk)
            assignment = plan.assignments[i]
            if person is None or pk in contacted:
                continue
            if (
                person.organization_id
                != coalition.partner_ids[PARTNERS[assignment.profile.partner].name]
            ):
                continue  # made by another version of the generator: leave it alone
            pending.extend(generator.contacts(i, assignment, person, managed_since.get(pk)))
            links.extend(link for link in generator.links(i, person) if link.pk not in linked)
        if len(pending) >= ROWS_PER_INSERT:
            insert_rows(Contact, CONTACT_FIELDS, pending)
            pending = []
    insert_rows(Contact, CONTACT_FIELDS, pending)
    IncidentPerson.objects.bulk_create(links, batch_size=PEOPLE_PER_QUERY)


# --- Duty shifts ----------------------------------------------------------------------

RESPONDER_ROLES = (Role.OUTREACH_WORKER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR)


def _shifts(rng: random.Random, role: str, always: bool) -> list[tuple[int, time, time]]:
    """(weekday, start, end) of one responder's week."""
    if always:  # outreach@: on duty at every hour of every day
        return [(d, time(h), time((h + 12) % 24)) for d in range(7) for h in (8, 20)]
    if role == Role.SUPERVISOR:
        return [(d, time(9), time(17)) for d in range(5)] + [(5, time(18), time(2))]
    if role == Role.VICTIM_ADVOCATE:
        return [(d, time(20), time(4)) for d in (4, 5, 6)] + [
            (d, time(9), time(17)) for d in (0, 1)
        ]
    start = rng.choice([17, 18, 18, 19])
    nights = (3, 4, 5, 6) if rng.random() < 0.75 else (2, 3, 4, 5)
    shifts = [(d, time(start), time((start + 8) % 24)) for d in nights]
    days = [d for d in range(7) if d not in nights]
    for d in sorted(rng.sample(days, rng.randint(1, 2))):
        first = rng.choice([10, 11, 12])
        shifts.append((d, time(first), time(first + 8)))
    return shifts


def duty_seed(*, coalition: Coalition) -> None:
    """Give every partner responder without shifts their weekly shifts: mostly
    evenings Thursday to Sunday, some days; outreach@ is always on duty."""
    demo_email = demo_logins()[0].email
    memberships = Membership.objects.filter(
        organization_id__in=list(coalition.partner_ids.values()), role__in=RESPONDER_ROLES
    ).values_list("pk", "user__email", "role")
    staffed = set(DutyShift.objects.order_by().values_list("membership_id", flat=True).distinct())
    shifts = []
    for pk, email, role in memberships:
        if pk in staffed:
            continue
        rng = random.Random(f"peacehub-demo/duty/{email}")
        for n, (weekday, start, end) in enumerate(_shifts(rng, role, email == demo_email)):
            shifts.append(
                DutyShift(
                    id=demo_id(f"{pk}/shift/{n}"),
                    membership_id=pk,
                    weekday=weekday,
                    starts_at=start,
                    ends_at=end,
                )
            )
    DutyShift.objects.bulk_create(shifts, batch_size=1000)
