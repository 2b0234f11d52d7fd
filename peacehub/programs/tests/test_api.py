import datetime

import pytest
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.geo.models import CommunityArea
from peacehub.people.tests.factories import PersonFactory
from peacehub.programs.models import Enrollment, Program, WorkforceMilestone
from peacehub.programs.tests.factories import (
    EnrollmentFactory,
    MatterFactory,
    MilestoneFactory,
    SessionFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

STRANGER = "Choose a participant of your organization from the search."
TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def wes(org_a):
    return member(org_a, Role.WORKFORCE_STAFF, "wes@example.org")


def test_enroll_list_read_and_add_a_milestone(api_as, wes, person_a):
    api = api_as(wes)
    created = api(
        "post",
        "/api/v1/programs/enrollments",
        {
            "person": str(person_a.pk),
            "program": "workforce",
            "enrolled_on": days_ago(60).isoformat(),
        },
    )
    assert created.status_code == 201, created.json()
    enrollment_id = created.json()["id"]
    assert created.json()["status"] == "active"

    milestone = api(
        "post",
        f"/api/v1/programs/enrollments/{enrollment_id}/milestones",
        {"kind": "hope", "achieved_on": days_ago(40).isoformat()},
    )
    assert milestone.status_code == 201, milestone.json()

    listing = api("get", "/api/v1/programs/enrollments?program=workforce").json()
    assert [r["id"] for r in listing["results"]] == [enrollment_id]
    assert api("get", "/api/v1/programs/enrollments?program=legal").json()["count"] == 0

    detail = api("get", f"/api/v1/programs/enrollments/{enrollment_id}").json()
    assert [m["kind"] for m in detail["milestones"]] == ["hope"]
    assert detail["withheld"] == []
    assert AuditEvent.objects.filter(
        action="view", record_id=enrollment_id, record_type="programs.enrollment"
    ).exists()
    assert AuditEvent.objects.filter(action="list", record_type="programs.enrollment").exists()


def test_restricted_fields_are_null_and_named_for_others(api_as, org_a, bob, person_a):
    legal = EnrollmentFactory(person=person_a, program=Program.LEGAL)
    MatterFactory(enrollment=legal, notes="Talked about the landlord")
    ipv = EnrollmentFactory(person=person_a, program=Program.IPV, safety_plan="Plan text")
    SessionFactory(enrollment=ipv, format="group", held_on=days_ago(3), note="Group work")
    supervisor = api_as(bob)
    legal_view = supervisor("get", f"/api/v1/programs/enrollments/{legal.pk}").json()
    assert legal_view["matters"][0]["matter_type"] == "housing"
    assert legal_view["matters"][0]["status"] == "open"
    assert legal_view["matters"][0]["notes"] is None
    assert "matters.notes" in legal_view["withheld"]
    ipv_view = supervisor("get", f"/api/v1/programs/enrollments/{ipv.pk}").json()
    assert ipv_view["safety_plan"] is None
    assert "safety_plan" in ipv_view["withheld"]
    # Attendance, not the sessions: how many, and the last one.
    assert (ipv_view["sessions"], ipv_view["session_count"]) == ([], 1)
    assert ipv_view["last_session_on"] == days_ago(3).isoformat()
    assert "sessions" in ipv_view["withheld"]

    lawyer = api_as(member(org_a, Role.LEGAL_STAFF))
    legal_view = lawyer("get", f"/api/v1/programs/enrollments/{legal.pk}").json()
    assert legal_view["matters"][0]["notes"] == "Talked about the landlord"
    ipv_staff = api_as(member(org_a, Role.IPV_STAFF))
    ipv_view = ipv_staff("get", f"/api/v1/programs/enrollments/{ipv.pk}").json()
    assert ipv_view["safety_plan"] == "Plan text"
    assert [s["note"] for s in ipv_view["sessions"]] == ["Group work"]
    assert ipv_view["withheld"] == []


@pytest.mark.parametrize(
    "payload, field, message",
    [
        ({"program": "workforce"}, "person", "This field is required."),
        ({"person": "OTHER", "program": "workforce"}, "person", STRANGER),
        (
            {"person": "00000000-0000-4000-8000-000000000003", "program": "workforce"},
            "person",
            STRANGER,
        ),
        ({"person": "not-a-uuid", "program": "workforce"}, "person", STRANGER),
        ({"person": "OURS", "program": "parole"}, "program", "Choose workforce"),
        ({"person": "OURS"}, "program", "This field is required."),
        (
            {"person": "OURS", "program": "workforce", "enrolled_on": TOMORROW},
            "enrolled_on",
            "cannot start in the future",
        ),
        (
            {"person": "OURS", "program": "workforce", "enrolled_on": "soon"},
            "enrolled_on",
            "Enter a date as YYYY-MM-DD.",
        ),
        (
            {"person": "OURS", "program": "workforce", "referral_id": "x" * 5000},
            "referral_id",
            "Enter a valid UUID.",
        ),
        (
            {
                "person": "OURS",
                "program": "workforce",
                "referral_id": "00000000-0000-4000-8000-000000000004",
            },
            "referral_id",
            "This referral is not one your organization received.",
        ),
    ],
)
def test_bad_enrollment_payloads_save_nothing(
    api_as, wes, person_a, person_b, payload, field, message
):
    ids = {"OURS": str(person_a.pk), "OTHER": str(person_b.pk)}
    payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    response = api_as(wes)("post", "/api/v1/programs/enrollments", payload)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert "Luis" not in response.content.decode()
    assert not Enrollment.objects.exists()


def test_a_malformed_payload_is_a_field_error(api_as, wes, person_a):
    response = api_as(wes)(
        "post",
        "/api/v1/programs/enrollments",
        {"person": str(person_a.pk), "program": "workforce", "voluntary_confirmed": [1]},
    )
    assert response.status_code == 400
    assert "voluntary_confirmed" in response.json()["errors"]
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    "area, voluntary, field, message",
    [
        (68, None, "voluntary_confirmed", "court-mandated referral cannot be enrolled"),
        (68, False, "voluntary_confirmed", "court-mandated referral cannot be enrolled"),
        (25, True, "person", "pilot community areas"),
    ],
)
def test_ipv_enrollment_rules_in_the_api(api_as, org_a, area, voluntary, field, message):
    person = PersonFactory(
        organization=org_a, community_area=CommunityArea.objects.get(number=area)
    )
    payload = {"person": str(person.pk), "program": "ipv"}
    if voluntary is not None:
        payload["voluntary_confirmed"] = voluntary
    response = api_as(member(org_a, Role.IPV_STAFF))(
        "post", "/api/v1/programs/enrollments", payload
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not Enrollment.objects.exists()


def test_ipv_staff_enroll_a_voluntary_participant_in_a_pilot_area(api_as, org_a, person_a):
    response = api_as(member(org_a, Role.IPV_STAFF))(
        "post",
        "/api/v1/programs/enrollments",
        {"person": str(person_a.pk), "program": "ipv", "voluntary_confirmed": True},
    )
    assert response.status_code == 201
    assert response.json()["safety_plan"] == ""


def test_staff_of_one_program_cannot_enroll_in_another(api_as, wes, person_a):
    response = api_as(wes)(
        "post", "/api/v1/programs/enrollments", {"person": str(person_a.pk), "program": "legal"}
    )
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    "existing, payload, field, message",
    [
        ([], {"kind": "ged", "achieved_on": TOMORROW}, "achieved_on", "cannot be in the future"),
        ([], {"kind": "retained_30", "achieved_on": "TODAY"}, "kind", "job placement before"),
        (
            [("placed", 20)],
            {"kind": "retained_30", "achieved_on": "TODAY"},
            "achieved_on",
            "30 days in the job",
        ),
        ([], {"kind": "placed", "achieved_on": "TODAY", "employer": "e" * 300}, "employer", "200"),
        ([], {"achieved_on": "TODAY"}, "kind", "This field is required."),
        ([], {"kind": "ged"}, "achieved_on", "This field is required."),
    ],
)
def test_bad_milestone_payloads_save_nothing(
    api_as, wes, person_a, existing, payload, field, message
):
    enrollment = EnrollmentFactory(person=person_a)
    for kind, back in existing:
        MilestoneFactory(enrollment=enrollment, kind=kind, achieved_on=days_ago(back), employer="A")
    before = WorkforceMilestone.objects.count()
    payload = {
        k: timezone.localdate().isoformat() if v == "TODAY" else v for k, v in payload.items()
    }
    response = api_as(wes)(
        "post", f"/api/v1/programs/enrollments/{enrollment.pk}/milestones", payload
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert WorkforceMilestone.objects.count() == before


def test_list_filters_and_validates(api_as, wes, person_a):
    EnrollmentFactory(person=person_a)
    api = api_as(wes)
    assert api("get", "/api/v1/programs/enrollments?program=jail").status_code == 400
    assert api("get", "/api/v1/programs/enrollments?status=closed").status_code == 400
    mine = api("get", f"/api/v1/programs/enrollments?person={person_a.pk}&status=active").json()
    assert mine["count"] == 1


BAD_QUERY = "/api/v1/programs/enrollments?person=not-a-uuid&page=abc"


def test_a_role_that_may_not_see_enrollments_gets_403_before_the_query_is_read(
    api_as, wes, alice, person_a
):
    """Alice, an outreach worker, sees no program's progress: 403 whatever she asks,
    where Wes, who may, gets 400 for the same query."""
    EnrollmentFactory(person=person_a)
    assert api_as(wes)("get", BAD_QUERY).status_code == 400
    response = api_as(alice)("get", BAD_QUERY)
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role cannot see program enrollments."}
    assert b"Jamal" not in response.content
    assert not AuditEvent.objects.filter(record_type="programs.enrollment").exists()


def test_without_a_token_a_bad_query_still_gets_401(client):
    response = client.get(BAD_QUERY)
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid API token is required."}


def _body_schema(schema: dict, path: str, method: str) -> dict:
    """The request body's schema of an operation, as the OpenAPI document gives it."""
    ref = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_the_schema_requires_what_the_forms_always_require(client):
    schema = client.get("/api/v1/openapi.json").json()
    enrollment = _body_schema(schema, "/api/v1/programs/enrollments", "post")
    assert sorted(enrollment["required"]) == ["person", "program"]
    # Required for one kind only (the form names it when missing): optional here.
    milestone = _body_schema(
        schema, "/api/v1/programs/enrollments/{enrollment_id}/milestones", "post"
    )
    assert sorted(milestone["required"]) == ["achieved_on", "kind"]


def test_a_placement_without_its_employer_says_it_is_required_for_a_placement(
    api_as, wes, person_a
):
    enrollment = EnrollmentFactory(person=person_a)
    response = api_as(wes)(
        "post",
        f"/api/v1/programs/enrollments/{enrollment.pk}/milestones",
        {"kind": "placed", "achieved_on": days_ago(3).isoformat()},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "employer": ["Name the employer: it is required when the milestone is a job placement."]
    }
    assert not WorkforceMilestone.objects.exists()
