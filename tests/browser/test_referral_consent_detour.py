"""The referral form, in a real browser: the case manager picks a service, types the
reason, finds that the person's only consent names another organization, records the
consent from the form and comes back to it as she left it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peacehub.cases.tests.factories import CaseFactory
from peacehub.people.models import ConsentKind
from peacehub.people.tests.factories import ConsentFactory
from peacehub.referrals.models import Referral
from peacehub.referrals.tests.factories import coalition_service
from tests.browser.test_people_journey import sign_in

pytestmark = pytest.mark.browser

REASON = "Old possession charge in the way of construction jobs; wants it expunged"


def test_record_consent_from_the_referral_form_and_back(
    new_page, console, live_server, carmen, legal_aid, org_b, person_a, password
):
    service = coalition_service(legal_aid, "Legal Aid Justice Corps")
    ConsentFactory(person=person_a, kind=ConsentKind.SHARE, recipient=org_b)
    case = CaseFactory(person=person_a, case_manager=carmen)
    page = new_page("carmen")
    sign_in(page, carmen.email, password)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Refer to a service").click()

    service_label = f"Legal Aid Justice Corps — {legal_aid.name}"
    page.get_by_label("Service", exact=True).select_option(label=service_label)
    page.get_by_label("Reason for the referral").fill(REASON)
    page.get_by_role("button", name="Show services").click()
    # Back with the services of any need, and everything as it was left.
    expect(page.get_by_label("Service", exact=True).locator("option:checked")).to_have_text(
        service_label
    )
    expect(page.get_by_label("Reason for the referral")).to_have_value(REASON)
    expect(
        page.get_by_text(f"No current consent of the person names {legal_aid.name}")
    ).to_be_visible()

    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent for Jamal Washington")
    expect(page.get_by_label("Organization to share with").locator("option:checked")).to_have_text(
        legal_aid.name
    )
    page.get_by_label("How consent was given").select_option(label="Signed form")
    page.get_by_label("Given on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/referrals/new/{person_a.pk}/\?case="))
    expect(page.get_by_role("status")).to_contain_text("Consent recorded.")
    expect(page.get_by_label("Service", exact=True).locator("option:checked")).to_have_text(
        service_label
    )
    expect(
        page.get_by_label("The person's consent to share").locator("option:checked")
    ).to_contain_text(f"To share with {legal_aid.name}")
    expect(page.get_by_label("Reason for the referral")).to_have_value(REASON)
    page.get_by_role("button", name="Send the referral").click()

    expect(page.get_by_role("status")).to_contain_text("Referral sent.")
    referral = Referral.objects.get()
    assert (referral.case, referral.service, referral.reason) == (case, service, REASON)
    assert console.csp_violations() == []
