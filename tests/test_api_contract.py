"""What every API operation holds to, whatever the router: a client learns exactly
what was wrong with what it sent, and nothing it sent is silently dropped or read
differently by its language; every answer under /api/ is JSON."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from peacehub.accounts.services import api_token_create
from peacehub.audit.models import AuditEvent
from peacehub.outreach.models import Conflict, Contact
from peacehub.outreach.tests.factories import ConflictFactory
from peacehub.people.models import Consent, Person

pytestmark = pytest.mark.django_db

PERSON = {"legal_first_name": "Kevin", "legal_last_name": "Brooks", "community_area": 68}


@pytest.fixture
def api(api_as, alice):
    return api_as(alice)


@pytest.fixture
def send(client, alice):
    """A request as a client sends it: any body, any content type, any headers."""
    _, raw = api_token_create(user=alice, name="raw")

    def call(method, path, body, content_type="application/json", **headers):
        return getattr(client, method)(
            path,
            data=body,
            content_type=content_type,
            headers={"Authorization": f"Bearer {raw}", **headers},
        )

    return call


def test_a_field_the_operation_does_not_take_is_refused_not_dropped(api, person_a):
    response = api("post", "/api/v1/people", {**PERSON, "legal_firstname": "Kev"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "legal_firstname": ["This operation does not take this field."]
    }
    assert not Person.objects.filter(legal_last_name="Brooks").exists()

    status = api("patch", f"/api/v1/people/{person_a.pk}", {"status": "closed"})
    assert status.status_code == 400
    assert "status" in status.json()["errors"]
    person_a.refresh_from_db()
    assert person_a.status == "identified"


@pytest.mark.parametrize("body", ['"2026-11-05"', "[]", '[{"closed_on": "2026-11-05"}]', "5"])
def test_a_body_that_is_not_one_json_object_is_refused(send, org_a, body):
    conflict = ConflictFactory(organization=org_a, opened_on=timezone.localdate())
    response = send("post", f"/api/v1/mediations/{conflict.pk}/close", body)
    assert response.status_code == 400
    assert response.json()["detail"] == "Send the request body as one JSON object."
    conflict.refresh_from_db()
    assert conflict.closed_on is None


def test_malformed_json_gets_the_same_clear_answer(send, person_a):
    response = send(
        "patch",
        f"/api/v1/people/{person_a.pk}",
        "legal_last_name=Changed",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Send the request body as one JSON object."


@pytest.mark.parametrize("language", ["en", "es"])
def test_dates_are_iso_whatever_the_clients_language(send, person_a, language):
    """ "03/04/2001" is 4 March in English and 3 April in Spanish: refused in both."""
    path = f"/api/v1/people/{person_a.pk}"
    born = person_a.date_of_birth
    local = send("patch", path, {"date_of_birth": "03/04/2001"}, **{"Accept-Language": language})
    assert local.status_code == 400
    person_a.refresh_from_db()
    assert person_a.date_of_birth == born

    iso = send("patch", path, {"date_of_birth": "2001-03-04"}, **{"Accept-Language": language})
    assert iso.status_code == 200
    assert iso.json()["date_of_birth"] == "2001-03-04"


def test_each_kind_of_mistake_says_what_the_field_takes(api, person_a):
    response = api(
        "post",
        "/api/v1/contacts",
        {
            "person": "nope",
            "contact_type": "street",
            "community_area": "sixty-eight",
            "minutes": "ten",
            "topics": ["housing", "astrology"],
            "occurred_at": "11/10/2026 10:00",
            "follow_up_by": "soon",
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["person"] == ["Enter an id (a UUID)."]
    assert errors["community_area"] == ["Enter a whole number."]
    assert errors["minutes"] == ["Enter a whole number."]
    assert errors["topics.1"][0].startswith("Choose one of: safety, conflict, employment, ")
    assert errors["occurred_at"] == ["Enter a date and time as YYYY-MM-DDTHH:MM."]
    assert errors["follow_up_by"] == ["Enter a date as YYYY-MM-DD."]
    assert not Contact.objects.exists()

    missing = api("post", f"/api/v1/responses/{person_a.pk}/steps", {})
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"state": ["This field is required."]}


def test_the_messages_are_in_the_clients_language(send):
    response = send(
        "post", "/api/v1/contacts", {"minutes": "diez", "extra": 1}, **{"Accept-Language": "es"}
    )
    errors = response.json()["errors"]
    assert errors["minutes"] == ["Escriba un número entero."]
    assert errors["extra"] == ["Esta operación no admite este campo."]


def test_an_unknown_filter_value_is_refused_not_ignored(api, person_a):
    people = api("get", "/api/v1/people?status=bogus")
    assert people.status_code == 400
    assert people.json()["errors"]["status"][0].startswith("Choose one of: ")
    referrals = api("get", "/api/v1/referrals?side=bogus")
    assert referrals.status_code == 400
    assert referrals.json()["errors"] == {"side": ["Choose one of: sent, received."]}
    assert api("get", "/api/v1/people?status=identified").json()["count"] == 1


def test_an_id_in_capitals_names_the_same_record(api, person_a):
    response = api("get", f"/api/v1/people/{str(person_a.pk).upper()}")
    assert response.status_code == 200
    assert response.json()["id"] == str(person_a.pk)


def test_everything_under_the_api_answers_json(api, person_a):
    for path in ["/api/v1/people/123", "/api/v1/nothing-here", "/api/v1/contacts/" + "a" * 8]:
        response = api("get", path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json() == {"detail": "Not found."}
    not_allowed = api("delete", f"/api/v1/people/{person_a.pk}")
    assert not_allowed.status_code == 405
    assert not_allowed["Content-Type"] == "application/json"
    assert "GET" in not_allowed["Allow"]
    assert Person.objects.filter(pk=person_a.pk).exists()


def test_the_site_keeps_its_own_404_page(client, alice):
    client.force_login(alice)
    response = client.get("/people/not-a-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_schema_documents_the_answers_every_operation_can_give(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "401" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
    contact = schema["components"]["schemas"]["ContactIn"]["properties"]
    assert "street" in str(contact["contact_type"])
    assert "date-time" in str(contact["occurred_at"])
    assert contact["follow_up_by"]["anyOf"][0]["format"] == "date"


def test_a_case_manager_who_is_not_one_of_the_organization_gets_a_clear_message(
    api_as, carmen, person_a, charlie
):
    response = api_as(carmen)(
        "post", "/api/v1/cases", {"person": str(person_a.pk), "case_manager": str(charlie.pk)}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "case_manager": ["Choose a case manager of the participant's organization."]
    }


def test_an_assessment_with_a_domain_it_does_not_have_is_refused(api_as, carmen, person_a):
    from peacehub.cases.tests.factories import CaseFactory

    case = CaseFactory(person=person_a, case_manager=carmen)
    call = api_as(carmen)
    ratings = {
        key: 3
        for key in [
            "safety",
            "housing",
            "employment",
            "education",
            "legal",
            "physical_health",
            "mental_health",
            "substance_use",
            "family",
            "public_benefits",
            "identity_documents",
        ]
    }
    typo = call(
        "post",
        f"/api/v1/cases/{case.pk}/assessments",
        {
            "assessed_on": timezone.localdate().isoformat(),
            "ratings": {**ratings, "housng": 5},
            "notes": {"housng": "Evicted last week"},
        },
    )
    assert typo.status_code == 400
    assert typo.json()["errors"] == {
        "ratings.housng": ["This assessment has no such domain."],
        "notes.housng": ["This assessment has no such domain."],
    }
    long_note = call(
        "post",
        f"/api/v1/cases/{case.pk}/assessments",
        {
            "assessed_on": timezone.localdate().isoformat(),
            "ratings": ratings,
            "notes": {"safety": "x" * 501},
        },
    )
    assert long_note.status_code == 400
    assert list(long_note.json()["errors"]) == ["notes.safety"]
    assert not case.assessments.exists()


def test_sending_the_persons_own_organization_changes_nothing_and_is_fine(api, person_a):
    response = api(
        "patch",
        f"/api/v1/people/{person_a.pk}",
        {"organization": str(person_a.organization_id), "preferred_name": "Jay"},
    )
    assert response.status_code == 200
    assert response.json()["preferred_name"] == "Jay"


def test_consents_are_listed_recorded_and_revoked(api, person_a, legal_aid, person_b):
    recorded = api(
        "post",
        f"/api/v1/people/{person_a.pk}/consents",
        {
            "kind": "share",
            "method": "signed",
            "recipient": str(legal_aid.pk),
            "scope": ["phone"],
        },
    )
    assert recorded.status_code == 201, recorded.json()
    body = recorded.json()
    assert (body["recipient_name"], body["scope"], body["current"]) == (
        "Commons Legal Aid",
        ["phone"],
        True,
    )
    assert body["given_on"] == timezone.localdate().isoformat()

    listed = api("get", f"/api/v1/people/{person_a.pk}/consents").json()
    assert [c["id"] for c in listed] == [body["id"]]

    revoked = api("post", f"/api/v1/people/{person_a.pk}/consents/{body['id']}/revoke", {})
    assert revoked.status_code == 200
    assert revoked.json()["current"] is False
    again = api("post", f"/api/v1/people/{person_a.pk}/consents/{body['id']}/revoke", {})
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action="consent_revoked").count() == 1


def test_a_consent_without_the_organization_to_share_with_is_refused(api, person_a):
    response = api(
        "post", f"/api/v1/people/{person_a.pk}/consents", {"kind": "share", "method": "verbal"}
    )
    assert response.status_code == 400
    assert "recipient" in response.json()["errors"]
    assert not Consent.objects.exists()


def test_another_organizations_consents_are_not_found(api_as, charlie, person_a, legal_aid):
    consent = Consent.objects.create(
        person=person_a,
        kind="share",
        recipient=legal_aid,
        method="signed",
        given_on=timezone.localdate(),
    )
    call = api_as(charlie)
    assert call("get", f"/api/v1/people/{person_a.pk}/consents").status_code == 404
    revoke = call("post", f"/api/v1/people/{person_a.pk}/consents/{consent.pk}/revoke", {})
    assert revoke.status_code == 404
    record = call(
        "post", f"/api/v1/people/{person_a.pk}/consents", {"kind": "services", "method": "signed"}
    )
    assert record.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert Consent.objects.count() == 1


def test_conflict_close_with_random_keys_closes_nothing(api, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=timezone.localdate())
    response = api("post", f"/api/v1/mediations/{conflict.pk}/close", {"when": "now"})
    assert response.status_code == 400
    assert Conflict.objects.get(pk=conflict.pk).closed_on is None


# Request bodies: what the form always requires is required in the schema (no default),
# so that a client learns it from the OpenAPI document; what the form requires only in
# combination (a person or a non-participant) or fills in itself (a contact's time, a
# closing date: now) stays optional. Read from each operation, as a client does: two
# routers' schemas of one name (StepIn) once left one operation documented with the
# other's body.
REQUIRED_IN_BODIES = {
    ("post", "/api/v1/contacts"): {"contact_type", "community_area"},
    ("post", "/api/v1/incidents"): {"kind", "occurred_at", "community_area", "source"},
    ("post", "/api/v1/responses/{response_id}/actions"): {"kind"},
    ("post", "/api/v1/responses/{response_id}/steps"): {"state"},
    ("post", "/api/v1/mediations"): {"label", "community_area"},
    ("post", "/api/v1/mediations/{conflict_id}/sessions"): {"held_on"},
    ("post", "/api/v1/mediations/{conflict_id}/close"): set(),
    ("post", "/api/v1/people"): {"legal_first_name", "legal_last_name"},
    ("patch", "/api/v1/people/{person_id}"): set(),  # a change sends only what changes
    ("post", "/api/v1/people/{person_id}/consents"): {"kind", "method"},
    ("post", "/api/v1/people/{person_id}/consents/{consent_id}/revoke"): set(),
}


def test_the_schema_says_which_fields_a_request_must_send(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    for (method, path), required in REQUIRED_IN_BODIES.items():
        body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
        name = body["schema"]["$ref"].rsplit("/", 1)[-1]
        properties = components[name]["properties"]
        assert required <= set(properties), (path, name)
        assert set(components[name].get("required", [])) == required, (path, name)
        for field in required:
            assert "default" not in properties[field], (path, field)
    # Required only with each other: a person or someone who is not a participant.
    contact = components["ContactIn"]
    assert {"person", "non_participant"} <= set(contact["properties"])
    assert not {"person", "non_participant"} & set(contact["required"])


def test_a_request_missing_a_required_field_is_told_which(api):
    response = api("post", "/api/v1/incidents", {"kind": "threat", "community_area": 68})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "occurred_at": ["This field is required."],
        "source": ["This field is required."],
    }
    contact = api("post", "/api/v1/contacts", {"non_participant": "family", "community_area": 68})
    assert contact.status_code == 400
    assert contact.json()["errors"] == {"contact_type": ["This field is required."]}
    assert not Contact.objects.exists()
    person = api("post", "/api/v1/people", {"legal_first_name": "Kevin"})
    assert person.status_code == 400
    assert person.json()["errors"] == {"legal_last_name": ["This field is required."]}
    assert not Person.objects.filter(legal_first_name="Kevin").exists()


def test_the_api_and_the_page_refuse_a_consent_in_the_same_words(api, client_for, alice, person_a):
    """A sharing consent with no organization named: the API says what the page says,
    on the same field, and so does the service behind both."""
    from peacehub.people import services as people_services
    from peacehub.people.forms import ConsentForm

    said = str(
        ConsentForm(person=person_a).fields["recipient"].error_messages["required_for_a_choice"]
    )
    response = api(
        "post", f"/api/v1/people/{person_a.pk}/consents", {"kind": "share", "method": "verbal"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"recipient": [said]}
    page = client_for(alice).post(
        f"/people/{person_a.pk}/consents/new/",
        {"kind": "share", "method": "verbal", "given_on": timezone.localdate().isoformat()},
    )
    assert page.status_code == 400
    assert page.context["form"].errors["recipient"] == [said]

    with pytest.raises(ValidationError) as refused:
        people_services.consent_record(
            request=None,
            person=person_a,
            kind="share",
            method="verbal",
            given_on=timezone.localdate(),
        )
    assert refused.value.message_dict == {"recipient": [said]}
    assert not Consent.objects.exists()


def test_closing_without_a_reason_is_refused_by_the_service_in_the_forms_words(person_a):
    from peacehub.people import services as people_services
    from peacehub.people.forms import StatusChangeForm

    said = str(
        StatusChangeForm(person=person_a).fields["reason"].error_messages["required_for_a_choice"]
    )
    with pytest.raises(ValidationError) as refused:
        people_services.person_status_change(request=None, person=person_a, to_status="closed")
    assert refused.value.message_dict == {"reason": [said]}
    person_a.refresh_from_db()
    assert person_a.status == "identified"


def test_revoking_twice_through_the_api_says_why(api, person_a):
    consent = Consent.objects.create(
        person=person_a, kind="services", method="verbal", given_on=timezone.localdate()
    )
    path = f"/api/v1/people/{person_a.pk}/consents/{consent.pk}/revoke"
    assert api("post", path, {}).status_code == 200
    again = api("post", path, {"note": "again"})
    assert again.status_code == 400
    assert again.json()["errors"] == {"__all__": ["This consent was already revoked."]}


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI document names a body after its schema class: two classes of one name
    (outreach's and referrals' StepIn were) document one endpoint with the other's
    body, and a client built from the document sends the wrong fields."""
    from collections import defaultdict

    from ninja import Schema

    import peacehub.urls  # noqa: F401 - every router, so every schema, is imported

    modules_by_name = defaultdict(set)
    waiting = [Schema]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            if subclass.__module__.startswith("peacehub."):
                modules_by_name[subclass.__name__].add(subclass.__module__)
            waiting.append(subclass)
    assert len(modules_by_name) > 40  # the routers' schemas were found
    shared = {name: modules for name, modules in modules_by_name.items() if len(modules) > 1}
    assert shared == {}
