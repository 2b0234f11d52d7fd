"""The demo's summer of events (peacehub.demo.events), called directly."""

import datetime
import random

import pytest

from peacehub.demo.coalition import PARTNERS, coalition_seed
from peacehub.demo.events import events_seed, summer_year
from peacehub.events.models import Attendance, Event, Place, Series
from peacehub.events.recurrence import local_zone
from peacehub.events.summer import WeekStatus, summer_check

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2025, 11, 12)


@pytest.fixture
def coalition():
    return coalition_seed()


def test_the_summer_is_this_years_once_over_else_last_years():
    assert summer_year(datetime.date(2025, 11, 12)) == 2025
    assert summer_year(datetime.date(2025, 7, 1)) == 2024
    assert summer_year(datetime.date(2026, 3, 1)) == 2025


def test_a_summer_of_events_some_falling_short_and_gym_nights_in_november(coalition):
    created = events_seed(coalition=coalition, today=NOVEMBER, rng=random.Random(7))

    assert created["summer"] == 2025
    assert Place.objects.filter(source_key__startswith="chicago-park-district/").count() == 22
    summer_series = Series.objects.filter(first_date=datetime.date(2025, 5, 19))
    assert summer_series.count() == len(PARTNERS)
    partners = {p.name: p for p in coalition_partners(coalition)}
    rows = {
        row.organization.name: row
        for row in summer_check(year=2025, organizations=partners.values(), today=NOVEMBER)
    }
    assert rows["Lantern Street Outreach"].short_weeks == []
    assert rows["Bronzeville Lamplighters"].short_weeks == list(range(1, 11))
    assert rows["Paseo de Paz Humboldt"].short_weeks == [3, 7]
    assert rows["Ashland Crossroads Outreach"].short_weeks == [8]
    assert rows["Woodlawn Open Gate"].short_weeks == []
    assert all(
        w.status in (WeekStatus.MET, WeekStatus.SHORT) for r in rows.values() for w in r.weeks
    )

    # Every night held has its head counts; cancelled nights have none, and a notice.
    summer_nights = Event.objects.filter(starts_at__year=2025, starts_at__month__in=[5, 6, 7])
    held = summer_nights.filter(cancelled_at__isnull=True)
    assert held.exists()
    assert not held.filter(attendance__isnull=True).exists()
    cancelled = Event.objects.filter(cancelled_at__isnull=False)
    assert cancelled.count() == 7  # 2 + 2 nights, 2 nights, 1 night
    assert not Attendance.objects.filter(event__in=cancelled).exists()
    assert all(e.cancellation_notice for e in cancelled)

    # The public calendar is not empty in November: gym nights all year.
    november_evening = datetime.datetime(2025, 11, 12, 23, tzinfo=local_zone())
    coming = Event.objects.public().filter(starts_at__gt=november_evening)
    assert coming.filter(kind="gym_night").count() >= 4 * 50
    assert not Event.objects.filter(is_public=False, kind="light_in_the_night").exists()
    assert Event.objects.filter(is_public=False).count() == 2

    # Every event is in one of its hosts' own community areas.
    served = {(o.pk, a.pk) for o in coalition_partners(coalition) for a in o.community_areas.all()}
    for event in Event.objects.prefetch_related("hosts").select_related("place")[:200]:
        assert any((h.pk, event.place.community_area_id) in served for h in event.hosts.all())


def test_a_second_run_adds_nothing(coalition):
    events_seed(coalition=coalition, today=NOVEMBER, rng=random.Random(7))
    counts = _counts()
    again = events_seed(coalition=coalition, today=NOVEMBER, rng=random.Random(8))
    assert _counts() == counts
    assert (again["places"], again["series"], again["events"], again["attendance"]) == (0, 0, 0, 0)


def test_a_run_in_spring_seeds_last_summer(coalition):
    created = events_seed(
        coalition=coalition, today=datetime.date(2026, 4, 2), rng=random.Random(1)
    )
    assert created["summer"] == 2025
    assert Event.objects.filter(starts_at__year=2026, kind="gym_night").exists()


def coalition_partners(coalition):
    from peacehub.accounts.models import Organization

    return list(
        Organization.objects.filter(pk__in=coalition.partner_ids.values()).prefetch_related(
            "community_areas"
        )
    )


def _counts():
    return tuple(m.objects.count() for m in (Place, Series, Event, Attendance))
