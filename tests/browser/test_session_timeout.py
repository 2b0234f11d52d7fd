"""A contact written on a phone and saved after the session ran out is not lost.

DESIGN.md: "nothing a user entered is lost". A worker is called away in the middle of the
quick log; when they come back and press Save, the session has ended after the idle
limit. They sign in again and find the form as they left it, person included, and save.
"""

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import Page, expect

from peacehub.accounts.middleware import SESSION_LAST_SEEN
from peacehub.outreach.models import Contact
from tests.browser.test_people_journey import unexpected_errors

pytestmark = pytest.mark.browser

NOTE = "Met him at the ER after his cousin was shot; wants to talk tomorrow"
PHONE = {"width": 360, "height": 740}


SIGNED_OUT = "You were signed out after 15 minutes without activity."


def sign_in_form(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def worker_on_a_phone(new_page, worker, password) -> Page:
    page = new_page("worker", viewport=PHONE)
    page.goto("/accounts/sign-in/")
    sign_in_form(page, worker.email, password)
    expect(page).to_have_url(re.compile(r"/outreach/$"))
    return page


def go_idle(page: Page, minutes: int = 16) -> None:
    """The phone lies in a pocket: the server's session has not seen the worker since."""
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    session[SESSION_LAST_SEEN] = timezone.now().timestamp() - minutes * 60
    session.save()


def find_the_contact_kept_and_save_it(page: Page, person, contact_type: str) -> Contact:
    """Signed in again: the quick log as it was left, person included; then Save."""
    expect(page).to_have_url(re.compile(r"/outreach/contacts/new/$"))
    expect(page.get_by_role("alert")).to_contain_text("what you entered was not saved")
    expect(page.get_by_label("Note")).to_have_value(NOTE)
    expect(page.get_by_label(contact_type, exact=True)).to_be_checked()
    expect(page.get_by_role("searchbox")).to_have_value(person.display_name)

    page.get_by_role("button", name="Save contact").click()

    expect(page).not_to_have_url(re.compile(r"/contacts/new/"))
    return Contact.objects.get()


def test_a_contact_saved_after_the_session_ended_comes_back_after_signing_in(
    new_page, console, alice, person_a, password
):
    page = worker_on_a_phone(new_page, alice, password)
    page.goto("/outreach/contacts/new/")
    page.get_by_role("searchbox").fill("Jamal")
    page.get_by_role("button", name=re.compile("Jamal Washington")).click()
    page.get_by_label("Hospital", exact=True).check()
    page.get_by_label("Note").fill(NOTE)

    go_idle(page)
    page.get_by_role("button", name="Save contact").click()

    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next="))
    expect(page.get_by_text(SIGNED_OUT)).to_be_visible()
    assert not Contact.objects.exists()

    sign_in_form(page, alice.email, password)
    contact = find_the_contact_kept_and_save_it(page, person_a, "Hospital")

    assert (contact.person, contact.worker, contact.contact_type) == (person_a, alice, "hospital")
    assert contact.note == NOTE
    assert unexpected_errors(console) == []
    assert console.csp_violations() == []


def test_an_unattended_phone_stops_showing_the_participant(
    new_page, console, settings, alice, person_a, password
):
    """The alerts badge polls every few seconds; once the idle limit has passed, every
    open tab goes to sign-in instead of a participant staying on the screen."""
    settings.NOTIFICATION_POLL_SECONDS = 1
    page = worker_on_a_phone(new_page, alice, password)
    page.goto(f"/people/{person_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jamal Washington")
    other_tab = page.context.new_page()
    other_tab.goto("/people/")
    expect(other_tab.get_by_role("link", name="Jamal Washington")).to_be_visible()

    go_idle(page)

    # Whichever tab polls first ends the session; the other then polls signed out.
    expect(page).to_have_url(re.compile(rf"/accounts/sign-in/\?next=%2Fpeople%2F{person_a.pk}"))
    expect(other_tab).to_have_url(re.compile(r"/accounts/sign-in/\?next=%2Fpeople%2F$"))
    # The tab whose poll ended the session says why; which one that is, the timing of
    # the two polls decides (a loaded machine once had the other tab show it).
    for _ in range(50):
        if page.get_by_text(SIGNED_OUT).count() or other_tab.get_by_text(SIGNED_OUT).count():
            break
        page.wait_for_timeout(200)
    assert page.get_by_text(SIGNED_OUT).count() + other_tab.get_by_text(SIGNED_OUT).count() == 1
    assert "Washington" not in page.content()
    assert "Washington" not in other_tab.content()
    assert unexpected_errors(console) == []


def test_a_contact_left_unsaved_on_an_unattended_phone_is_kept(
    new_page, console, settings, alice, person_a, password
):
    """The worker typed a note and put the phone away without saving. When the session
    ends the page goes to sign-in, but the note is not lost."""
    settings.NOTIFICATION_POLL_SECONDS = 1
    page = worker_on_a_phone(new_page, alice, password)
    page.goto(f"/outreach/contacts/new/?person={person_a.pk}")
    page.get_by_label("Phone or text", exact=True).check()
    page.get_by_label("Note").fill(NOTE)

    go_idle(page)

    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=%2Foutreach%2Fcontacts%2Fnew"))
    assert NOTE not in page.content()
    assert not Contact.objects.exists()

    sign_in_form(page, alice.email, password)
    contact = find_the_contact_kept_and_save_it(page, person_a, "Phone or text")

    assert (contact.person, contact.contact_type, contact.note) == (person_a, "phone", NOTE)
    assert unexpected_errors(console) == []
