"""The quick contact log on a phone: picking the participant in the search puts the
contact where the participant lives, as the participant's own "Log" link does."""

import re

import pytest
from playwright.sync_api import expect

from peacehub.outreach.models import Contact
from peacehub.outreach.tests.factories import area
from peacehub.people.tests.factories import PersonFactory
from tests.browser.test_people_journey import sign_in, unexpected_errors
from tests.browser.test_public_site import PHONE

pytestmark = pytest.mark.browser


def test_picking_the_participant_sets_their_community_area(
    new_page, console, alice, org_a, password
):
    englewood, austin = area(68), area(25)
    org_a.community_areas.add(englewood)  # where Alice works: the form's default
    tanya = PersonFactory(
        organization=org_a,
        legal_first_name="Tanya",
        legal_last_name="Brooks",
        community_area=austin,
    )
    PersonFactory(
        organization=org_a,
        legal_first_name="Terrell",
        legal_last_name="Banks",
        community_area=None,
    )
    page = new_page("alice", viewport=PHONE)
    sign_in(page, alice.email, password)
    page.get_by_role("link", name="Log contact").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log contact")
    community_area = page.get_by_label("Community area")
    expect(community_area).to_have_value(str(englewood.pk))
    search = page.get_by_role("searchbox", name="Participant")
    results = page.locator(".picker-results")

    # Someone whose area is not known: the area stays where it was.
    search.press_sequentially("Terrell", delay=25)
    results.get_by_role("button", name=re.compile("Terrell Banks")).click()
    expect(search).to_have_value("Terrell Banks")
    expect(community_area).to_have_value(str(englewood.pk))

    # Tanya lives in Austin: the contact is there.
    search.fill("")
    search.press_sequentially("Tanya", delay=25)
    results.get_by_role("button", name=re.compile("Tanya Brooks")).click()
    expect(search).to_have_value("Tanya Brooks")
    expect(page.locator("input[type=hidden][name=person]")).to_have_value(str(tanya.pk))
    expect(community_area).to_have_value(str(austin.pk))

    page.get_by_text("Street", exact=True).click()
    page.get_by_role("button", name="Save contact").click()

    expect(page.get_by_role("status")).to_contain_text("Contact logged.")
    contact = Contact.objects.get()
    assert (contact.person, contact.community_area) == (tanya, austin)
    assert unexpected_errors(console) == []
