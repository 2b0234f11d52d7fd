"""Browser tests: Playwright (sync API) drives Debian's Chromium against live_server.

Playwright never downloads a browser here: CI installs Debian's `chromium` package
(`make browser`), and a missing one fails these tests rather than skipping them.
"""

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

# Playwright's sync API keeps an asyncio loop running in the main thread for as long as
# the (session-wide) browser lives, so Django would refuse every ORM call made from a
# test or fixture afterwards as "async unsafe". The calls really are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"

expect.set_options(timeout=TIMEOUT_MS)

_phase_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    item.stash.setdefault(_phase_reports, {})[report.when] = report
    return report


@pytest.fixture(autouse=True)
def _live_database(transactional_db) -> None:
    """Browser tests run against live_server, which needs real transactions."""


_ONE_QUERY_AT_A_TIME = threading.RLock()


def _serialized(execute, sql, params, many, context):
    with _ONE_QUERY_AT_A_TIME:
        return execute(sql, params, many, context)


@pytest.fixture(autouse=True)
def _one_query_at_a_time(live_server) -> Iterator[None]:
    """On SQLite the test database is in memory, and every thread of the live server
    (one a request) shares one connection to it, as Django's LiveServerTestCase does.
    Two requests at once (the alerts badge polling while a page loads) broke the
    driver's statement cache on that connection: a KeyError and a 500, seen once in a
    few hundred runs. The server's queries take turns."""
    with contextlib.ExitStack() as stack:
        for shared in live_server.thread.connections_override.values():
            stack.enter_context(shared.execute_wrapper(_serialized))
        yield


# --- Browser, contexts, pages ----------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}. Install it with "
            "`make browser` (apt-get install chromium); Playwright must not download one.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleLog:
    """Console errors and uncaught exceptions of every page a test opens."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page, label: str) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                where = message.location.get("url", "")
                self.errors.append(f"[{label}] {message.text} ({where})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"[{label}] uncaught: {error}"))

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e or "CSP violation" in e]


# Chromium logs CSP violations to the console in its own words; the DOM event names the
# directive, whatever the wording. Init scripts are not themselves subject to the CSP.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def new_page(
    browser: Browser, live_server, console: ConsoleLog, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Page]]:
    """new_page(label, **context_options): a page in a fresh browser context (its own
    cookies, so its own signed-in user), on the live server, in US English."""
    opened: list[tuple[str, BrowserContext, Page]] = []

    def open_page(label: str = "page", **options) -> Page:
        options.setdefault("locale", "en-US")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(_REPORT_CSP_VIOLATIONS)
        page = context.new_page()
        console.watch(page, label)
        opened.append((label, context, page))
        return page

    yield open_page

    reports = request.node.stash.get(_phase_reports, {})
    failed = any(report.failed for report in reports.values())
    for label, context, page in opened:
        if failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            path = RESULTS_DIR / f"{request.node.name}-{label}.png"
            # A crashed page has nothing to show; the failure itself is reported anyway.
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(path), full_page=True)
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()
