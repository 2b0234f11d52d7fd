"""A shooting, from the report to the supervisor's response times, in a real browser.

Issue point 13: a shooting is entered; the on-duty worker of a serving organization sees
it appear in the feed and receives the e-mail, acknowledges, marks on scene, logs rumor
control and family support, links the victim's family member, and the supervisor view
shows the response time. The reporting organization sees the other organization's
response state, never its participants or notes.
"""

import datetime
import re
import time
from email.header import decode_header, make_header
from email.message import Message

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.notifications.models import Notification
from peacehub.outreach.models import DutyShift, Incident, IncidentResponse
from peacehub.outreach.tests.factories import always_on_duty, area
from peacehub.people.tests.factories import PersonFactory
from tests.browser.test_people_journey import (
    assert_strict_csp,
    main_nav,
    record_documents,
    sign_in,
    unexpected_errors,
)

pytestmark = pytest.mark.browser

BLOCK = "6300 block of S Halsted"
RUMOR_NOTE = "Told the corner the talk of a second shooter was false"
FAMILY_NOTE = "Sat with the mother at the hospital"
ALERT = re.compile(r"^Non-fatal shooting in Englewood at \d\d:\d\d — open PeaceHub$")


def wait_for_messages(inbox, count: int, timeout: float = 10) -> list[Message]:
    """The e-mails go out once the report's response has been sent; give the SMTP
    server's own thread a moment to hand them over."""
    deadline = time.monotonic() + timeout
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return list(inbox.messages)


def subject_and_body(message: Message) -> tuple[str, str]:
    subject = str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    return subject, body


def response_card(page: Page, organization_name: str):
    return page.get_by_role("region", name=f"Response of {organization_name}")


def test_shooting_alert_response_and_supervision(
    new_page, console, live_server, settings, smtp_inbox, org_a, org_b, alice, charlie, password
):
    settings.NOTIFICATION_POLL_SECONDS = 1

    # 1. Both organizations serve Englewood; Charlie (West Side) is on duty, a colleague
    # of his is not (her only shift is on another day); Keisha is West Side's participant.
    englewood = area(68)
    org_a.community_areas.add(englewood)
    org_b.community_areas.add(englewood)
    always_on_duty(charlie, org_b)
    off_duty = member(org_b, Role.OUTREACH_WORKER, "dee@example.org", full_name="Dee Offduty")
    other_day = (timezone.localtime().weekday() + 3) % 7
    DutyShift.objects.create(
        membership=off_duty.memberships.get(organization=org_b),
        weekday=other_day,
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(11, 0),
    )
    supervisor = member(org_b, Role.SUPERVISOR, "sam@example.org", full_name="Sam Supervisor")
    keisha = PersonFactory(organization=org_b, legal_first_name="Keisha", legal_last_name="Brown")

    # 2. Charlie signs in and keeps his alerts open.
    charlie_page = new_page("charlie")
    charlie_documents = record_documents(charlie_page)
    sign_in(charlie_page, charlie.email, password)
    main_nav(charlie_page).get_by_role("link", name="Alerts").click()
    expect(charlie_page).to_have_url(re.compile(r"/alerts/$"))
    expect(charlie_page.get_by_role("heading", level=1)).to_have_text("Alerts")
    feed = charlie_page.locator("#feed")
    expect(feed).to_contain_text("No alerts.")
    charlie_page.evaluate("window.peacehubSameDocument = true")
    documents_before_alert = len(charlie_documents)

    # 3. Alice, of the other organization, reports a non-fatal shooting.
    alice_page = new_page("alice")
    alice_documents = record_documents(alice_page)
    sign_in(alice_page, alice.email, password)
    alice_page.get_by_role("link", name="Report incident").click()
    expect(alice_page.get_by_role("heading", level=1)).to_have_text("Report incident")
    alice_page.get_by_label("What happened").select_option(label="Non-fatal shooting")
    alice_page.get_by_label("Community area").select_option(label="Englewood")
    alice_page.get_by_label("Where, at block level").fill(BLOCK)
    alice_page.get_by_label("How we know").select_option(label="Hospital")
    alice_page.get_by_role("button", name="Save and alert").click()

    expect(alice_page).to_have_url(re.compile(r"/outreach/incidents/[0-9a-f-]{36}/$"))
    expect(alice_page.get_by_role("status")).to_contain_text(
        "Incident recorded; 1 on-duty responder was alerted."
    )
    expect(alice_page.get_by_role("heading", level=1)).to_have_text(
        "Non-fatal shooting · Englewood"
    )
    incident = Incident.objects.get()
    assert incident.block == BLOCK
    assert incident.reported_by_organization == org_a
    incident_path = f"/outreach/incidents/{incident.pk}/"
    assert alice_page.url == f"{live_server.url}{incident_path}"
    alert_text = (
        f"Non-fatal shooting in Englewood at "
        f"{timezone.localtime(incident.occurred_at):%H:%M} — open PeaceHub"
    )
    assert ALERT.match(alert_text)
    others = alice_page.locator(
        "section", has=alice_page.get_by_role("heading", name="Other organizations responding")
    )
    expect(others).to_contain_text(f"{org_b.name}: Notified")

    # 4. In Charlie's open page the alert arrives by polling, without a reload.
    alert_link = feed.get_by_role("link", name=re.compile(re.escape(alert_text)))
    expect(alert_link).to_be_visible()
    expect(charlie_page.locator("#notification-badge .count")).to_have_text("1")
    assert charlie_page.evaluate("window.peacehubSameDocument === true"), "the page reloaded"
    assert len(charlie_documents) == documents_before_alert
    expect(charlie_page).to_have_url(re.compile(r"/alerts/$"))

    # ... and by e-mail, to him alone, with the same nameless text and the incident's link.
    messages = wait_for_messages(smtp_inbox, 1)
    assert [m["To"] for m in messages] == [charlie.email]
    subject, body = subject_and_body(messages[0])
    assert subject == alert_text
    incident_url = f"{live_server.url}{incident_path}"
    assert body.splitlines() == [alert_text, "", incident_url]  # SMTP ends lines in CRLF
    assert not Notification.objects.filter(recipient=off_duty).exists()

    # 5. Charlie opens the alert: it is the e-mail's link.
    alert_link.click()
    expect(charlie_page).to_have_url(incident_url)
    expect(charlie_page.get_by_role("heading", level=1)).to_have_text(
        "Non-fatal shooting · Englewood"
    )
    expect(charlie_page.get_by_text(BLOCK)).to_be_visible()
    response = response_card(charlie_page, org_b.name)
    steps = response.locator("ol.steps > li")

    response.get_by_role("button", name="Mark: Acknowledged").click()
    expect(steps.nth(1)).to_have_class(re.compile(r"\bdone\b"))
    expect(steps.nth(1)).to_contain_text(charlie.full_name)
    expect(steps.nth(1)).to_contain_text("after the alert")
    expect(steps.nth(2)).not_to_have_class(re.compile(r"\bdone\b"))

    response.get_by_role("button", name="Mark: On scene").click()
    expect(steps.nth(2)).to_have_class(re.compile(r"\bdone\b"))
    expect(steps.nth(2)).to_contain_text(charlie.full_name)
    expect(response.get_by_role("button", name="Mark: Follow-up done")).to_be_visible()

    for action, note in [
        ("Rumor control", RUMOR_NOTE),
        ("Support to the victim's family", FAMILY_NOTE),
    ]:
        response.get_by_label("Action").select_option(label=action)
        response.get_by_label("Note").fill(note)
        response.get_by_role("button", name="Log action").click()
        expect(charlie_page.get_by_role("status")).to_contain_text("Action logged.")
        expect(response.get_by_role("listitem").filter(has_text=action)).to_contain_text(note)

    # He links Keisha, found by a misspelled name, as family of the victim.
    people = charlie_page.get_by_role("region", name="Our participants involved")
    expect(people).to_contain_text("Nobody linked.")
    with charlie_page.expect_response(
        lambda r: "/people/autocomplete/" in r.url and "q=Keesha" in r.url
    ):
        people.get_by_label("Participant").press_sequentially("Keesha", delay=25)
    people.get_by_role("button", name=re.compile(keisha.display_name)).click()
    expect(people.get_by_label("Participant")).to_have_value(keisha.display_name)
    expect(people.locator("input[type=hidden][name=person]")).to_have_value(str(keisha.pk))
    people.get_by_label("Relation").select_option(label="Family of the victim")
    people.get_by_role("button", name="Link participant").click()

    expect(charlie_page.get_by_role("status")).to_contain_text(
        "Linked to the incident. Only your organization sees this."
    )
    expect(people.get_by_role("listitem").first).to_have_text(
        f"{keisha.display_name} — Family of the victim"
    )
    assert incident.people_links.get().person == keisha

    # 6. Alice reloads: West Side is on scene; who and what it did stays with West Side.
    alice_page.reload()
    expect(others).to_contain_text(f"{org_b.name}: On scene")
    expect(response_card(alice_page, org_a.name)).to_be_visible()
    expect(response_card(alice_page, org_b.name)).to_have_count(0)
    alice_html = alice_page.content()
    for secret in (
        keisha.legal_first_name,
        keisha.legal_last_name,
        RUMOR_NOTE,
        FAMILY_NOTE,
        charlie.full_name,
    ):
        assert secret not in alice_html, secret

    # 7. West Side's supervisor sees the response times of the area.
    supervisor_page = new_page("supervisor")
    supervisor_documents = record_documents(supervisor_page)
    sign_in(supervisor_page, supervisor.email, password)
    main_nav(supervisor_page).get_by_role("link", name="Supervision").click()
    expect(supervisor_page.get_by_role("heading", level=1)).to_have_text("Outreach supervision")
    table = supervisor_page.get_by_role(
        "region", name="Incidents and response times by area (90 days)"
    )
    row = table.get_by_role("row").filter(
        has=supervisor_page.get_by_role("rowheader", name="Englewood")
    )
    expect(row).to_have_count(1)
    recorded = IncidentResponse.objects.get(incident=incident, organization=org_b)
    # Incidents; acknowledged and the median minutes; on scene and the median minutes.
    expect(row.get_by_role("cell")).to_have_text(
        [
            "1",
            "1",
            str(recorded.minutes_to_acknowledge),
            "1",
            str(recorded.minutes_to_scene),
        ]
    )
    for cell in row.get_by_role("cell").all():
        assert re.fullmatch(r"\d+", cell.inner_text().strip()), cell.inner_text()
    assert keisha.legal_first_name not in supervisor_page.content()

    # No other e-mail went out, and none names a participant.
    assert len(smtp_inbox.messages) == 1
    for message in smtp_inbox.messages:
        subject, body = subject_and_body(message)
        for name in (keisha.legal_first_name, keisha.legal_last_name):
            assert name not in subject
            assert name not in body

    for documents in (charlie_documents, alice_documents, supervisor_documents):
        assert_strict_csp(documents)
    assert console.csp_violations() == []
    assert unexpected_errors(console) == []
