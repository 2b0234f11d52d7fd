"""The iCalendar feeds and downloads, read back with the icalendar package."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from peacehub.events import services
from peacehub.events.models import Event
from peacehub.events.tests.factories import (
    EventFactory,
    PlaceFactory,
    make_series,
    service_request,
)

pytestmark = pytest.mark.django_db
CHICAGO = "America/Chicago"


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar):
    return [c for c in calendar.walk("VEVENT")]


def _next_monday() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() != 0:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def series(alice, org_a):
    monday = _next_monday()
    return make_series(
        alice,
        hosts=[org_a],
        place=PlaceFactory(name="Ogden Park", address="6500 S Racine Ave"),
        weekdays=(3, 4, 5, 6),
        first=monday,
        last=monday + datetime.timedelta(weeks=10, days=-1),
    )


def test_a_series_is_one_vevent_with_a_weekly_rule_in_chicago_time(client, series):
    calendar = parse(client.get(reverse("events:feed")))

    assert calendar["VERSION"] == "2.0"
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == [CHICAGO]
    assert {c.name for c in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    [master] = vevents(calendar)
    assert str(master["UID"]) == f"series-{series.pk}@peacehub"
    assert str(master["SUMMARY"]) == "Summer nights"
    assert "Ogden Park, 6500 S Racine Ave" in str(master["LOCATION"])
    start = master.decoded("DTSTART")
    assert str(start.tzinfo) == CHICAGO or getattr(start.tzinfo, "key", None) == CHICAGO
    assert (start.hour, start.minute, start.weekday()) == (18, 0, 3)
    rule = master["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["BYDAY"] == ["TH", "FR", "SA", "SU"]
    assert rule["UNTIL"][0].date() >= series.last_date - datetime.timedelta(days=1)
    assert "EXDATE" not in master
    # The rule yields exactly the series' nights.
    assert len(series.weekdays) * 10 == series.occurrences.count() == 40


def test_a_cancelled_night_stays_listed_as_cancelled_and_a_removed_one_is_excluded(
    client, series, alice
):
    nights = list(series.occurrences.order_by("starts_at"))
    services.event_cancel(
        request=service_request(alice), event=nights[1], notice="Heat advisory tonight."
    )
    nights[2].delete()
    moved = nights[3]
    services.event_update(
        request=service_request(alice),
        event=moved,
        data={
            "title": "Sunday cookout",
            "kind": moved.kind,
            "place": moved.place,
            "hosts": [h for h in moved.hosts.all()],
            "food_served": True,
            "food_description": "Hot dogs",
            "activities": "Basketball",
            "services": [],
            "is_public": True,
            "starts_at": moved.starts_at - datetime.timedelta(hours=2),
            "ends_at": moved.ends_at,
        },
    )

    calendar = parse(client.get(reverse("events:feed")))

    master, *overrides = vevents(calendar)
    uid = f"series-{series.pk}@peacehub"
    assert {str(o["UID"]) for o in overrides} == {uid}
    by_recurrence = {o.decoded("RECURRENCE-ID"): o for o in overrides}
    cancelled = by_recurrence[nights[1].starts_at]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Heat advisory tonight." in str(cancelled["DESCRIPTION"])
    sunday = by_recurrence[nights[3].starts_at]
    assert str(sunday["SUMMARY"]) == "Sunday cookout"
    assert sunday.decoded("DTSTART") == nights[3].starts_at - datetime.timedelta(hours=2)
    assert str(sunday["STATUS"]) == "CONFIRMED"
    excluded = [d.dt for d in master["EXDATE"].dts]
    assert excluded == [nights[2].starts_at]
    assert str(excluded[0].tzinfo) == CHICAGO or excluded[0].tzinfo.key == CHICAGO


def test_uids_stay_the_same_and_sequence_follows_changes(client, series, alice):
    first = parse(client.get(reverse("events:feed")))
    services.series_cancel(request=service_request(alice), series=series, notice="Closed.")
    second = parse(client.get(reverse("events:feed")))
    assert str(vevents(first)[0]["UID"]) == str(vevents(second)[0]["UID"])
    master, *overrides = vevents(second)
    assert str(master["STATUS"]) == "CONFIRMED"
    assert len(overrides) == 40
    assert all(str(o["STATUS"]) == "CANCELLED" for o in overrides)
    assert all(int(o["SEQUENCE"]) == 1 for o in overrides)


def test_a_single_event_downloads_as_a_standalone_ics(client, series, org_a):
    night = series.occurrences.order_by("starts_at").first()
    response = client.get(reverse("events:event_ics", args=[night.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="summer-nights-')
    calendar = parse(response)
    [vevent] = vevents(calendar)
    assert str(vevent["UID"]) == f"event-{night.pk}@peacehub"
    assert "RRULE" not in vevent
    assert vevent.decoded("DTSTART") == night.starts_at
    assert vevent.decoded("DTEND") == night.ends_at
    assert str(vevent["URL"]).endswith(reverse("events:detail", args=[night.pk]))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [CHICAGO]


def test_standalone_events_and_staff_only_ones(client, org_a):
    public = EventFactory(hosts=[org_a], title="Open gym")
    EventFactory(hosts=[org_a], title="Staff retreat", is_public=False)
    calendar = parse(client.get(reverse("events:feed")))
    assert [str(v["SUMMARY"]) for v in vevents(calendar)] == ["Open gym"]
    assert str(vevents(calendar)[0]["UID"]) == f"event-{public.pk}@peacehub"
    assert b"Staff retreat" not in client.get(reverse("events:feed")).content


def test_a_staff_only_night_of_a_public_series_is_excluded(client, series):
    hidden = series.occurrences.order_by("starts_at")[4]
    Event.objects.filter(pk=hidden.pk).update(is_public=False, title="Participants only")
    [master] = vevents(parse(client.get(reverse("events:feed"))))
    assert [d.dt for d in master["EXDATE"].dts] == [hidden.starts_at]
    assert b"Participants only" not in client.get(reverse("events:feed")).content


def test_the_area_feed_has_only_its_area(client, org_a, series):
    austin = EventFactory(hosts=[org_a], title="Austin cookout", place=PlaceFactory(area_number=25))
    englewood = parse(client.get(reverse("events:area_feed", args=["englewood"])))
    assert [str(v["UID"]) for v in vevents(englewood)] == [f"series-{series.pk}@peacehub"]
    assert "Englewood" in str(englewood["X-WR-CALNAME"])
    austin_feed = parse(client.get(reverse("events:area_feed", args=["austin"])))
    assert [str(v["UID"]) for v in vevents(austin_feed)] == [f"event-{austin.pk}@peacehub"]
    assert client.get(reverse("events:area_feed", args=["atlantis"])).status_code == 404
