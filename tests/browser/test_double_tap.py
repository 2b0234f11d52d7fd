"""A second tap on Save while a slow network still carries the first saves nothing twice.

Found on a phone: two taps on "Save and alert" reported the shooting twice, and everyone
on shift got two alerts. The server here is made slow on purpose, as a phone's network
is, so that the second tap comes while the first request is being answered."""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peacehub.outreach import services
from peacehub.outreach.models import Incident
from peacehub.outreach.tests.factories import area
from tests.browser.test_people_journey import sign_in

pytestmark = pytest.mark.browser


def test_two_taps_on_save_report_the_incident_once(new_page, monkeypatch, alice, org_a, password):
    org_a.community_areas.add(area(68))
    report = services.incident_report

    def slow_report(**kwargs):
        time.sleep(0.8)
        return report(**kwargs)

    monkeypatch.setattr(services, "incident_report", slow_report)
    page = new_page("alice", viewport={"width": 360, "height": 740})
    sign_in(page, alice.email, password)
    page.goto("/outreach/incidents/new/")
    page.get_by_label("What happened").select_option(label="Threat")
    page.get_by_label("Community area").select_option(label="Englewood")
    page.get_by_label("How we know").select_option(label="Community")
    page.get_by_label("When").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    # Two taps 80 ms apart, as a thumb on a phone gives them.
    page.get_by_role("button", name="Save and alert").evaluate(
        "button => { button.click(); setTimeout(() => button.click(), 80); }"
    )

    expect(page).to_have_url(re.compile(r"/outreach/incidents/[0-9a-f-]{36}/$"))
    time.sleep(1)  # a second request, had one gone out, would be answered by now
    assert Incident.objects.count() == 1
