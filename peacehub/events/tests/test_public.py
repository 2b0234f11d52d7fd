"""The public calendar: no sign-in, never a staff-only event."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.events.tests.factories import EventFactory, PlaceFactory, at
from peacehub.geo.models import CommunityArea

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["events:calendar", "events:list", "events:near", "events:feed"]


@pytest.fixture
def events(org_a):
    CommunityArea.objects.filter(number__in=[68, 67, 25]).update(is_focus_area=True)
    englewood = PlaceFactory(name="Hamilton Park", area_number=68)
    austin = PlaceFactory(name="Austin Town Gym", area_number=25)
    return {
        "public": EventFactory(hosts=[org_a], title="Open gym night", place=englewood),
        "far": EventFactory(hosts=[org_a], title="Austin cookout", place=austin),
        "staff_only": EventFactory(
            hosts=[org_a], title="Participants-only retreat", place=englewood, is_public=False
        ),
    }


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_need_no_sign_in_and_never_show_staff_only_events(client, events, name):
    params = {"area": "68"} if name == "events:near" else {}
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Open gym night" in body
    assert "Participants-only retreat" not in body


def test_a_staff_only_event_has_no_public_page_even_for_its_hosts(client, events, alice):
    staff_only = events["staff_only"]
    assert client.get(reverse("events:detail", args=[staff_only.pk])).status_code == 404
    assert client.get(reverse("events:event_ics", args=[staff_only.pk])).status_code == 404
    client.force_login(alice)
    assert client.get(reverse("events:detail", args=[staff_only.pk])).status_code == 404
    area_feed = client.get(reverse("events:area_feed", args=["englewood"]))
    assert b"Participants-only retreat" not in area_feed.content


def test_the_month_view_places_events_on_their_day(client, events):
    event = events["public"]
    day = timezone.localtime(event.starts_at)
    response = client.get(reverse("events:calendar"), {"month": day.strftime("%Y-%m")})
    assert response.status_code == 200
    cells = [cell for week in response.context["weeks"] for cell in week]
    holding = [cell["date"] for cell in cells if event in cell["events"]]
    assert holding == [day.date()]
    assert response.context["month_has_events"]
    body = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body
    assert 'class="area focus"' in body
    assert body.count('<circle class="marker"') == 2
    assert reverse("events:detail", args=[event.pk]) in body


def test_the_month_view_filters_by_area_and_pages_through_months(client, events):
    day = timezone.localtime(events["public"].starts_at)
    response = client.get(
        reverse("events:calendar"), {"month": day.strftime("%Y-%m"), "area": "25"}
    )
    body = response.content.decode()
    assert "Austin cookout" in body and "Open gym night" not in body
    assert 'class="area focus highlight"' in body
    assert reverse("events:area_feed", args=["austin"]) in body
    response = client.get(reverse("events:calendar"), {"month": "2020-02"})
    assert response.context["month"] == datetime.date(2020, 2, 1)
    assert not response.context["month_has_events"]
    assert client.get(reverse("events:calendar"), {"month": "soon"}).status_code == 200


def test_the_list_shows_coming_events_with_cancellations(client, events, org_a):
    EventFactory(hosts=[org_a], title="Last week", starts_at=at(-7), ends_at=at(-7, 22))
    EventFactory(
        hosts=[org_a],
        title="Rained out",
        cancelled_at=timezone.now(),
        cancellation_notice="Thunderstorms: see you Saturday.",
    )
    response = client.get(reverse("events:list"))
    body = response.content.decode()
    assert "Open gym night" in body and "Austin cookout" in body
    assert "Last week" not in body
    assert "Rained out" in body and "Thunderstorms: see you Saturday." in body
    response = client.get(reverse("events:list"), {"area": "68"})
    assert "Austin cookout" not in response.content.decode()


def test_public_lists_pin_their_query_counts(client, org_a, django_assert_max_num_queries):
    place = PlaceFactory()
    for k in range(15):
        EventFactory(hosts=[org_a], place=place if k % 2 else PlaceFactory(), starts_at=at(k + 1))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("events:list")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("events:calendar")).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:near"), {"lat": "41.78", "lon": "-87.64"})
    assert len(response.context["results"]) == 9  # one per place


def test_near_an_area_lists_the_nearest_first_with_distances(client, events):
    response = client.get(reverse("events:near"), {"area": "68"})
    results = response.context["results"]
    assert [r["event"].title for r in results] == ["Open gym night", "Austin cookout"]
    assert results[0]["distance"] == 0.0
    assert 10 < results[1]["distance"] < 20
    body = response.content.decode()
    assert "km away" in body
    assert "from the middle of Englewood" in body


def test_near_a_location_from_the_browser(client, events):
    austin = CommunityArea.objects.get(number=25)
    response = client.get(
        reverse("events:near"),
        {"lat": f"{austin.centroid_latitude:.2f}", "lon": f"{austin.centroid_longitude:.2f}"},
    )
    assert response.status_code == 200
    assert response.context["results"][0]["event"].title == "Austin cookout"
    assert response.context["origin_area"] == austin
    assert "from where you are" in response.content.decode()


def test_near_skips_cancelled_nights_and_shows_the_next_one(client, org_a):
    place = PlaceFactory(name="Ogden Park")
    EventFactory(
        hosts=[org_a],
        place=place,
        title="Cancelled Friday",
        cancelled_at=timezone.now(),
        cancellation_notice="Rain",
    )
    EventFactory(hosts=[org_a], place=place, title="Saturday night", starts_at=at(2))
    EventFactory(hosts=[org_a], place=place, title="Sunday night", starts_at=at(3))
    response = client.get(reverse("events:near"), {"lat": "41.78", "lon": "-87.64"})
    assert [r["event"].title for r in response.context["results"]] == ["Saturday night"]


@pytest.mark.parametrize("params", [{"lat": "north", "lon": "-87.6"}, {"area": "999999"}])
def test_near_with_a_place_it_cannot_read(client, events, params):
    response = client.get(reverse("events:near"), params)
    assert response.status_code == 400
    assert b"We could not read that place." in response.content
    assert response.context["results"] == []


def test_the_event_page_has_its_map_and_calendar_download(client, events):
    event = events["public"]
    response = client.get(reverse("events:detail", args=[event.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Open gym night" in body and "Hamilton Park" in body
    assert body.count('<circle class="marker"') == 1
    assert 'class="area focus highlight"' in body
    assert reverse("events:event_ics", args=[event.pk]) in body
    assert "Grilled chicken and fruit" in body
    assert "Job sign-up" in body
    assert org_name_in(body, event)


def org_name_in(body: str, event) -> bool:
    return all(host.name in body for host in event.hosts.all())


def test_public_pages_keep_the_strict_policy(client, events):
    import re

    response = client.get(reverse("events:calendar"))
    body = response.content.decode()
    assert "style=" not in body
    for tag in re.findall(r"<script[^>]*>", body):
        assert re.search(r'src="/static/', tag)
    assert "/static/js/events.js" in body
