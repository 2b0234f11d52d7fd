"""Pages on a phone 360 px wide."""

import pytest
from django.urls import reverse

from peacehub.outreach.tests.factories import ContactFactory
from peacehub.people.tests.factories import PersonFactory
from tests.browser.test_people_journey import sign_in
from tests.browser.test_public_site import PHONE

pytestmark = pytest.mark.browser


def test_table_cells_keep_words_and_numbers_whole_on_a_phone(new_page, bob, alice, org_a, password):
    """A supervisor at 360 px: the contacts-per-worker table scrolls sideways in its box
    rather than printing "32" as "3" over "2" and names one syllable a line."""
    for _ in range(12):
        ContactFactory(person=PersonFactory(organization=org_a), worker=alice)
    page = new_page("phone-supervisor", viewport=PHONE)
    sign_in(page, bob.email, password)
    page.goto(reverse("outreach:supervisor"))

    broken = page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap td, .table-wrap th')]
            .filter((cell) => cell.textContent.trim() && !/\\s/.test(cell.textContent.trim()))
            .filter((cell) => {
                const line = parseFloat(getComputedStyle(cell).lineHeight);
                const range = document.createRange();
                range.selectNodeContents(cell);
                return range.getBoundingClientRect().height > line * 1.5;
            })
            .map((cell) => cell.textContent.trim())"""
    )

    assert page.locator(".table-wrap td").count() > 0
    assert broken == []
