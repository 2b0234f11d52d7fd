"""The programs section of a participant's page (hooked in by the people app)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.programs.models import Program
from peacehub.programs.summary import programs_summary
from peacehub.programs.tests.factories import (
    EnrollmentFactory,
    MatterFactory,
    MilestoneFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/people/")
    request.user = user
    return request


@pytest.fixture
def enrolled(person_a):
    workforce = EnrollmentFactory(person=person_a, program=Program.WORKFORCE)
    MilestoneFactory(enrollment=workforce, kind="hope")
    legal = EnrollmentFactory(person=person_a, program=Program.LEGAL)
    MatterFactory(enrollment=legal, matter_type="immigration", notes="Asylum hearing prep")
    bh = EnrollmentFactory(person=person_a, program=Program.BEHAVIORAL_HEALTH)
    SessionFactory(enrollment=bh, note="Sleeps badly since the shooting")
    EnrollmentFactory(person=person_a, program=Program.IPV, safety_plan="Plan: leave when angry")
    return person_a


def render(user, person):
    request = request_for(user)
    context = {"person": person, "request": request, **programs_summary(request, person)}
    return context, render_to_string("programs/includes/person_programs.html", context)


def test_a_case_manager_sees_enrollments_and_progress_only(org_a, enrolled):
    case_manager = member(org_a, Role.CASE_MANAGER)
    context, html = render(case_manager, enrolled)
    assert context["shows_programs"] is True
    assert len(context["program_enrollments"]) == 4
    assert "H.O.P.E. job-readiness curriculum completed" in html
    assert "Immigration: Open" in html
    for secret in ("Asylum", "Sleeps badly", "leave when angry"):
        assert secret not in html
    # A case manager enrolls no one in a program.
    assert context["enrollable_programs"] == []
    assert AuditEvent.objects.filter(action="list", record_type="programs.enrollment").exists()


def test_program_staff_are_offered_to_enroll(org_a, person_a):
    wes = member(org_a, Role.WORKFORCE_STAFF)
    context, html = render(wes, person_a)
    assert [slug for _, slug in context["enrollable_programs"]] == ["workforce"]
    assert f"/programs/workforce/enroll/?person={person_a.pk}" in html
    assert "Not enrolled in any program." in html


def test_already_enrolled_is_not_offered_again(org_a, enrolled):
    wes = member(org_a, Role.WORKFORCE_STAFF)
    context, _ = render(wes, enrolled)
    assert context["enrollable_programs"] == []


@pytest.mark.parametrize("role", [Role.OUTREACH_WORKER, Role.ORGANIZATION_ADMIN])
def test_roles_without_progress_see_nothing(org_a, enrolled, role):
    assert programs_summary(request_for(member(org_a, role)), enrolled) == {}


def test_another_organization_sees_nothing(org_b, enrolled):
    case_manager = member(org_b, Role.CASE_MANAGER)
    assert programs_summary(request_for(case_manager), enrolled) == {}
