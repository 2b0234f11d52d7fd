"""An outreach worker's day with a participant's record, in a real browser; and the
firewall seen from a worker of another organization.

Issue point 13: sign in, add a person, find them by a misspelled name, switch to
Spanish, sign out; a worker of another organization cannot reach that person's page.
"""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Response, expect

from peacehub.people.models import Person

pytestmark = pytest.mark.browser

FIRST_NAME, LAST_NAME = "Christopher", "Rodriguez"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME}"
PHONE_WIDTH = 360
SIGN_OUT_BUTTON = "form[action='/accounts/sign-out/'] button[type=submit]"


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # Outreach workers land on their own home page; other roles on the dashboard.
    expect(page).to_have_url(re.compile(r"/(dashboard|outreach)/$"))


def record_documents(page: Page) -> list[Response]:
    """Every full-page response the page receives (not htmx fragments, not assets)."""
    documents: list[Response] = []
    page.on(
        "response",
        lambda response: (
            documents.append(response) if response.request.resource_type == "document" else None
        ),
    )
    return documents


def is_search_for(text: str):
    def predicate(response: Response) -> bool:
        query = parse_qs(urlparse(response.url).query)
        return (
            urlparse(response.url).path == "/people/"
            and query.get("q") == [text]
            and response.request.headers.get("hx-request") == "true"
        )

    return predicate


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def assert_name_absent(page: Page) -> None:
    html = page.content()
    assert FIRST_NAME not in html
    assert LAST_NAME not in html


def unexpected_errors(console, *not_found_urls: str) -> list[str]:
    """Console errors, less the 404 responses of the given URLs. base.html links no icon
    yet, so the browser's own request for /favicon.ico is always one of them."""
    expected = tuple(f"{url})" for url in ("/favicon.ico", *not_found_urls))
    return [
        error
        for error in console.errors
        if not ("status of 404" in error and error.endswith(expected))
    ]


def assert_strict_csp(documents: list[Response]) -> None:
    assert documents
    for response in documents:
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy, response.url
        assert "script-src 'self'" in policy, response.url
        assert "unsafe-inline" not in policy, response.url


def test_outreach_worker_journey_and_the_firewall(
    new_page, console, org_a, alice, charlie, person_a, person_b, password
):
    page = new_page("alice")
    documents = record_documents(page)

    # 1. Alice signs in through the form and lands on her outreach home page.
    sign_in(page, alice.email, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice Outreach")

    # 2. She adds a participant.
    main_nav(page).get_by_role("link", name="Participants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participants")
    page.get_by_role("link", name="Add a participant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a participant")
    page.get_by_label("Legal first name").fill(FIRST_NAME)
    page.get_by_label("Legal last name").fill(LAST_NAME)
    page.get_by_label("Date of birth").fill("1999-04-12")
    page.get_by_label("Preferred language").select_option(label="Spanish")
    page.get_by_label("Community area").select_option(label="Englewood")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(r"/people/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FULL_NAME)
    expect(page.get_by_role("status")).to_contain_text(f"{FULL_NAME} was added.")
    details = page.get_by_role("region", name="Details")
    expect(details).to_contain_text("Englewood")
    expect(details).to_contain_text("Spanish")
    expect(details).to_contain_text(org_a.name)
    person_url = page.url
    person = Person.objects.get(legal_last_name=LAST_NAME)
    assert person_url.endswith(f"/people/{person.pk}/")
    assert person.organization == org_a

    # 3. On the list, a misspelled name finds them through htmx, without a reload.
    main_nav(page).get_by_role("link", name="Participants").click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name=re.compile(FULL_NAME))).to_be_visible()
    expect(results.get_by_role("link", name=re.compile(person_a.display_name))).to_be_visible()
    page.evaluate("window.peacehubSameDocument = true")
    documents_before_search = len(documents)

    with page.expect_response(is_search_for("Kristofer Rodrigez")) as search:
        page.get_by_label("Name or nickname").press_sequentially("Kristofer Rodrigez", delay=25)
    assert search.value.ok

    expect(results.get_by_role("link", name=re.compile(FULL_NAME))).to_be_visible()
    expect(results.get_by_role("link", name=re.compile(person_a.display_name))).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/people/\?q=Kristofer(\+|%20)Rodrigez"))  # hx-push-url
    assert page.evaluate("window.peacehubSameDocument === true"), "the page was reloaded"
    assert len(documents) == documents_before_search

    # 4. She switches to Spanish.
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="English", exact=True)).to_be_visible()
    alice.refresh_from_db()
    assert alice.preferred_language == "es"

    # 5. She signs out (the button now speaks Spanish); the record needs a sign-in again.
    page.locator(SIGN_OUT_BUTTON).click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    expect(page.locator(SIGN_OUT_BUTTON)).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto(person_url)
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next="))
    assert_name_absent(page)

    # 6. Charlie, of another organization, signs in and cannot reach the person.
    other = new_page("charlie")
    other_documents = record_documents(other)
    sign_in(other, charlie.email, password)

    response = other.goto(person_url)
    assert response is not None
    assert response.status == 404
    assert_name_absent(other)

    other.goto("/people/")
    other_results = other.locator("#results")
    expect(
        other_results.get_by_role("link", name=re.compile(person_b.display_name))
    ).to_be_visible()
    assert_name_absent(other)
    with other.expect_response(is_search_for(FULL_NAME)):
        other.get_by_label("Name or nickname").press_sequentially(FULL_NAME, delay=25)
    expect(other_results).to_contain_text("Nobody matches this search in your organization.")
    expect(other_results.get_by_role("link")).to_have_count(0)
    assert FIRST_NAME not in other_results.inner_html()

    other.goto(f"/people/autocomplete/?q={LAST_NAME}")
    assert_name_absent(other)

    # Every page carried the strict policy and nothing broke it or any script.
    assert_strict_csp(documents)
    assert_strict_csp(other_documents)
    assert console.csp_violations() == []
    assert unexpected_errors(console, person_url) == []


def test_phone_width_labels_and_visible_focus(new_page, console, alice, person_a, password):
    page = new_page("phone", viewport={"width": PHONE_WIDTH, "height": 740}, is_mobile=True)
    too_wide: dict[str, list[str]] = {}

    def check_width(name: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide[name] = page.evaluate(
                """(limit) => Array.from(document.querySelectorAll("body *"))
                    .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
                    .slice(0, 5)
                    .map((el) => `${el.tagName.toLowerCase()}.${el.className} `
                                 + `${Math.round(el.getBoundingClientRect().right)}px`)""",
                PHONE_WIDTH,
            )

    def unlabelled_controls() -> list[str]:
        return page.evaluate(
            """() => Array.from(document.querySelectorAll("input, select, textarea"))
                .filter((el) => el.type !== "hidden")
                .filter((el) => !(el.labels && el.labels.length)
                                && !el.getAttribute("aria-label")
                                && !el.getAttribute("aria-labelledby"))
                .map((el) => el.outerHTML)"""
        )

    page.goto("/accounts/sign-in/")
    check_width("sign-in")
    assert unlabelled_controls() == []
    sign_in(page, alice.email, password)
    check_width("outreach home")

    page.goto("/people/")
    check_width("participants list")
    assert unlabelled_controls() == []

    page.goto(f"/people/{person_a.pk}/")
    check_width("participant page")
    assert unlabelled_controls() == []

    page.goto("/people/new/")
    check_width("add a participant")
    assert unlabelled_controls() == []
    for label in [
        "Legal first name",
        "Legal last name",
        "Preferred name",
        "Nicknames",
        "Date of birth",
        "Estimated birth year",
        "Gender",
        "Preferred language",
        "Phone",
        "Community area",
    ]:
        expect(page.get_by_label(label)).to_be_visible()

    assert too_wide == {}, f"wider than {PHONE_WIDTH} px: {too_wide}"

    # Every keyboard stop of the add form shows where the focus is, buttons included.
    invisible_focus = []
    buttons_seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    // False when the focus is inside the element's own shadow tree, such
                    // as the calendar button of a date input, which the browser draws.
                    own: el.matches(":focus"),
                    tag: el.tagName.toLowerCase(),
                    name: (el.innerText || el.name || el.id || "").trim().slice(0, 40),
                    focusVisible: el.matches(":focus-visible"),
                    outline: style.outlineStyle !== "none" && style.outlineWidth !== "0px",
                };
            }"""
        )
        if focused["tag"] == "body" or not focused["own"]:
            continue
        if not (focused["focusVisible"] and focused["outline"]):
            invisible_focus.append(focused)
        if focused["tag"] == "button":
            buttons_seen.append(focused["name"])
        if focused["name"] == "Save":
            break
    assert "Save" in buttons_seen, buttons_seen
    assert "Español" in buttons_seen, buttons_seen
    assert invisible_focus == []

    assert unexpected_errors(console) == []


def test_back_after_a_search_and_nothing_left_in_the_tab_after_sign_out(
    page, alice, person_a, password
):
    sign_in(page, alice.email, password)
    page.goto("/people/")
    search = page.get_by_label("Name or nickname")
    with page.expect_response(is_search_for("Jamal")):
        search.press_sequentially("Jamal", delay=25)
    expect(page).to_have_url(re.compile(r"\?q=Jamal"))  # htmx pushes after the swap
    search.fill("")
    with page.expect_response(is_search_for("Wash")):
        search.press_sequentially("Wash", delay=25)
    expect(page).to_have_url(re.compile(r"\?q=Wash"))

    # Back to the first search: the whole page, not only the fragment of results.
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?q=Jamal"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Participants")
    expect(page.locator("#results")).to_contain_text(person_a.display_name)

    page.locator(SIGN_OUT_BUTTON).click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    stored = page.evaluate("JSON.stringify([{...sessionStorage}, {...localStorage}])")
    assert person_a.legal_last_name not in stored
