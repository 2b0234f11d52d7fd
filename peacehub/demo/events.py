"""Demo Light in the Night: a summer of events across the focus areas, and gym nights
all year so that the public calendar is never empty.

- Places: the 22 real Englewood-area parks (data/chicago_parks, as `load_places` loads
  them), and in every focus area two invented public places, a school gym and a
  schoolyard, at the area's middle (no address: they are made up).
- Summer: the ten weeks of the Summer Safety Strategy (peacehub.events.summer) of the
  latest summer that is over: this year's once it has ended, else last year's. Each
  partner hosts a Thursday-to-Sunday series, 6 to 10 p.m., at a place in its first
  area: a real park where there is one, else its schoolyard. A few fall short, so that
  the summer check has something to show: one runs Friday and Saturday only (short
  every week), two lose two nights of some weeks to cancellations (short those
  weeks), one loses a single night (still three that week).
- Head counts for every night held before `today`, none for cancelled nights.
- All year: four partners run a weekly public gym night (Wednesdays, 5:30 to 8:30 p.m.)
  for 52 weeks from the week of the first run, and two hold a staff-only night for
  their participants, which never reaches the public calendar.

Idempotent: every row has a uuid5 id (peacehub.demo.coalition.demo_id) and is inserted
with ignore_conflicts, so a second run adds nothing. A series that exists already is
left whole: its nights are never added to twice. Head counts are added for nights that
have passed since the last run.

Call inside the seed's transaction, after coalition_seed:
    events_seed(coalition=coalition, today=today, rng=random.Random(seed))
"""

import datetime
import random
from pathlib import Path

from django.conf import settings

from peacehub.accounts.roles import Role
from peacehub.demo.coalition import PARTNERS, Coalition, demo_id
from peacehub.events.models import (
    SERVICE_COUNT_FIELDS,
    Attendance,
    Event,
    EventKind,
    Place,
    PlaceKind,
    Series,
    ServiceKind,
)
from peacehub.events.recurrence import local_zone, night_bounds, rule_dates
from peacehub.events.services import places_load
from peacehub.events.summer import SUMMER_WEEKS, summer_weeks
from peacehub.geo.geometry import contains
from peacehub.geo.models import CommunityArea

PARKS_GEOJSON = Path(settings.BASE_DIR) / "data" / "chicago_parks" / "englewood_parks.geojson"

THURSDAY_TO_SUNDAY = (3, 4, 5, 6)
FRIDAY_AND_SATURDAY = (4, 5)
WEDNESDAY = (2,)
# Partner index -> weeks (1-based) that lose nights, and how many nights each.
TWO_NIGHTS_A_WEEK = {4}  # Bronzeville Lamplighters
CANCELLED_NIGHTS = {
    9: {3: 2, 7: 2},  # Paseo de Paz Humboldt: short in weeks 3 and 7
    13: {8: 2},  # Ashland Crossroads Outreach: short in week 8
    12: {5: 1},  # Woodlawn Open Gate: one night lost, still three
}
GYM_NIGHT_PARTNERS = (0, 1, 6, 10)
STAFF_ONLY_PARTNERS = (2, 7)
GYM_NIGHT_WEEKS = 52

CANCELLATION_NOTICES = (
    "Cancelled because of the severe thunderstorm warning. See you tomorrow night.",
    "Cancelled: the park is closed for a water main repair. We are back on Saturday.",
    "Cancelled because of the heat advisory. Cooling centers are open across the city.",
)
ACTIVITIES = (
    "Basketball tournament, DJ, double-dutch, face painting for the kids.",
    "Three-on-three basketball, a spades table, a bounce house, music.",
    "Flag football, arts and crafts, an open mic for young poets.",
    "Movie night on the lawn, a bike repair stand, board games.",
)
FOOD = (
    "Grilled chicken, hot dogs, fruit and water.",
    "Tacos, elote and agua fresca.",
    "Burgers, veggie wraps and lemonade.",
)


def summer_year(today: datetime.date) -> int:
    """This year's summer once it is over, else last year's."""
    last_sunday = summer_weeks(today.year)[-1] + datetime.timedelta(days=6)
    return today.year if today > last_sunday else today.year - 1


def _inside(area: CommunityArea, latitude: float, longitude: float) -> bool:
    return contains(area.boundary, longitude, latitude)


def _invented_places(area_numbers: list[int]) -> None:
    """A school gym and a schoolyard in each focus area, near its middle."""
    rows = []
    for area in CommunityArea.objects.filter(number__in=area_numbers):
        middle = (area.centroid_latitude, area.centroid_longitude)
        for kind, label, offset in (
            (PlaceKind.GYM, "school gym", 0.002),
            (PlaceKind.SCHOOL, "schoolyard", -0.002),
        ):
            point = (middle[0] + offset, middle[1])
            if not _inside(area, *point):
                point = middle
            rows.append(
                Place(
                    id=demo_id(f"events/place/{area.number}/{kind}"),
                    name=f"{area.name} {label}",
                    kind=kind,
                    latitude=round(point[0], 6),
                    longitude=round(point[1], 6),
                    community_area=area,
                    source_key=f"demo/{area.number}/{kind}",
                )
            )
    Place.objects.bulk_create(rows, ignore_conflicts=True)


def _places_by_area(area_numbers: list[int]) -> dict[int, dict[str, list[Place]]]:
    places: dict[int, dict[str, list[Place]]] = {n: {} for n in area_numbers}
    for place in (
        Place.objects.filter(community_area__number__in=area_numbers)
        .select_related("community_area")
        .defer("community_area__boundary")
        .order_by("name")
    ):
        kind = "park" if place.kind == PlaceKind.PARK else place.kind
        places[place.community_area.number].setdefault(kind, []).append(place)
    return places


class _Plan:
    """Rows to insert, gathered for a few bulk inserts."""

    def __init__(self):
        self.series: list[Series] = []
        self.series_hosts: list[tuple] = []
        self.events: list[Event] = []
        self.event_hosts: list[tuple] = []

    def add_series(
        self,
        *,
        key: str,
        organization_id,
        place: Place,
        title: str,
        kind: str,
        weekdays: tuple[int, ...],
        times: tuple[datetime.time, datetime.time],
        first: datetime.date,
        last: datetime.date,
        details: dict,
        cancelled: dict[datetime.date, str] | None = None,
        existing: set,
    ) -> None:
        series_id = demo_id(key)
        if series_id in existing:
            return
        series = Series(
            id=series_id,
            title=title,
            kind=kind,
            place=place,
            weekdays=list(weekdays),
            start_time=times[0],
            end_time=times[1],
            first_date=first,
            last_date=last,
            **details,
        )
        self.series.append(series)
        self.series_hosts.append((series_id, organization_id))
        for day in rule_dates(weekdays=list(weekdays), first_date=first, last_date=last):
            starts_at, ends_at = night_bounds(day, *times)
            notice = (cancelled or {}).get(day, "")
            event = Event(
                id=demo_id(f"{key}/{day.isoformat()}"),
                series=series,
                recurrence_date=day,
                title=title,
                kind=kind,
                place=place,
                starts_at=starts_at,
                ends_at=ends_at,
                cancelled_at=starts_at - datetime.timedelta(hours=5) if notice else None,
                cancellation_notice=notice,
                sequence=1 if notice else 0,
                **details,
            )
            self.events.append(event)
            self.event_hosts.append((event.id, organization_id))

    def save(self) -> None:
        Series.objects.bulk_create(self.series, batch_size=500, ignore_conflicts=True)
        Series.hosts.through.objects.bulk_create(
            [Series.hosts.through(series_id=s, organization_id=o) for s, o in self.series_hosts],
            ignore_conflicts=True,
        )
        Event.objects.bulk_create(self.events, batch_size=500, ignore_conflicts=True)
        Event.hosts.through.objects.bulk_create(
            [Event.hosts.through(event_id=e, organization_id=o) for e, o in self.event_hosts],
            batch_size=1000,
            ignore_conflicts=True,
        )


def _details(rng: random.Random, *, food: bool = True, public: bool = True) -> dict:
    services = [s for s in ServiceKind.values if s != ServiceKind.OTHER and rng.random() < 0.35]
    return {
        "food_served": food,
        "food_description": rng.choice(FOOD) if food else "",
        "activities": rng.choice(ACTIVITIES),
        "services": sorted(services),
        "is_public": public,
    }


def _cancelled_nights(
    partner: int, mondays: list[datetime.date], weekdays: tuple[int, ...], rng: random.Random
) -> dict[datetime.date, str]:
    cancelled = {}
    for week, count in CANCELLED_NIGHTS.get(partner, {}).items():
        monday = mondays[week - 1]
        nights = [monday + datetime.timedelta(days=d) for d in weekdays]
        for day in nights[-count:]:
            cancelled[day] = rng.choice(CANCELLATION_NOTICES)
    return cancelled


def _attendance(held: list[Event], coalition: Coalition, rng: random.Random) -> list[Attendance]:
    """Head counts for nights held: more people on summer weekends than at gym nights."""
    recorders = {
        name: (coalition.staff.get((name, Role.SUPERVISOR)) or [None])[0]
        for name in coalition.partner_ids
    }
    host_of = dict(
        Event.hosts.through.objects.filter(event_id__in=[e.pk for e in held]).values_list(
            "event_id", "organization__name"
        )
    )
    rows = []
    for event in held:
        size = 1.0 if event.kind == EventKind.LIGHT_IN_THE_NIGHT else 0.4
        if _weekday(event) in (4, 5):
            size *= 1.3
        counts = {
            "children": int(rng.gauss(25, 8) * size),
            "teens": int(rng.gauss(30, 10) * size),
            "young_adults": int(rng.gauss(18, 6) * size),
            "adults": int(rng.gauss(28, 9) * size),
            "seniors": int(rng.gauss(6, 3) * size),
        }
        counts = {k: max(0, v) for k, v in counts.items()}
        people = sum(counts.values())
        meals = int(people * rng.uniform(0.8, 1.1)) if event.food_served else 0
        connections = {
            field: (rng.randint(0, 6) if kind in event.services else 0)
            for kind, field in SERVICE_COUNT_FIELDS
        }
        rows.append(
            Attendance(
                id=demo_id(f"events/attendance/{event.pk}"),
                event_id=event.pk,
                meals_served=meals,
                recorded_by_id=recorders.get(host_of.get(event.pk)),
                recorded_at=event.ends_at + datetime.timedelta(hours=rng.randint(1, 40)),
                **counts,
                **connections,
            )
        )
    return rows


def _weekday(event: Event) -> int:
    return event.starts_at.astimezone(local_zone()).weekday()


def events_seed(*, coalition: Coalition, today: datetime.date, rng: random.Random) -> dict:
    """Create what is missing of the demo's places, series, events and head counts.
    Returns how many of each were added."""
    focus = sorted(coalition.areas)
    before = {
        "places": Place.objects.count(),
        "series": Series.objects.count(),
        "events": Event.objects.count(),
        "attendance": Attendance.objects.count(),
    }
    places_load(geojson_path=PARKS_GEOJSON)
    _invented_places(focus)
    places = _places_by_area(focus)

    year = summer_year(today)
    mondays = summer_weeks(year)
    first, last = mondays[0], mondays[-1] + datetime.timedelta(days=6)
    this_monday = today - datetime.timedelta(days=today.weekday())
    existing = set(Series.objects.values_list("pk", flat=True))
    plan = _Plan()
    evening = (datetime.time(18, 0), datetime.time(22, 0))
    for index, spec in enumerate(PARTNERS):
        organization_id = coalition.partner_ids[spec.name]
        area = spec.areas[0]
        parks = places[area].get("park", [])
        place = parks[index % len(parks)] if parks else places[area][PlaceKind.SCHOOL][0]
        weekdays = FRIDAY_AND_SATURDAY if index in TWO_NIGHTS_A_WEEK else THURSDAY_TO_SUNDAY
        plan.add_series(
            key=f"events/summer/{year}/{spec.name}",
            organization_id=organization_id,
            place=place,
            title=f"Light in the Night at {place.name}",
            kind=EventKind.LIGHT_IN_THE_NIGHT,
            weekdays=weekdays,
            times=evening,
            first=first,
            last=last,
            details=_details(rng),
            cancelled=_cancelled_nights(index, mondays, weekdays, rng),
            existing=existing,
        )
    for index in GYM_NIGHT_PARTNERS:
        spec = PARTNERS[index]
        gym = places[spec.areas[0]][PlaceKind.GYM][0]
        plan.add_series(
            key=f"events/gym-nights/{spec.name}",
            organization_id=coalition.partner_ids[spec.name],
            place=gym,
            title=f"Open gym night at the {gym.name}",
            kind=EventKind.GYM_NIGHT,
            weekdays=WEDNESDAY,
            times=(datetime.time(17, 30), datetime.time(20, 30)),
            first=this_monday,
            last=this_monday + datetime.timedelta(weeks=GYM_NIGHT_WEEKS, days=-1),
            details=_details(rng, food=rng.random() < 0.5),
            existing=existing,
        )
    for index in STAFF_ONLY_PARTNERS:
        spec = PARTNERS[index]
        day = this_monday + datetime.timedelta(days=12)
        plan.add_series(
            key=f"events/participants-night/{spec.name}",
            organization_id=coalition.partner_ids[spec.name],
            place=places[spec.areas[0]][PlaceKind.GYM][0],
            title="Participants' family dinner",
            kind=EventKind.SAFE_SPACE,
            weekdays=(day.weekday(),),
            times=(datetime.time(17, 0), datetime.time(20, 0)),
            first=day,
            last=day,
            details=_details(rng, public=False),
            existing=existing,
        )
    plan.save()

    start_of_today = datetime.datetime.combine(today, datetime.time.min, tzinfo=local_zone())
    held = list(
        Event.objects.filter(
            series_id__in=[demo_id(f"events/summer/{year}/{s.name}") for s in PARTNERS]
            + [demo_id(f"events/gym-nights/{PARTNERS[i].name}") for i in GYM_NIGHT_PARTNERS],
            cancelled_at__isnull=True,
            ends_at__lte=start_of_today,
            attendance__isnull=True,
        ).order_by("starts_at")
    )
    Attendance.objects.bulk_create(
        _attendance(held, coalition, rng), batch_size=500, ignore_conflicts=True
    )
    return {
        "places": Place.objects.count() - before["places"],
        "series": Series.objects.count() - before["series"],
        "events": Event.objects.count() - before["events"],
        "attendance": Attendance.objects.count() - before["attendance"],
        "summer": year,
        "weeks": SUMMER_WEEKS,
    }
