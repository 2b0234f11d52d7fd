"""The cases API where the role alone decides; case by case access is in
test_access_matrix."""

import datetime

import pytest
from django.utils import timezone

from peacehub.accounts.services import api_token_create
from peacehub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BAD_QUERY = "/api/v1/cases?mine=maybe&page=abc"
FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def _get(client, user, path):
    _, raw = api_token_create(user=user, name="laptop")
    return client.get(path, headers={"Authorization": f"Bearer {raw}"})


def test_a_role_that_may_not_see_cases_gets_403_before_the_query_is_read(client, carmen, alice):
    assert _get(client, carmen, BAD_QUERY).status_code == 400
    response = _get(client, alice, BAD_QUERY)
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role cannot see cases."}
    assert not AuditEvent.objects.filter(record_type="cases.case").exists()


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
    case = _body_schema(schema, "/api/v1/cases", "post")
    assert case["required"] == ["person"]
    assert case["properties"]["opened_on"]["anyOf"][0]["format"] == "date"
    goal = _body_schema(schema, "/api/v1/cases/{case_id}/goals", "post")
    assert sorted(goal["required"]) == ["description", "domain", "target_date"]
    progress = _body_schema(schema, "/api/v1/goals/{goal_id}", "patch")
    assert progress["required"] == ["status"]


def test_a_goal_missing_a_field_is_refused_on_it_and_saves_nothing(api_as, carmen, person_a):
    from peacehub.cases.models import Goal
    from peacehub.cases.tests.factories import CaseFactory

    case = CaseFactory(person=person_a, case_manager=carmen)
    response = api_as(carmen)(
        "post", f"/api/v1/cases/{case.pk}/goals", {"domain": "education", "target_date": FUTURE}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"description": ["This field is required."]}
    assert not Goal.objects.exists()


def test_a_goals_progress_without_a_status_is_refused(api_as, carmen, person_a):
    from peacehub.cases.models import Goal
    from peacehub.cases.tests.factories import CaseFactory

    case = CaseFactory(person=person_a, case_manager=carmen)
    goal = Goal.objects.create(
        case=case, domain="education", description="Pass the GED", target_date=FUTURE
    )
    response = api_as(carmen)("patch", f"/api/v1/goals/{goal.pk}", {"note": "Called the school"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["This field is required."]}
    assert not goal.progress.exists()


def test_an_older_paper_case_opens_on_its_own_day_through_the_api(api_as, carmen, person_a):
    from peacehub.cases.models import Case

    day = (timezone.localdate() - datetime.timedelta(days=200)).isoformat()
    response = api_as(carmen)(
        "post", "/api/v1/cases", {"person": str(person_a.pk), "opened_on": day}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["opened_on"] == day
    assert Case.objects.get().opened_on.isoformat() == day


@pytest.mark.parametrize(
    "day, message",
    [
        (FUTURE, "A case cannot be opened in the future."),
        ("1999-12-31", "too far in the past"),
        ("31/12/2020", "Enter a date as YYYY-MM-DD."),
    ],
)
def test_a_case_opened_on_a_day_the_form_refuses_is_refused_alike(
    api_as, carmen, person_a, day, message
):
    from peacehub.cases.models import Case

    response = api_as(carmen)(
        "post", "/api/v1/cases", {"person": str(person_a.pk), "opened_on": day}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["opened_on"]
    assert message in " ".join(errors["opened_on"])
    assert not Case.objects.exists()
