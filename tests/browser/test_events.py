"""Light in the Night in a real browser (issue 5, point 11): a visitor in Spanish finds
the nearest event to where they are and downloads its calendar entry; a host records
the night's attendance."""

import datetime
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from peacehub.events.models import Attendance
from peacehub.events.tests.factories import EventFactory, PlaceFactory, at
from peacehub.geo.models import CommunityArea

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/(dashboard|outreach)/$"))


def test_a_visitor_finds_the_nearest_event_and_a_host_records_attendance(
    new_page, console, org_a, alice, password
):
    englewood = CommunityArea.objects.get(number=68)
    near = EventFactory(
        hosts=[org_a],
        title="Light in the Night at Hamilton Park",
        place=PlaceFactory(name="Hamilton Park", area_number=68),
        starts_at=at(1, 18),
        ends_at=at(1, 22),
    )
    EventFactory(
        hosts=[org_a],
        title="Austin cookout",
        place=PlaceFactory(name="Austin Town Gym", area_number=25),
        starts_at=at(1, 17),
    )
    EventFactory(hosts=[org_a], title="Staff retreat", is_public=False, starts_at=at(1, 12))
    held = EventFactory(
        hosts=[org_a], title="Last night at Ogden Park", starts_at=at(-1, 18), ends_at=at(-1, 22)
    )

    # 1. A visitor, not signed in, opens the calendar and switches to Spanish.
    visitor = new_page(
        "visitor",
        geolocation={
            "latitude": englewood.centroid_latitude,
            "longitude": englewood.centroid_longitude,
        },
        permissions=["geolocation"],
    )
    visitor.goto("/events/")
    visitor.get_by_role("button", name="Español").click()
    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    assert "Staff retreat" not in visitor.content()

    # 2. "Near me": the browser gives the location only once the button is tapped.
    near_me = visitor.locator("[data-near-me]")
    expect(near_me).to_be_visible()
    near_me.click()
    expect(visitor).to_have_url(re.compile(r"/events/near/\?lat=41\.\d\d&lon=-87\.\d\d$"))
    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    results = visitor.locator(".near-results > li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Light in the Night at Hamilton Park")
    expect(results.first).to_contain_text(re.compile(r"\d+[.,]\d km"))  # 0,4 in Spanish
    expect(results.nth(1)).to_contain_text("Austin cookout")

    # 3. The event's page, and its calendar entry.
    results.first.get_by_role("link").click()
    expect(visitor).to_have_url(re.compile(rf"/events/{near.pk}/$"))
    expect(visitor.locator("svg.area-map circle.marker")).to_have_count(1)
    with visitor.expect_download() as download_info:
        visitor.locator("[data-ics]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Light in the Night at Hamilton Park"
    assert str(entry["UID"]) == f"event-{near.pk}@peacehub"
    starts = entry.decoded("DTSTART")
    assert starts == near.starts_at
    assert "America/Chicago" in str(starts.tzinfo)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]

    # 4. A host signs in and records last night's head counts.
    host = new_page("host")
    sign_in(host, alice.email, password)
    host.goto("/events/manage/")
    host.get_by_role("link", name="Past, with head counts").click()
    card = host.locator(".managed-event", has_text="Last night at Ogden Park")
    card.get_by_role("link", name="Record attendance").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Record attendance")
    counts = {
        "Children (0–12)": "18",
        "Teens (13–17)": "25",
        "Young adults (18–24)": "11",
        "Adults (25–64)": "30",
        "Seniors (65 and over)": "6",
        "Meals served": "85",
        "Signed up for jobs": "4",
    }
    for label, value in counts.items():
        host.get_by_label(label).fill(value)  # "(optional)": an empty count is zero
    host.get_by_role("button", name="Save the counts").click()
    expect(host.get_by_role("status")).to_contain_text("Attendance recorded.")
    expect(host.locator(".managed-event", has_text="Last night at Ogden Park")).to_contain_text(
        "90 people came"
    )

    attendance = Attendance.objects.get(event=held)
    assert (attendance.children, attendance.teens, attendance.adults) == (18, 25, 30)
    assert attendance.total == 90
    assert attendance.meals_served == 85
    assert attendance.job_sign_ups == 4
    assert attendance.recorded_by == alice
    assert held.starts_at < datetime.datetime.now(datetime.UTC)

    assert console.csp_violations() == []
    assert [e for e in console.errors if "favicon" not in e] == []
