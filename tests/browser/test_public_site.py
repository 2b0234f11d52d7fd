"""The public site in a real browser, as a resident on a phone sees it (issue 5,
points 8 and 9): every public page, in English and in Spanish,

- has no serious or critical accessibility violation found by axe-core,
- fits a 360 px screen without horizontal scrolling,
- loads nothing from another host and carries the strict Content-Security-Policy.

axe-core is vendored (scripts/vendor_static.sh) and injected from the file on disk
into the page under test only; no page links it. Its script tag is inline, which the
policy rightly blocks, so axe runs in a second browser context that bypasses the
policy, while the first context checks the page under the policy itself.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from peacehub.accounts.models import Organization
from peacehub.accounts.tests.factories import OrganizationFactory
from peacehub.geo.models import CommunityArea
from peacehub.geo.services import focus_areas_set
from peacehub.site.programs import PROGRAMS
from tests.browser.test_people_journey import unexpected_errors

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "peacehub" / "static" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
LOCALES = {"en": "en-US", "es": "es-US"}
BLOCKING_IMPACTS = {"serious", "critical"}


PAGES = [
    pytest.param(reverse("site:home"), id="home"),
    pytest.param(reverse("site:programs"), id="programs"),
    *[
        pytest.param(reverse("site:program", args=[program.slug]), id=f"program {program.slug}")
        for program in PROGRAMS
    ],
    pytest.param(reverse("site:partners"), id="partners"),
    pytest.param(reverse("site:areas"), id="areas"),
    pytest.param(reverse("site:area", args=[68]), id="area 68"),
    pytest.param(reverse("site:get_help"), id="get help"),
    pytest.param(reverse("accounts:login"), id="sign in"),
    # Served by the events and academy apps, linked from the public navigation.
    pytest.param(reverse("events:calendar"), id="events calendar"),
    pytest.param(reverse("academy:public_trainings"), id="trainings"),
]


@pytest.fixture
def public_coalition() -> None:
    focus_areas_set(numbers=[68, 67, 66, 46, 25])
    areas = {a.number: a for a in CommunityArea.objects.filter(number__in=[68, 67, 66, 46, 25])}
    OrganizationFactory(name="Lantern Street Outreach").community_areas.set([areas[68], areas[67]])
    OrganizationFactory(name="Open Hands West").community_areas.set([areas[25]])
    OrganizationFactory(
        name="Commons Legal Aid Project", kind=Organization.Kind.PROVIDER
    ).community_areas.set(areas.values())


def _axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def _describe(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [
                    {"target": n["target"], "html": n["html"][:200], "why": n["failureSummary"]}
                    for n in v["nodes"][:5]
                ],
            }
            for v in violations
        ],
        indent=2,
    )


def _too_wide(page: Page) -> list[str]:
    return page.evaluate(
        """(limit) => document.documentElement.scrollWidth <= limit ? [] :
            Array.from(document.querySelectorAll("body *"))
              .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
              .slice(0, 5)
              .map((el) => `${el.tagName.toLowerCase()}.${el.className} `
                           + `${Math.round(el.getBoundingClientRect().right)}px`)""",
        PHONE["width"],
    )


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES)
def test_public_page_is_accessible_self_contained_and_fits_a_phone(
    new_page, console, live_server, public_coalition, path, language
):
    own_host = urlsplit(live_server.url).netloc
    page = new_page(f"policy-{language}", viewport=PHONE, locale=LOCALES[language])
    hosts: set[str] = set()

    def record_host(request) -> None:
        # data: and blob: addresses are made inside the page; everything else has a host.
        address = urlsplit(request.url)
        if address.scheme not in {"data", "blob"}:
            hosts.add(address.netloc)

    page.on("request", record_host)

    # goto returns once the load event has fired: every stylesheet, script and image
    # the page asks for has been requested by then.
    response = page.goto(path)
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    policy = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert hosts == {own_host}, f"requests to other hosts: {hosts - {own_host}}"
    assert _too_wide(page) == [], f"wider than {PHONE['width']} px"
    assert console.csp_violations() == []
    assert unexpected_errors(console) == []

    checked = new_page(f"axe-{language}", viewport=PHONE, locale=LOCALES[language], bypass_csp=True)
    checked.goto(path)
    violations = _axe_violations(checked)
    assert violations == [], _describe(violations)


def test_language_switch_and_help_from_the_public_nav_on_a_phone(new_page, public_coalition):
    page = new_page("phone", viewport=PHONE, is_mobile=True)
    page.goto(reverse("site:partners"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Partners")).to_have_attribute("aria-current", "page")
    for name in ["Home", "Programs", "Events", "Trainings", "Get help now", "Staff sign-in"]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()

    page.get_by_role("button", name="Español").click()
    expect(page).to_have_url(f"{page.url.split('/partners/')[0]}/partners/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # The language stays chosen from page to page.
    page.get_by_role("link", name="Englewood", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Englewood")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Lantern Street Outreach")).to_be_visible()

    page.get_by_role("button", name="English").click()
    page.locator("a.nav-help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    for name, href in [
        ("Call 911", "tel:911"),
        ("Call 988", "tel:988"),
        ("Text 988", "sms:988"),
        ("Call 1-877-863-6338", "tel:+18778636338"),
    ]:
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_have_attribute("href", href)
        box = link.bounding_box()
        assert box is not None and box["height"] >= 44, f"{name} is too small to tap"


def test_the_area_finder_works_without_javascript(new_page, public_coalition):
    page = new_page("no-js", viewport=PHONE, java_script_enabled=False)
    page.goto(reverse("site:partners"))
    page.get_by_label("Your community area").select_option(label="West Englewood")
    page.get_by_role("button", name="Show who works there").click()
    expect(page).to_have_url(f"{page.url.split('/areas/')[0]}/areas/67/")
    expect(page.get_by_role("heading", level=1)).to_have_text("West Englewood")
    expect(page.get_by_text("Lantern Street Outreach")).to_be_visible()
