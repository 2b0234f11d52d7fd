"""A year of incidents and the coalition's response to them.

Fatal shootings are real: the 2023 homicides in six of the focus areas (Austin,
Englewood, West Englewood, North Lawndale, Humboldt Park, South Shore), from
data/chicago_violence (see SOURCES.md there). Only each row's month, day, hour, minute
and community area are used, moved into the last 365 days on the same day of the year;
the victims' age, sex and race are never read, no person is created from a row, and no
incident names anyone. Rows that share a date, time and area are one incident.

Everything else is synthetic: about four non-fatal shootings for every fatal one, in
the focus areas weighted by the same six areas' homicides plus a share for every other
focus area; threats and conflict flare-ups; a risk of retaliation after some shootings.
They grow mildly with the number of participants (the real homicides do not). The
coalition learns of them from hospitals, the community or partners — never the police.
Incidents older than two weeks are closed.

Every partner serving an incident's area (and the one that reported it) has a response:
acknowledged minutes after the alert, on scene within the hour, follow-up done within
days; the last days' incidents are still partly open. Responses on scene record actions
(de-escalation, rumor control, support to families, hospital response, vigil or
funeral support), a few with a short note.

Incident k of a kind is drawn from its own generator and has a uuid5 id, so a larger
demo adds incidents and a second run adds none.
"""

import csv
import math
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.demo.coalition import PARTNERS, Coalition, demo_id, staff_roster
from peacehub.outreach.models import (
    Incident,
    IncidentKind,
    IncidentResponse,
    IncidentSource,
    ResponseAction,
    ResponseActionKind,
    ResponseState,
)

HOMICIDES_CSV = (
    Path(settings.BASE_DIR)
    / "data"
    / "chicago_violence"
    / "homicide_victims_six_community_areas_2009_2023.csv"
)
FATAL_YEAR = "2023"
NONFATAL_PER_FATAL = 4
THREATS, CONFLICTS = 120, 160
RETALIATION_AFTER_SHOOTING = 0.2
# Synthetic incidents grow by this share for every 40,000 participants.
PEOPLE_PER_DOUBLING = 40_000
# Every focus area's weight on top of its 2023 homicides.
AREA_BASE_WEIGHT = 6
CLOSE_AFTER = timedelta(days=14)
BATCH_SIZE = 1000

SOURCES = {
    IncidentKind.FATAL_SHOOTING: {"hospital": 35, "community": 40, "partner": 20, "other": 5},
    IncidentKind.NONFATAL_SHOOTING: {"hospital": 45, "community": 35, "partner": 15, "other": 5},
    IncidentKind.THREAT: {"community": 55, "partner": 40, "other": 5},
    IncidentKind.CONFLICT: {"community": 50, "partner": 45, "other": 5},
    IncidentKind.RETALIATION_RISK: {"community": 45, "partner": 50, "other": 5},
}
# Minutes between the incident and the alert, by source.
REPORT_DELAY = {"hospital": (15, 60), "community": (5, 90), "partner": (5, 45), "other": (30, 180)}
NUMBERS = ["", "One person", "Two people", "Three people", "Four people", "Five people"]
SUMMARIES = {
    IncidentKind.NONFATAL_SHOOTING: [
        "One person shot; taken to the hospital.",
        "Two people wounded; both taken to the trauma center.",
        "Shots fired at a group on the corner; one person hurt.",
        "A young man shot in the leg; in stable condition.",
        "Person shot while driving; taken to the hospital.",
        "Shots fired near the park after a party; one person hurt.",
    ],
    IncidentKind.THREAT: [
        "Threats posted online after a fight.",
        "Threats made at a bus stop after school.",
        "A participant says he was threatened near the store.",
        "Threats after a dispute over a car.",
    ],
    IncidentKind.CONFLICT: [
        "Fight at a party; tension continues.",
        "Argument between two groups at the park escalated.",
        "Dispute between neighbors turned physical.",
        "Fight after a basketball game.",
    ],
    IncidentKind.RETALIATION_RISK: [
        "Talk of retaliation after the shooting.",
        "Friends of the victim gathering; risk of retaliation.",
        "Rumors of a response after last night's shooting.",
    ],
}
ACTIONS = {
    IncidentKind.FATAL_SHOOTING: {
        "hospital_response": 20,
        "victim_family_support": 35,
        "rumor_control": 20,
        "de_escalation": 15,
        "harm_family_support": 10,
    },
    IncidentKind.NONFATAL_SHOOTING: {
        "hospital_response": 35,
        "victim_family_support": 25,
        "rumor_control": 20,
        "de_escalation": 15,
        "harm_family_support": 5,
    },
    IncidentKind.THREAT: {"de_escalation": 50, "rumor_control": 40, "other": 10},
    IncidentKind.CONFLICT: {"de_escalation": 60, "rumor_control": 30, "other": 10},
    IncidentKind.RETALIATION_RISK: {
        "de_escalation": 50,
        "rumor_control": 30,
        "victim_family_support": 20,
    },
}
ACTION_NOTES = {
    "hospital_response": ["Met the family at the trauma center.", "Sat with the family."],
    "victim_family_support": ["Brought food to the family.", "Helped the family with forms."],
    "rumor_control": [
        "Shared what we know on the block to stop rumors.",
        "Talked with young people about what is true and what is not.",
    ],
    "de_escalation": [
        "Talked with both sides; agreed to stay apart tonight.",
        "Walked the block until things calmed down.",
    ],
    "harm_family_support": ["Checked on the other family; they asked for space."],
    "vigil_funeral": ["Helped set up the vigil.", "Stood with the family at the funeral."],
    "other": ["Followed up by phone."],
}
ACTION_NOTE_SHARE = 0.2
# Hours of the day, weighted to evenings and nights.
HOUR_WEIGHTS = [6, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 8, 8, 7]
WEEKDAY_WEIGHTS = [0.9, 0.85, 0.85, 0.95, 1.1, 1.3, 1.25]


@dataclass(frozen=True)
class FatalEvent:
    """One 2023 homicide incident: its rows share date, time and area."""

    when: str  # the rows' Date, "YYYY-MM-DD HH:MM:SS"
    area_name: str
    month: int
    day: int
    hour: int
    minute: int
    victims: int


def fatal_events(csv_path: Path = HOMICIDES_CSV) -> list[FatalEvent]:
    """The FATAL_YEAR incidents, in date order. Reads only the date, time and area
    columns: never age, sex or race."""
    victims: Counter[tuple[str, str]] = Counter()
    parts: dict[tuple[str, str], tuple[int, int, int, int]] = {}
    with Path(csv_path).open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Year"] != FATAL_YEAR:
                continue
            key = (row["Date"], row["Community"])
            victims[key] += 1
            parts[key] = (int(row["Month"]), int(row["Day"]), int(row["Hour"]), int(row["Minute"]))
    return [
        FatalEvent(when, area, *parts[(when, area)], victims[(when, area)])
        for when, area in sorted(victims)
    ]


def shifted(event: FatalEvent, now: datetime) -> datetime:
    """The same month, day, hour and minute within the last 365 days."""
    local = timezone.localtime(now)
    day = min(event.day, 28) if event.month == 2 else event.day
    for year in (local.year, local.year - 1):
        moment = datetime(year, event.month, day, event.hour, event.minute, tzinfo=local.tzinfo)
        if moment <= local:
            return moment
    raise AssertionError("unreachable")


@dataclass
class IncidentPlan:
    id: uuid.UUID
    key: str
    kind: str
    occurred_at: datetime
    area: int  # number
    summary: str
    victims: int = 1
    # Incidents that exist whatever the number of participants: the ones people may
    # be linked to (so that a person's links never depend on the number).
    base: bool = True
    follow_ons: list["IncidentPlan"] = field(default_factory=list)


def _counts(people: int, fatal: int) -> dict[str, int]:
    scale = 1 + people / PEOPLE_PER_DOUBLING
    return {
        IncidentKind.NONFATAL_SHOOTING: round(NONFATAL_PER_FATAL * fatal * scale),
        IncidentKind.THREAT: round(THREATS * scale),
        IncidentKind.CONFLICT: round(CONFLICTS * scale),
    }


def _weighted_index(rng: random.Random, cumulative: list[float]) -> int:
    return rng.choices(range(len(cumulative)), cum_weights=cumulative)[0]


class IncidentGenerator:
    def __init__(self, *, coalition: Coalition, people: int, now: datetime):
        self.coalition = coalition
        self.people = people
        self.now = now
        self.local_now = timezone.localtime(now)
        self.today = self.local_now.date()
        self.fatal = fatal_events()
        by_name = {name.lower(): number for number, (_, name) in coalition.areas.items()}
        self.fatal_area = {e.when + e.area_name: by_name[e.area_name.lower()] for e in self.fatal}
        homicides = Counter()
        for event in self.fatal:
            homicides[by_name[event.area_name.lower()]] += event.victims
        self.area_numbers = sorted(coalition.areas)
        self.area_cumulative = list(
            _accumulate([homicides[n] + AREA_BASE_WEIGHT for n in self.area_numbers])
        )
        # Days back from today, weighted to the summer and to weekends.
        weights = []
        for ago in range(365):
            day = self.today - timedelta(days=ago)
            summer = 1 + 0.45 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365)
            weights.append(summer * WEEKDAY_WEIGHTS[day.weekday()])
        self.day_cumulative = list(_accumulate(weights))
        self.hour_cumulative = list(_accumulate(HOUR_WEIGHTS))
        self.serving = {
            number: [k for k, spec in enumerate(PARTNERS) if number in spec.areas]
            for number in coalition.areas
        }
        # Responders of each partner: the base outreach workers working in each of its
        # areas, its victim advocate and its supervisor.
        self.responders: dict[tuple[int, int], list[uuid.UUID]] = {}
        roster = staff_roster()
        for k, spec in enumerate(PARTNERS):
            others = [
                coalition.user_ids[m.email]
                for m in roster
                if m.organization == spec.name and m.role in (Role.VICTIM_ADVOCATE, Role.SUPERVISOR)
            ]
            for number in spec.areas:
                workers = [
                    coalition.user_ids[m.email]
                    for m in roster
                    if m.organization == spec.name
                    and m.role == Role.OUTREACH_WORKER
                    and m.area == number
                ]
                self.responders[(k, number)] = workers + others

    # --- what happened -------------------------------------------------------------

    def plans(self) -> list[IncidentPlan]:
        plans = []
        for event in self.fatal:
            key = f"incident/fatal/{event.when}/{event.area_name}"
            rng = random.Random(f"peacehub-demo/{key}")
            victims = NUMBERS[min(event.victims, len(NUMBERS) - 1)]
            plan = IncidentPlan(
                id=demo_id(key),
                key=key,
                kind=IncidentKind.FATAL_SHOOTING,
                occurred_at=shifted(event, self.now),
                area=self.fatal_area[event.when + event.area_name],
                summary=f"{victims} killed in a shooting.",
                victims=event.victims,
            )
            self._follow_on(rng, plan)
            plans.append(plan)
        base = _counts(0, len(self.fatal))
        for kind, count in _counts(self.people, len(self.fatal)).items():
            for k in range(count):
                key = f"incident/{kind}/{k}"
                rng = random.Random(f"peacehub-demo/{key}")
                plan = IncidentPlan(
                    id=demo_id(key),
                    key=key,
                    kind=kind,
                    occurred_at=self._moment(rng),
                    area=self.area_numbers[_weighted_index(rng, self.area_cumulative)],
                    summary=rng.choice(SUMMARIES[kind]),
                    base=k < base[kind],
                )
                if kind == IncidentKind.NONFATAL_SHOOTING:
                    self._follow_on(rng, plan)
                plans.append(plan)
        return plans

    def _moment(self, rng: random.Random) -> datetime:
        ago = _weighted_index(rng, self.day_cumulative)
        hour = _weighted_index(rng, self.hour_cumulative)
        day = self.today - timedelta(days=ago)
        moment = datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=self.local_now.tzinfo)
        return moment - timedelta(days=1) if moment > self.local_now else moment

    def _follow_on(self, rng: random.Random, shooting: IncidentPlan) -> None:
        """Sometimes a risk of retaliation, hours or days after a shooting."""
        if rng.random() >= RETALIATION_AFTER_SHOOTING:
            return
        occurred = shooting.occurred_at + timedelta(minutes=rng.randint(90, 3 * 24 * 60))
        if occurred > self.local_now:
            return
        key = f"{shooting.key}/retaliation"
        shooting.follow_ons.append(
            IncidentPlan(
                id=demo_id(key),
                key=key,
                kind=IncidentKind.RETALIATION_RISK,
                occurred_at=occurred,
                area=shooting.area,
                summary=rng.choice(SUMMARIES[IncidentKind.RETALIATION_RISK]),
                base=shooting.base,
            )
        )

    # --- the rows ------------------------------------------------------------------

    def rows(self, plan: IncidentPlan):
        """(incident, responses, actions) of one planned incident."""
        rng = random.Random(f"peacehub-demo/{plan.key}/rows")
        source = rng.choices(list(SOURCES[plan.kind]), list(SOURCES[plan.kind].values()))[0]
        serving = self.serving[plan.area]
        reporter = rng.choice(serving)
        low, high = REPORT_DELAY[source]
        created_at = min(plan.occurred_at + timedelta(minutes=rng.randint(low, high)), self.now)
        closed_at = None
        if plan.occurred_at < self.now - CLOSE_AFTER:
            closed_at = plan.occurred_at + timedelta(
                days=rng.randint(5, 13), hours=rng.randint(0, 23)
            )
        incident = Incident(
            id=plan.id,
            kind=plan.kind,
            occurred_at=plan.occurred_at,
            community_area_id=self.coalition.areas[plan.area][0],
            source=IncidentSource(source),
            summary=plan.summary,
            reported_by_organization_id=self.coalition.partner_ids[PARTNERS[reporter].name],
            reported_by_id=rng.choice(self.responders[(reporter, plan.area)]),
            created_at=created_at,
            closed_at=closed_at,
        )
        responses, actions = [], []
        for partner in serving:
            response, response_actions = self._response(plan, incident, partner)
            responses.append(response)
            actions.extend(response_actions)
        return incident, responses, actions

    def _response(self, plan: IncidentPlan, incident: Incident, partner: int):
        organization_id = self.coalition.partner_ids[PARTNERS[partner].name]
        rng = random.Random(f"peacehub-demo/{plan.key}/response/{partner}")
        responders = self.responders[(partner, plan.area)]
        notified = incident.created_at
        response = IncidentResponse(
            id=demo_id(f"{plan.key}/response/{partner}"),
            incident_id=incident.pk,
            organization_id=organization_id,
            state=ResponseState.NOTIFIED,
            notified_at=notified,
        )
        recent = self.now - notified < timedelta(days=3)
        weights = [10, 20, 45, 25] if recent else [2, 5, 8, 85]
        goal = rng.choices(
            [
                ResponseState.NOTIFIED,
                ResponseState.ACKNOWLEDGED,
                ResponseState.ON_SCENE,
                ResponseState.FOLLOW_UP_DONE,
            ],
            weights,
        )[0]
        if plan.kind in (IncidentKind.THREAT, IncidentKind.CONFLICT) and (
            goal != ResponseState.NOTIFIED and rng.random() < 0.1
        ):
            goal = ResponseState.ACKNOWLEDGED  # some threats need no one on the scene
        ack_minutes = rng.randint(2, 30) if rng.random() < 0.85 else rng.randint(31, 120)
        steps = [
            (ResponseState.ACKNOWLEDGED, notified + timedelta(minutes=ack_minutes)),
            (
                ResponseState.ON_SCENE,
                notified + timedelta(minutes=max(rng.randint(10, 75), ack_minutes + 3)),
            ),
            (
                ResponseState.FOLLOW_UP_DONE,
                notified + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 12)),
            ),
        ]
        worker = rng.choice(responders)
        for state, moment in steps:
            if goal == ResponseState.NOTIFIED or moment > self.now:
                break
            response.state = state
            prefix = {
                ResponseState.ACKNOWLEDGED: "acknowledged",
                ResponseState.ON_SCENE: "on_scene",
                ResponseState.FOLLOW_UP_DONE: "follow_up_done",
            }[state]
            setattr(response, f"{prefix}_at", moment)
            setattr(response, f"{prefix}_by_id", worker)
            if state == goal:
                break
        actions = []
        if response.on_scene_at:
            until = response.follow_up_done_at or self.now
            kinds = ACTIONS[plan.kind]
            for n in range(rng.choices([1, 2, 3], [45, 40, 15])[0]):
                kind = rng.choices(list(kinds), list(kinds.values()))[0]
                actions.append(self._action(rng, response, n, kind, until, responders))
            if (
                plan.kind == IncidentKind.FATAL_SHOOTING
                and response.follow_up_done_at
                and rng.random() < 0.6
            ):
                actions.append(
                    self._action(rng, response, 9, ResponseActionKind.VIGIL_FUNERAL, None, [])
                )
        return response, actions

    def _action(self, rng, response, n, kind, until, responders) -> ResponseAction | None:
        if until is None:  # a vigil or funeral: days later
            moment = response.on_scene_at + timedelta(
                days=rng.randint(2, 9), hours=rng.randint(0, 6)
            )
            moment = min(moment, self.now)
        else:
            span = max((until - response.on_scene_at).total_seconds(), 60)
            moment = response.on_scene_at + timedelta(seconds=rng.uniform(0, span))
        note = rng.choice(ACTION_NOTES[kind]) if rng.random() < ACTION_NOTE_SHARE else ""
        return ResponseAction(
            id=demo_id(f"{response.pk}/action/{n}"),
            response_id=response.pk,
            kind=kind,
            note=note,
            worker_id=rng.choice(responders) if responders else response.on_scene_by_id,
            occurred_at=moment,
        )


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def incidents_seed(*, coalition: Coalition, people: int, now: datetime) -> list[uuid.UUID]:
    """Create the incidents, responses and actions that do not exist yet. Returns the
    ids of the incidents that exist whatever the number of participants. Call inside a
    transaction."""
    generator = IncidentGenerator(coalition=coalition, people=people, now=now)
    plans = []
    for plan in generator.plans():
        plans.append(plan)
        plans.extend(plan.follow_ons)
    existing = set()
    ids = [plan.id for plan in plans]
    for start in range(0, len(ids), BATCH_SIZE):
        existing |= set(
            Incident.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).values_list(
                "pk", flat=True
            )
        )
    incidents, responses, actions = [], [], []
    for plan in plans:
        if plan.id in existing:
            continue
        incident, incident_responses, incident_actions = generator.rows(plan)
        incidents.append(incident)
        responses.extend(incident_responses)
        actions.extend(incident_actions)
    Incident.objects.bulk_create(incidents, batch_size=BATCH_SIZE)
    IncidentResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE)
    ResponseAction.objects.bulk_create(actions, batch_size=BATCH_SIZE)
    return [plan.id for plan in plans if plan.base]
