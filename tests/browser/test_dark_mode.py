"""Dark pages for phones set to dark: an outreach worker checks PeaceHub at night.

With the browser asking for a dark scheme, the public pages and the worker's own pages
turn dark, and axe-core still finds no serious or critical violation, colour contrast
among them. A printed page (the eligibility sheet, a certificate) stays dark on white.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from peacehub.outreach.tests.factories import IncidentFactory, area
from peacehub.people.tests.factories import PersonFactory
from tests.browser.test_people_journey import sign_in
from tests.browser.test_public_site import PAGES, PHONE, _axe_violations, _describe

pytestmark = pytest.mark.browser

DARK_BACKGROUND = "rgb(13, 17, 23)"  # --wash in the dark scheme
LIGHT_BACKGROUND = "rgb(243, 245, 247)"  # --wash in the light scheme


def _background(page: Page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def _dark_page(new_page, label: str) -> Page:
    # bypass_csp: axe is injected as an inline script, which the policy rightly blocks
    # (test_public_site checks the pages under the policy).
    return new_page(label, viewport=PHONE, color_scheme="dark", bypass_csp=True)


@pytest.mark.parametrize("path", PAGES)
def test_public_page_in_the_dark_scheme(new_page, path):
    page = _dark_page(new_page, "dark")
    page.goto(path)
    assert _background(page) == DARK_BACKGROUND
    violations = _axe_violations(page)
    assert violations == [], _describe(violations)


def test_the_worker_pages_in_the_dark_and_in_the_light(new_page, alice, org_a, password):
    englewood = area(68)
    org_a.community_areas.add(englewood)
    PersonFactory(organization=org_a, outreach_worker=alice, community_area=englewood)
    IncidentFactory(community_area=englewood, reported_by_organization=org_a)
    page = _dark_page(new_page, "dark-worker")
    sign_in(page, alice.email, password)
    for path in (
        reverse("outreach:home"),
        reverse("outreach:contact_new"),
        reverse("outreach:incident_new"),
        reverse("people:list"),
    ):
        page.goto(path)
        assert _background(page) == DARK_BACKGROUND, path
        violations = _axe_violations(page)
        assert violations == [], f"{path}: {_describe(violations)}"

    light = new_page("light-worker", viewport=PHONE, color_scheme="light")
    sign_in(light, alice.email, password)
    assert _background(light) == LIGHT_BACKGROUND


def test_printing_from_a_dark_phone_prints_dark_on_white(new_page):
    page = _dark_page(new_page, "dark-print")
    page.goto(reverse("site:home"))
    page.emulate_media(media="print")
    ink = page.evaluate("() => getComputedStyle(document.body).color")
    assert ink == "rgb(27, 31, 36)"  # --ink in the light scheme


def test_the_supervisor_tables_scroll_by_keyboard_in_the_dark(new_page, bob, password):
    """Wide tables scroll inside their box on a phone; the box takes the keyboard focus
    so that they can be scrolled without a mouse (axe: scrollable-region-focusable)."""
    page = _dark_page(new_page, "dark-supervisor")
    sign_in(page, bob.email, password)
    for path in (reverse("events:summer"), reverse("outreach:supervisor")):
        page.goto(path)
        violations = _axe_violations(page)
        assert violations == [], f"{path}: {_describe(violations)}"
