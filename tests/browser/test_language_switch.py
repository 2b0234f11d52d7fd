"""Switching language in the middle of a form loses nothing that was typed: the page in
the other language has it filled in again, unsaved, to check and save."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peacehub.outreach.models import Contact
from peacehub.outreach.tests.factories import area
from peacehub.people.tests.factories import PersonFactory
from tests.browser.test_people_journey import sign_in, unexpected_errors
from tests.browser.test_public_site import PHONE

pytestmark = pytest.mark.browser

NOTE = "Met at the hospital; his mother asked us to come back on Friday"


@pytest.fixture
def tanya(org_a):
    englewood = area(68)
    org_a.community_areas.add(englewood)
    return PersonFactory(
        organization=org_a,
        legal_first_name="Tanya",
        legal_last_name="Brooks",
        community_area=englewood,
    )


def test_text_typed_into_the_quick_log_survives_switching_to_spanish(
    new_page, console, alice, password, tanya
):
    page = new_page("alice", viewport=PHONE)
    sign_in(page, alice.email, password)
    page.goto(f"/outreach/contacts/new/?person={tanya.pk}")
    page.get_by_text("Hospital", exact=True).click()
    page.get_by_label("Note").fill(NOTE)

    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("alert")).to_contain_text("Lo que escribió está de nuevo abajo")
    expect(page.locator("[name=note]")).to_have_value(NOTE)
    expect(page.locator("input[name=contact_type][value=hospital]")).to_be_checked()
    expect(page.locator("input[type=hidden][name=person]")).to_have_value(str(tanya.pk))
    assert not Contact.objects.exists()

    page.get_by_role("button", name="Guardar el contacto").click()
    expect(page.get_by_role("status")).to_contain_text("Contacto registrado")
    assert Contact.objects.get().note == NOTE
    assert unexpected_errors(console) == []


def test_a_refused_form_switched_to_spanish_comes_back_with_what_was_sent(
    new_page, console, alice, password, tanya
):
    page = new_page("alice", viewport=PHONE)
    sign_in(page, alice.email, password)
    page.goto(f"/outreach/contacts/new/?person={tanya.pk}")
    page.get_by_text("Street", exact=True).click()
    page.get_by_text("More: time, place").click()
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.get_by_label("When").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("in the future")).to_be_visible()

    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("[name=note]")).to_have_value(NOTE)
    expect(page.locator("[name=occurred_at]")).to_have_value(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("input[name=contact_type][value=street]")).to_be_checked()
    assert not Contact.objects.exists()
    # The refused form itself is answered 400, which the browser logs.
    errors = unexpected_errors(console)
    assert len(errors) == 1 and "status of 400" in errors[0]
