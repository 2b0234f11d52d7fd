"""What the referrals API requires, as the OpenAPI document says and as a request
missing it is told."""

import datetime

import pytest
from django.utils import timezone

from peacehub.people.models import ConsentKind, ShareScope
from peacehub.people.tests.factories import ConsentFactory
from peacehub.referrals.models import Referral, ReferralEvent, ReferralStatus
from peacehub.referrals.tests.factories import ReferralFactory, coalition_service

pytestmark = pytest.mark.django_db


def _body_schema(schema: dict, path: str, method: str) -> dict:
    """The request body's schema of an operation, as the OpenAPI document gives it."""
    ref = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


@pytest.fixture
def service(legal_aid):
    return coalition_service(legal_aid)


@pytest.fixture
def consent(person_a, legal_aid):
    return ConsentFactory(
        person=person_a, kind=ConsentKind.SHARE, recipient=legal_aid, scope=[ShareScope.PHONE]
    )


def test_the_schema_requires_what_the_forms_always_require(client):
    schema = client.get("/api/v1/openapi.json").json()
    referral = _body_schema(schema, "/api/v1/referrals", "post")
    assert sorted(referral["required"]) == ["consent", "person", "reason", "service"]
    # Required for one step only: the form says which when it is missing.
    step = _body_schema(schema, "/api/v1/referrals/{referral_id}/steps", "post")
    assert step["required"] == ["status"]


def test_a_referral_missing_its_reason_is_refused_and_nothing_is_sent(
    api_as, carmen, person_a, service, consent
):
    response = api_as(carmen)(
        "post",
        "/api/v1/referrals",
        {"person": str(person_a.pk), "service": str(service.pk), "consent": str(consent.pk)},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["This field is required."]}
    assert not Referral.objects.exists()


def test_a_step_without_its_status_is_refused(api_as, carmen, lena, person_a, service, consent):
    referral = ReferralFactory(person=person_a, service=service, consent=consent, sent_by=carmen)
    response = api_as(lena)(
        "post", f"/api/v1/referrals/{referral.pk}/steps", {"note": "Called him back"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"status": ["This field is required."]}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


def test_a_refusal_of_the_service_comes_on_the_field_it_names(
    api_as, carmen, lena, person_a, service, consent
):
    """As on the page: a second open referral to the same service is refused on
    `service`, and an appointment corrected to the date it already has on
    `first_appointment_at`, not under another field."""
    api = api_as(carmen)
    body = {
        "person": str(person_a.pk),
        "service": str(service.pk),
        "consent": str(consent.pk),
        "reason": "Eviction notice; needs a lawyer this week",
    }
    assert api("post", "/api/v1/referrals", body).status_code == 201
    again = api("post", "/api/v1/referrals", body)
    assert again.status_code == 400
    assert list(again.json()["errors"]) == ["service"]
    assert "already has an open referral" in again.json()["errors"]["service"][0]
    assert Referral.objects.count() == 1

    referral = Referral.objects.get()
    receiver = api_as(lena)
    steps = f"/api/v1/referrals/{referral.pk}/steps"
    when = (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT10:00")
    for status in ("received", "accepted"):
        assert receiver("post", steps, {"status": status}).status_code == 200
    booked = receiver("post", steps, {"status": "first_appointment", "first_appointment_at": when})
    assert booked.status_code == 200, booked.json()
    same = receiver("post", steps, {"status": "first_appointment", "first_appointment_at": when})
    assert same.status_code == 400
    assert list(same.json()["errors"]) == ["first_appointment_at"]
    assert ReferralEvent.objects.filter(referral=referral).count() == 4
