"""Series of nights: a rule that generates its events; edits of the whole series or of
one night; cancellation of one night or of the rest of the series."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.events.models import Attendance, Event, Series
from peacehub.events.recurrence import night_bounds, rule_dates
from peacehub.events.tests.factories import PlaceFactory, make_series

pytestmark = pytest.mark.django_db

THURSDAY_TO_SUNDAY = ["3", "4", "5", "6"]


def _next(weekday: int, after: datetime.date | None = None) -> datetime.date:
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def _form(place, organization, **changes):
    first = _next(0)  # a Monday
    data = {
        "title": "Summer nights at Ogden Park",
        "kind": "light_in_the_night",
        "place": place.pk,
        "hosts": [organization.pk],
        "weekdays": THURSDAY_TO_SUNDAY,
        "start_time": "18:00",
        "end_time": "22:00",
        "first_date": first.isoformat(),
        "last_date": (first + datetime.timedelta(weeks=10, days=-1)).isoformat(),
        "food_served": "on",
        "food_description": "Burgers",
        "activities": "Basketball",
        "is_public": "on",
    }
    data.update(changes)
    return data


def test_rule_dates_and_nights_past_midnight():
    monday = datetime.date(2025, 6, 2)
    dates = rule_dates(
        weekdays=[3, 4, 5, 6], first_date=monday, last_date=monday + datetime.timedelta(13)
    )
    assert [d.weekday() for d in dates] == [3, 4, 5, 6] * 2
    start, end = night_bounds(monday, datetime.time(21), datetime.time(1))
    assert (end - start) == datetime.timedelta(hours=4)
    assert end.date() == datetime.date(2025, 6, 3)
    assert str(start.tzinfo) == "America/Chicago"


def test_a_ten_week_thursday_to_sunday_series_makes_forty_nights(client_for, alice, org_a):
    response = client_for(alice).post(reverse("events:series_new"), _form(PlaceFactory(), org_a))

    assert response.status_code == 302
    series = Series.objects.get()
    assert response["Location"] == reverse("events:series", args=[series.pk])
    nights = list(series.occurrences.order_by("starts_at"))
    assert len(nights) == 40
    assert {n.starts_at.astimezone(timezone.get_default_timezone()).weekday() for n in nights} == {
        3,
        4,
        5,
        6,
    }
    local = timezone.localtime(nights[0].starts_at)
    assert (local.hour, local.minute) == (18, 0)
    assert all(list(n.hosts.all()) == [org_a] for n in nights[:3])
    assert all(n.title == series.title and n.food_description == "Burgers" for n in nights)
    assert AuditEvent.objects.filter(record_id=str(series.pk), action="create").exists()
    page = client_for(alice).get(reverse("events:series", args=[series.pk]))
    assert page.status_code == 200
    assert b"Summer nights at Ogden Park" in page.content


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"weekdays": []}, "weekdays", "Choose at least one night of the week."),
        (
            {"first_date": "2030-06-10", "last_date": "2030-06-01"},
            "last_date",
            "The last night is before the first.",
        ),
        (
            # Tuesday 10 June to Wednesday 11 June 2030 holds no Thursday to Sunday.
            {"first_date": "2030-06-11", "last_date": "2030-06-12"},
            "weekdays",
            "the series would have no nights",
        ),
        (
            {"first_date": "2030-01-01", "last_date": "2031-06-01"},
            "last_date",
            "A series can run for one year at most.",
        ),
        ({"end_time": "17:00"}, "end_time", "The night ends before it starts."),
        ({"end_time": "18:00"}, "end_time", "The night ends when it starts."),
        ({"weekdays": ["9"]}, "weekdays", "Select a valid choice"),
    ],
)
def test_a_series_with_no_nights_or_a_bad_rule_saves_nothing(
    client_for, alice, org_a, changes, field, message
):
    response = client_for(alice).post(
        reverse("events:series_new"), _form(PlaceFactory(), org_a, **changes)
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert b"Nothing was saved" in response.content
    assert not Series.objects.exists()
    assert not Event.objects.exists()


def test_a_night_may_run_past_midnight(client_for, alice, org_a):
    response = client_for(alice).post(
        reverse("events:series_new"),
        _form(PlaceFactory(), org_a, start_time="21:00", end_time="01:00", weekdays=["4"]),
    )
    assert response.status_code == 302
    night = Event.objects.order_by("starts_at").first()
    assert night.ends_at - night.starts_at == datetime.timedelta(hours=4)


def _past_night(series, days_ago=1):
    """Move the series' first night into the past, as if it had been held."""
    night = series.occurrences.order_by("starts_at").first()
    shift = night.starts_at - timezone.now() + datetime.timedelta(days=days_ago)
    Event.objects.filter(pk=night.pk).update(
        starts_at=night.starts_at - shift, ends_at=night.ends_at - shift
    )
    night.refresh_from_db()
    return night


def test_editing_the_series_regenerates_only_untouched_future_nights(client_for, alice, org_a):
    monday = _next(0)
    series = make_series(
        alice,
        hosts=[org_a],
        weekdays=(3, 4, 5, 6),
        first=monday,
        last=monday + datetime.timedelta(days=20),
    )
    nights = list(series.occurrences.order_by("starts_at"))
    assert len(nights) == 12
    held = _past_night(series)
    Attendance.objects.create(event=held, adults=12)
    friday, saturday = nights[5:7]
    Event.objects.filter(pk=friday.pk).update(
        cancelled_at=timezone.now(), cancellation_notice="Rain"
    )
    Event.objects.filter(pk=saturday.pk).update(is_exception=True, title="Saturday special")
    untouched_ids = {n.pk for n in nights} - {held.pk, friday.pk, saturday.pk}

    # Fridays and Saturdays only, an hour later, with a new title.
    response = client_for(alice).post(
        reverse("events:series_edit", args=[series.pk]),
        _form(
            series.place,
            org_a,
            title="Weekend nights",
            weekdays=["4", "5"],
            start_time="19:00",
            end_time="23:00",
            first_date=monday.isoformat(),
            last_date=(monday + datetime.timedelta(days=20)).isoformat(),
        ),
    )

    assert response.status_code == 302
    series.refresh_from_db()
    assert series.title == "Weekend nights" and series.weekdays == [4, 5]
    remaining = {e.pk: e for e in series.occurrences.all()}
    # Kept as they were: the held night and its counts, the cancelled and the edited one.
    assert remaining[held.pk].title == "Summer nights"
    assert remaining[friday.pk].cancellation_notice == "Rain"
    assert remaining[saturday.pk].title == "Saturday special"
    # Untouched Thursdays and Sundays are gone; untouched Fridays and Saturdays follow
    # the new rule (same rows, so the same public addresses).
    for pk in untouched_ids:
        night = remaining.get(pk)
        if night is None:
            continue
        local = timezone.localtime(night.starts_at)
        assert local.weekday() in (4, 5)
        assert (local.hour, night.title, night.sequence) == (19, "Weekend nights", 1)
    assert all(
        timezone.localtime(e.starts_at).weekday() in (4, 5)
        for pk, e in remaining.items()
        if pk != held.pk
    )
    audit = AuditEvent.objects.get(record_id=str(series.pk), action="update")
    assert audit.detail["kept"] == 3
    assert audit.detail["removed"] >= 4


def test_an_edit_that_adds_dates_adds_nights(client_for, alice, org_a):
    monday = _next(0)
    series = make_series(
        alice, hosts=[org_a], weekdays=(4,), first=monday, last=monday + datetime.timedelta(6)
    )
    assert series.occurrences.count() == 1
    response = client_for(alice).post(
        reverse("events:series_edit", args=[series.pk]),
        _form(
            series.place,
            org_a,
            title=series.title,
            weekdays=["4"],
            first_date=monday.isoformat(),
            last_date=(monday + datetime.timedelta(days=20)).isoformat(),
        ),
    )
    assert response.status_code == 302
    assert series.occurrences.count() == 3


def test_a_bad_series_edit_changes_nothing(client_for, alice, org_a):
    series = make_series(alice, hosts=[org_a])
    before = sorted(series.occurrences.values_list("pk", "starts_at"))
    response = client_for(alice).post(
        reverse("events:series_edit", args=[series.pk]),
        _form(series.place, org_a, weekdays=[]),
    )
    assert response.status_code == 400
    assert sorted(series.occurrences.values_list("pk", "starts_at")) == before
    series.refresh_from_db()
    assert series.sequence == 0


def test_editing_one_night_makes_it_an_exception(client_for, alice, org_a):
    series = make_series(alice, hosts=[org_a])
    night = series.occurrences.order_by("starts_at")[2]
    local_start = timezone.localtime(night.starts_at)
    response = client_for(alice).post(
        reverse("events:event_edit", args=[night.pk]),
        {
            "title": "Block party edition",
            "kind": "light_in_the_night",
            "place": night.place_id,
            "hosts": [org_a.pk],
            "starts_at": local_start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local_start + datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    night.refresh_from_db()
    assert night.is_exception and night.title == "Block party edition"
    assert night.recurrence_date is not None
    assert Series.objects.get().title == "Summer nights"


def test_cancelling_the_whole_series_cancels_its_coming_nights(client_for, alice, org_a):
    series = make_series(alice, hosts=[org_a])
    held = _past_night(series)
    client = client_for(alice)
    assert client.get(reverse("events:series_cancel", args=[series.pk])).status_code == 200
    response = client.post(reverse("events:series_cancel", args=[series.pk]), {"notice": ""})
    assert response.status_code == 400
    assert not Event.objects.filter(cancelled_at__isnull=False).exists()

    response = client.post(
        reverse("events:series_cancel", args=[series.pk]),
        {"notice": "The park is closed for repairs."},
    )

    assert response.status_code == 302
    series.refresh_from_db()
    assert series.is_cancelled
    held.refresh_from_db()
    assert not held.is_cancelled
    coming = series.occurrences.exclude(pk=held.pk)
    assert coming.count() == series.occurrences.count() - 1
    assert all(n.cancellation_notice == "The park is closed for repairs." for n in coming)
    # A cancelled series cannot be edited.
    response = client.post(
        reverse("events:series_edit", args=[series.pk]), _form(series.place, org_a)
    )
    assert response.status_code == 400
    assert "This series was cancelled" in response.content.decode()


def test_series_pages_are_for_the_hosts(client_for, alice, org_a, charlie):
    series = make_series(alice, hosts=[org_a])
    client = client_for(charlie)
    for name in ("events:series", "events:series_edit", "events:series_cancel"):
        assert client.get(reverse(name, args=[series.pk])).status_code == 404
    client.force_login(member(org_a, Role.WORKFORCE_STAFF))
    assert client.get(reverse("events:series", args=[series.pk])).status_code == 403
    assert client.get(reverse("events:series_new")).status_code == 403
