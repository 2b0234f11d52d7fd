"""The Peace Academy in a real browser (issue point 11): a trainer records attendance
until a trainee passes 144 hours of Signature Outreach Training and prints the
certificate."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from peacehub.academy.models import Enrollment
from peacehub.academy.tests.factories import (
    CohortFactory,
    TraineeFactory,
    attend,
    sessions_for,
    signature_outreach,
)
from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.browser

TRAINEE = "Keisha Brown"
COURSE = "Signature Outreach Training"


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/(dashboard|outreach)/$"))


def take_attendance(page: Page, topic: str) -> None:
    """From the cohort page: open the session's sheet, tick the trainee, save."""
    page.locator("tr", has_text=topic).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Attendance of "))
    row = page.get_by_role("group", name=TRAINEE)
    row.get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status")).to_contain_text("Attendance saved.")


def test_a_trainer_records_attendance_until_a_trainee_passes_144_hours_and_prints_the_certificate(
    new_page, console, password
):
    convener = OrganizationFactory(name="Metro Peace Alliance", kind="convener")
    partner = OrganizationFactory(name="Southside Bridges")
    trainer = member(convener, Role.TRAINER, "tara@example.org", full_name="Tara Trainer")
    worker = member(partner, Role.OUTREACH_WORKER, "keisha@example.org", full_name=TRAINEE)
    cohort = CohortFactory(
        course=signature_outreach(),
        organization=convener,
        name="Signature Outreach — Spring cohort",
        trainers=[trainer],
    )
    sessions = sessions_for(cohort, 36, hours=Decimal(4))  # 144 hours
    enrollment = Enrollment.objects.create(
        cohort=cohort,
        trainee=TraineeFactory(
            organization=convener, full_name=TRAINEE, user=worker, category="staff"
        ),
    )
    attend(enrollment, sessions[:33])  # 132 hours before the browser takes over

    page = new_page("trainer")
    sign_in(page, trainer.email, password)
    page.goto(f"/academy/cohorts/{cohort.pk}/")
    roster = page.get_by_role("region", name="Trainees")
    expect(roster).to_contain_text("132 of 144 hours")

    # The last three sessions, through the attendance sheet.
    for topic in ("Session 34", "Session 35"):
        take_attendance(page, topic)
    expect(roster).to_contain_text("140 of 144 hours")
    expect(roster.get_by_text("Completed", exact=True)).to_have_count(0)
    take_attendance(page, "Session 36")
    expect(page.get_by_role("status")).to_contain_text(f"{TRAINEE} has completed the course.")
    expect(roster).to_contain_text("144 of 144 hours")
    expect(roster.get_by_text("Completed", exact=True)).to_be_visible()

    # Her record, then the certificate.
    roster.get_by_role("link", name=re.compile(TRAINEE)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TRAINEE)
    page.get_by_role("link", name="Certificate").click()
    expect(page).to_have_url(re.compile(r"/academy/records/[0-9a-f-]{36}/certificate/$"))

    certificate = page.locator("article.certificate")
    page.emulate_media(media="print")
    expect(certificate).to_be_visible()
    expect(certificate.get_by_role("heading", level=1)).to_have_text("Certificate of completion")
    expect(certificate).to_contain_text(TRAINEE)
    expect(certificate).to_contain_text(COURSE)
    expect(certificate).to_contain_text("144 hours of training")
    expect(certificate).to_contain_text("Tara Trainer")
    enrollment.refresh_from_db()
    expect(certificate).to_contain_text(enrollment.certificate_number)
    # Printed, the certificate stands alone: no navigation, no buttons.
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")

    page.emulate_media(media="screen")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert console.csp_violations() == []
    assert [e for e in console.errors if "favicon" not in e] == []
