"""From a hand-off in the street to a closed referral loop, in a real browser.

Issue point 11: outreach hands a person off; the case manager accepts, does the intake
and the needs assessment, sets two goals and refers to the Legal Aid Justice Corps with
the person's consent; legal staff of another organization accept, record the first
appointment and complete the referral; the case manager sees the loop closed. Then the
consent is revoked, and legal staff can no longer open the referral.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from peacehub.cases.models import Case
from peacehub.outreach.models import Introduction, IntroductionStatus
from peacehub.people.models import Consent, ConsentKind, ShareScope
from peacehub.referrals.models import Referral, ReferralStatus
from peacehub.referrals.tests.factories import coalition_service
from tests.browser.test_people_journey import (
    assert_strict_csp,
    main_nav,
    record_documents,
    sign_in,
    unexpected_errors,
)

pytestmark = pytest.mark.browser

PHONE = "(773) 555-0142"
SUMMARY = "Met him after his cousin's funeral; wants to clear his record and find work"
WANTS_HELP_WITH = "Expunge an old possession charge; a steady job in construction"
REASON = "Old possession charge in the way of construction jobs; wants it expunged"
GOALS = [("Legal", "Clear my record", 60), ("Employment", "Find a job in construction", 120)]
# Every domain of the assessment (version 1), as the form labels it, and its rating.
RATINGS = {
    "Safety": 4,
    "Housing": 3,
    "Employment": 3,
    "Education and GED": 4,
    "Legal": 2,
    "Physical health": 4,
    "Mental health": 3,
    "Substance use": 4,
    "Family": 4,
    "Public benefits": 3,
    "Identity documents": 4,
}
STEPS = ["Received", "Accepted", "First appointment", "In service", "Completed"]


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def status_message(page: Page):
    return page.get_by_role("status")


def status_badge(page: Page):
    return page.get_by_role("main").locator(".badge").first


def fact(section, term: str):
    """The value (dd) of a term (dt) of a list of facts."""
    return (
        section.locator("dt")
        .filter(has_text=re.compile(f"^{re.escape(term)}$"))
        .locator("xpath=following-sibling::dd[1]")
    )


def in_english(value, format_name: str) -> str:
    with translation.override("en"):
        return date_format(value, format_name)


def save_step(page: Page, step: str, done_before: int, **fields: str) -> None:
    """Legal staff save the next step of the referral; the page comes back with it."""
    steps = page.get_by_role("region", name="Every step")
    steps.get_by_label("Next step").select_option(label=step)
    for label, value in fields.items():
        steps.get_by_label(label).fill(value)
    steps.get_by_role("button", name="Save the step").click()
    expect(steps.locator("ol.steps > li")).to_have_count(done_before + 1)
    expect(status_message(page)).to_contain_text("Step saved. Both organizations see it.")
    expect(status_badge(page)).to_have_text(step)


def test_hand_off_case_and_closed_loop_referral_until_consent_is_revoked(
    new_page,
    console,
    live_server,
    org_a,
    alice,
    carmen,
    legal_aid,
    lena,
    person_a,
    password,
):
    # Set-up: Jamal has a phone and speaks Spanish; Commons Legal Aid runs the service.
    person_a.phone = PHONE
    person_a.preferred_language = "es"
    person_a.save(update_fields=["phone", "preferred_language"])
    service = coalition_service(legal_aid, "Legal Aid Justice Corps")
    person_path = f"/people/{person_a.pk}/"
    today = timezone.localdate()

    # 1. Alice, his outreach worker, introduces Jamal to Carmen.
    alice_page = new_page("alice")
    alice_documents = record_documents(alice_page)
    sign_in(alice_page, alice.email, password)
    main_nav(alice_page).get_by_role("link", name="Participants").click()
    alice_page.locator("#results").get_by_role("link", name=re.compile("Jamal Washington")).click()
    expect(alice_page).to_have_url(f"{live_server.url}{person_path}")
    alice_page.get_by_role("link", name="Introduce to a case manager").click()
    expect(heading(alice_page)).to_have_text("Introduce Jamal Washington to a case manager")
    alice_page.get_by_label("Case manager", exact=True).select_option(label=carmen.full_name)
    alice_page.get_by_label("Summary for the case manager").fill(SUMMARY)
    alice_page.get_by_role("button", name="Send introduction").click()

    expect(alice_page).to_have_url(f"{live_server.url}{person_path}")
    expect(status_message(alice_page)).to_contain_text("Introduction sent to the case manager.")
    expect(alice_page.get_by_text(f"Introduced to {carmen.full_name}; waiting")).to_be_visible()
    expect(alice_page.get_by_role("link", name="Introduce to a case manager")).to_have_count(0)

    # 2. Carmen finds the introduction waiting on her caseload and accepts it: Jamal's
    # case opens with her, at its intake.
    carmen_page = new_page("carmen")
    carmen_documents = record_documents(carmen_page)
    sign_in(carmen_page, carmen.email, password)
    main_nav(carmen_page).get_by_role("link", name="Caseload").click()
    expect(heading(carmen_page)).to_have_text("My caseload")
    waiting = carmen_page.get_by_role("region", name="Waiting for you")
    introduction = waiting.locator(".card").filter(has_text="Jamal Washington")
    expect(introduction).to_contain_text(SUMMARY)
    expect(introduction).to_contain_text(f"from {alice.full_name}")
    introduction.get_by_role("button", name="Accept").click()

    expect(carmen_page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/intake/$"))
    expect(status_message(carmen_page)).to_contain_text(
        "Jamal Washington is now in case management with you."
    )
    expect(heading(carmen_page)).to_have_text("Intake for Jamal Washington")
    expect(carmen_page.get_by_role("region", name="Introduction from outreach")).to_contain_text(
        SUMMARY
    )
    assert Introduction.objects.get(person=person_a).status == IntroductionStatus.ACCEPTED
    case = Case.objects.get(person=person_a)
    assert case.case_manager == carmen
    person_a.refresh_from_db()
    assert (person_a.status, person_a.case_manager) == ("case_management", carmen)
    case_path = f"/cases/{case.pk}/"
    # Handed off by outreach, today: the intake says so before she types anything.
    expect(carmen_page.get_by_label("Intake date")).to_have_value(today.isoformat())
    expect(carmen_page.get_by_label("Referred by").locator("option:checked")).to_have_text(
        "Street outreach (introduction)"
    )
    carmen_page.get_by_label("What the person wants help with").fill(WANTS_HELP_WITH)
    carmen_page.get_by_role("button", name="Save and go to the assessment").click()

    # The needs assessment: every domain rated on its row of tiles.
    expect(carmen_page).to_have_url(f"{live_server.url}{case_path}assessments/new/")
    expect(status_message(carmen_page)).to_contain_text("Intake saved.")
    expect(heading(carmen_page)).to_have_text("Needs assessment for Jamal Washington")
    expect(carmen_page.locator("fieldset.rating")).to_have_count(len(RATINGS))
    expect(carmen_page.get_by_label("Assessed on")).to_have_value(today.isoformat())
    for domain, rating in RATINGS.items():
        tile = carmen_page.get_by_role("group", name=domain, exact=True).get_by_label(
            str(rating), exact=True
        )
        tile.check()
        expect(tile).to_be_checked()
    carmen_page.get_by_role("button", name="Save the assessment").click()

    expect(carmen_page).to_have_url(f"{live_server.url}{case_path}")
    expect(status_message(carmen_page)).to_contain_text("Assessment saved.")
    expect(heading(carmen_page)).to_have_text("Case of Jamal Washington")
    intake = carmen_page.get_by_role("region", name="Intake")
    expect(intake).to_contain_text("Street outreach (introduction)")
    expect(intake).to_contain_text(WANTS_HELP_WITH)
    needs = carmen_page.get_by_role("region", name="Needs over time")
    for domain, rating in RATINGS.items():
        row = needs.get_by_role("row").filter(
            has=carmen_page.get_by_role("rowheader", name=domain, exact=True)
        )
        expect(row.get_by_role("cell").first).to_have_text(str(rating))
    assessment = case.assessments.get()
    assert {r.domain: r.rating for r in assessment.ratings.all()}["legal"] == 2
    assert assessment.ratings.count() == len(RATINGS)

    # Two goals of the service plan, in Jamal's words.
    plan = carmen_page.get_by_role("region", name="Service plan")
    expect(plan).to_contain_text("No goals yet.")
    for count, (domain, description, in_days) in enumerate(GOALS, start=1):
        plan.get_by_label("Domain", exact=True).select_option(label=domain)
        plan.get_by_label("Goal, in the person's words").fill(description)
        target = today + datetime.timedelta(days=in_days)
        plan.get_by_label("Target date").fill(target.isoformat())
        plan.get_by_role("button", name="Add goal").click()
        expect(status_message(carmen_page)).to_contain_text("Goal added to the plan.")
        goals = plan.locator("ul.list > li")
        expect(goals).to_have_count(count)
        expect(goals.nth(count - 1)).to_contain_text(description)
        expect(goals.nth(count - 1)).to_contain_text(domain)
    assert sorted(case.goals.values_list("domain", flat=True)) == ["employment", "legal"]

    # 3. Jamal signs a consent to share his phone with Commons Legal Aid.
    carmen_page.get_by_role("link", name="Participant", exact=True).click()
    expect(carmen_page).to_have_url(f"{live_server.url}{person_path}")
    consents = carmen_page.get_by_role("region", name="Consent")
    expect(consents).to_contain_text("No consent recorded yet.")
    consents.get_by_role("link", name="Record consent").click()
    expect(heading(carmen_page)).to_have_text("Record consent for Jamal Washington")
    carmen_page.get_by_label("Consent to").select_option(
        label="To share information with a named organization"
    )
    carmen_page.get_by_label("Organization to share with").select_option(label=legal_aid.name)
    carmen_page.get_by_label("Phone number").check()
    carmen_page.get_by_label("How consent was given").select_option(label="Signed form")
    carmen_page.get_by_label("Given on").fill(today.isoformat())
    carmen_page.get_by_role("button", name="Save", exact=True).click()

    expect(carmen_page).to_have_url(f"{live_server.url}{person_path}")
    expect(status_message(carmen_page)).to_contain_text("Consent recorded.")
    expect(consents).to_contain_text(
        f"To share information with a named organization — {legal_aid.name}"
    )
    consent = Consent.objects.get(person=person_a)
    assert consent.kind == ConsentKind.SHARE
    assert consent.recipient == legal_aid
    assert consent.scope == [ShareScope.PHONE]

    # She refers Jamal, from his case, to the Legal Aid Justice Corps.
    carmen_page.get_by_role("region", name="Case management").get_by_role(
        "link", name="Open the case"
    ).click()
    expect(carmen_page).to_have_url(f"{live_server.url}{case_path}")
    carmen_page.get_by_role("link", name="Refer to a service").click()
    expect(heading(carmen_page)).to_have_text("Refer Jamal Washington to a service")
    carmen_page.get_by_label("Service", exact=True).select_option(
        label=f"Legal Aid Justice Corps — {legal_aid.name}"
    )
    consent_choice = carmen_page.get_by_label("The person's consent to share")
    option = consent_choice.locator("option", has_text=f"To share with {legal_aid.name}, given")
    expect(option).to_have_count(1)
    consent_choice.select_option(option.get_attribute("value"))
    carmen_page.get_by_label("Reason for the referral").fill(REASON)
    carmen_page.get_by_role("button", name="Send the referral").click()

    expect(carmen_page).to_have_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    expect(status_message(carmen_page)).to_contain_text("Referral sent.")
    expect(heading(carmen_page)).to_have_text("Jamal Washington → Legal Aid Justice Corps")
    expect(status_badge(carmen_page)).to_have_text("Sent")
    referral = Referral.objects.get()
    referral_path = f"/referrals/{referral.pk}/"
    assert carmen_page.url == f"{live_server.url}{referral_path}"
    assert (referral.case, referral.service, referral.consent) == (case, service, consent)
    assert referral.receiving_organization == legal_aid

    # 4. Lena, of Commons Legal Aid, opens the referral she received: the packet only.
    lena_page = new_page("lena")
    lena_documents = record_documents(lena_page)
    sign_in(lena_page, lena.email, password)
    main_nav(lena_page).get_by_role("link", name="Referrals").click()
    expect(heading(lena_page)).to_have_text("Referrals received")
    received = lena_page.get_by_role("main").get_by_role("link", name=re.compile("Jamal"))
    expect(received).to_have_count(1)
    expect(received).to_contain_text(f"from {org_a.name}")
    expect(received).to_contain_text("Sent")
    received.click()

    expect(lena_page).to_have_url(f"{live_server.url}{referral_path}")
    packet = lena_page.get_by_role("region", name="Referral packet")
    expect(fact(packet, "Name")).to_have_text("Jamal Washington")
    expect(fact(packet, "How to reach").get_by_role("link", name=PHONE)).to_have_attribute(
        "href", f"tel:{PHONE}"
    )
    expect(fact(packet, "Preferred language")).to_have_text("Spanish")
    expect(fact(packet, "Reason")).to_have_text(REASON)
    expect(fact(packet, "From")).to_have_text(f"{org_a.name} · {carmen.full_name}")
    lena_html = lena_page.content()
    for secret in (
        case_path,
        "Back to the case",
        "Needs over time",
        WANTS_HELP_WITH,
        SUMMARY,
        *(description for _domain, description, _days in GOALS),
    ):
        assert secret not in lena_html, secret

    # Seen this morning, the referral having come in by phone: a first appointment must
    # have happened before the person can be in service.
    appointment = timezone.localtime().replace(second=0, microsecond=0)
    for done_before, step in enumerate(STEPS, start=1):
        fields = {}
        if step == "First appointment":
            fields["First appointment"] = f"{appointment:%Y-%m-%dT%H:%M}"
        save_step(lena_page, step, done_before, **fields)
    appointment_text = in_english(appointment, "SHORT_DATETIME_FORMAT")
    expect(fact(packet, "First appointment")).to_have_text(appointment_text)
    expect(lena_page.get_by_label("Next step")).to_have_count(0)  # nothing follows
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.first_appointment_at == appointment

    # 5. Carmen reloads the referral: every step is there, the loop is closed.
    carmen_page.reload()
    expect(status_badge(carmen_page)).to_have_text("Completed")
    steps = carmen_page.get_by_role("region", name="Every step").locator("ol.steps > li")
    expect(steps).to_have_count(len(STEPS) + 1)
    for index, step in enumerate(["Sent", *STEPS]):
        expect(steps.nth(index)).to_contain_text(step)
        by = carmen if step == "Sent" else lena
        expect(steps.nth(index)).to_contain_text(by.full_name)
    sender_packet = carmen_page.get_by_role("region", name="What the receiving organization sees")
    expect(fact(sender_packet, "First appointment")).to_have_text(appointment_text)
    carmen_page.get_by_role("link", name="Back to the case").click()
    expect(carmen_page).to_have_url(f"{live_server.url}{case_path}")
    expect(carmen_page.get_by_role("region", name="Referrals")).to_contain_text(
        f"Legal Aid Justice Corps — {legal_aid.name}: Completed"
    )

    # 6. Jamal withdraws his consent; Carmen revokes it on his page.
    carmen_page.get_by_role("link", name="Participant", exact=True).click()
    expect(carmen_page).to_have_url(f"{live_server.url}{person_path}")
    dialogs: list[str] = []

    def accept(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    carmen_page.on("dialog", accept)
    consents.get_by_role("button", name="Revoke").click()
    expect(status_message(carmen_page)).to_contain_text(
        "Consent revoked. It no longer allows any access."
    )
    assert dialogs == ["Revoke this consent? Access it allowed ends at once."]
    expect(consents).to_contain_text(f"Revoked on {in_english(today, 'SHORT_DATE_FORMAT')}")
    expect(consents.get_by_role("button", name="Revoke")).to_have_count(0)
    consent.refresh_from_db()
    assert consent.revoked_by == carmen

    # The sending side keeps the referral and is told why the other side lost it.
    carmen_page.goto(referral_path)
    expect(status_badge(carmen_page)).to_have_text("Completed")
    expect(carmen_page.get_by_text("The person's consent to share was revoked")).to_be_visible()

    # 7. Lena reloads: the referral is gone for her, as are the case and the person.
    response = lena_page.reload()
    assert response is not None
    assert response.status == 404
    expect(heading(lena_page)).to_have_text("Not found")
    assert "Jamal" not in lena_page.content()
    main_nav(lena_page).get_by_role("link", name="Referrals").click()
    expect(heading(lena_page)).to_have_text("Referrals received")
    expect(lena_page.get_by_role("main")).to_contain_text("No referrals.")
    assert "Jamal" not in lena_page.content()
    for path in (case_path, person_path):
        response = lena_page.goto(path)
        assert response is not None
        assert response.status == 404, path
        assert "Jamal" not in lena_page.content()

    for documents in (alice_documents, carmen_documents, lena_documents):
        assert_strict_csp(documents)
    assert console.csp_violations() == []
    assert unexpected_errors(console, referral_path, case_path, person_path) == []
