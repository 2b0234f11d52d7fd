import datetime

import pytest
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.services import api_token_create
from peacehub.accounts.tests.factories import member
from peacehub.audit.models import AuditEvent
from peacehub.notifications.models import Notification
from peacehub.outreach.models import Conflict, Contact, Incident, MediationSession
from peacehub.outreach.services import CONTACT_UNDO_WINDOW
from peacehub.outreach.tests.factories import (
    ConflictFactory,
    ContactFactory,
    always_on_duty,
    area,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, alice):
    return api_as(alice)


def test_log_a_contact_and_list_it(api, person_a):
    created = api(
        "post",
        "/api/v1/contacts",
        {
            "person": str(person_a.pk),
            "contact_type": "phone",
            "community_area": 68,
            "note": "Called about the court date",
        },
    )
    assert created.status_code == 201
    assert created.json()["community_area"] == 68
    listing = api("get", f"/api/v1/contacts?person={person_a.pk}").json()
    assert listing["count"] == 1
    assert listing["results"][0]["note"] == "Called about the court date"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"contact_type": "street", "community_area": 68}, "person"),
        (
            {
                "person": "00000000-0000-4000-8000-000000000003",
                "contact_type": "street",
                "community_area": 68,
            },
            "person",
        ),
        (
            {
                "non_participant": "family",
                "contact_type": "street",
                "community_area": 68,
                "occurred_at": "2999-01-01T10:00",
            },
            "occurred_at",
        ),
        (
            {"non_participant": "family", "contact_type": "street", "community_area": 999},
            "community_area",
        ),
        (
            {"non_participant": "family", "contact_type": "bike", "community_area": 68},
            "contact_type",
        ),
        (
            {
                "non_participant": "family",
                "contact_type": "street",
                "community_area": 68,
                "minutes": "many",
            },
            "minutes",
        ),
    ],
)
def test_bad_contacts_get_400_and_change_nothing(api, payload, field):
    response = api("post", "/api/v1/contacts", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Contact.objects.exists()


def test_report_an_incident_and_step_its_response(api, alice, bob, org_a, smtp_inbox):
    org_a.community_areas.add(area(68))
    always_on_duty(alice, org_a)
    always_on_duty(bob, org_a)
    created = api(
        "post",
        "/api/v1/incidents",
        {
            "kind": "threat",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "community_area": 68,
            "source": "community",
        },
    )
    assert created.status_code == 201
    body = created.json()
    [response] = body["responses"]
    assert response["state"] == "notified"
    # Her colleague on duty is alerted; she, who reports it, is not.
    assert list(Notification.objects.values_list("recipient", flat=True)) == [bob.pk]

    skipped = api("post", f"/api/v1/responses/{response['id']}/steps", {"state": "on_scene"})
    assert skipped.status_code == 400
    assert "the next step is" in skipped.json()["errors"]["state"][0]
    step = api("post", f"/api/v1/responses/{response['id']}/steps", {"state": "acknowledged"})
    assert step.status_code == 200
    assert step.json()["minutes_to_acknowledge"] is not None
    action = api("post", f"/api/v1/responses/{response['id']}/actions", {"kind": "de_escalation"})
    assert action.status_code == 201


@pytest.mark.parametrize(
    "payload, field",
    [
        (
            {"kind": "threat", "occurred_at": "2020-01-01T10:00", "source": "community"},
            "community_area",
        ),
        (
            {
                "kind": "threat",
                "occurred_at": "2020-01-01T10:00",
                "community_area": 68,
                "source": "police",
            },
            "source",
        ),
        (
            {
                "kind": "threat",
                "occurred_at": "2020-01-01T10:00",
                "community_area": 68,
                "source": "community",
                "block": "1234 W 63rd St",
            },
            "block",
        ),
    ],
)
def test_bad_incidents_get_400_and_change_nothing(api, payload, field):
    response = api("post", "/api/v1/incidents", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Incident.objects.exists()


def test_open_a_mediation(api):
    created = api("post", "/api/v1/mediations", {"label": "Conflict 3", "community_area": 68})
    assert created.status_code == 201
    assert api("get", f"/api/v1/mediations/{created.json()['id']}").json()["label"] == "Conflict 3"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_close_and_reopen_a_mediation(api, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    closed = api("post", f"/api/v1/mediations/{conflict.pk}/close", {})
    assert closed.status_code == 200
    assert closed.json()["closed_on"] == timezone.localdate().isoformat()  # today by default
    assert api("get", "/api/v1/mediations").json()["results"][0]["closed_on"] is not None
    again = api("post", f"/api/v1/mediations/{conflict.pk}/close", {})
    assert again.status_code == 400
    assert again.json()["errors"]["__all__"] == ["This mediation is already closed."]

    reopened = api("post", f"/api/v1/mediations/{conflict.pk}/reopen", {})
    assert reopened.status_code == 200
    assert reopened.json()["closed_on"] is None
    conflict.refresh_from_db()
    assert conflict.closed_on is None


def test_the_mediation_list_can_show_only_open_ones(api, org_a, org_b):
    still_open = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    ConflictFactory(organization=org_a, opened_on=days_ago(60), closed_on=days_ago(2))
    ConflictFactory(organization=org_b, opened_on=days_ago(10))  # not ours

    everything = api("get", "/api/v1/mediations").json()
    only_open = api("get", "/api/v1/mediations?open=true").json()

    assert everything["count"] == 2
    assert [c["id"] for c in only_open["results"]] == [str(still_open.pk)]
    assert only_open["count"] == 1


@pytest.mark.parametrize(
    "closed_on, message",
    [
        (-1, "A mediation cannot close in the future."),
        (31, "A mediation cannot close before it was opened"),
        ("someday", "Enter a date as YYYY-MM-DD."),
    ],
)
def test_bad_closings_get_400_and_change_nothing(api, org_a, closed_on, message):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    if isinstance(closed_on, int):
        closed_on = days_ago(closed_on).isoformat()
    response = api("post", f"/api/v1/mediations/{conflict.pk}/close", {"closed_on": closed_on})
    assert response.status_code == 400
    assert message in response.json()["errors"]["closed_on"][0]
    conflict.refresh_from_db()
    assert conflict.closed_on is None


def test_record_a_session(api, org_a):
    conflict = ConflictFactory(organization=org_a, opened_on=days_ago(30))
    response = api(
        "post",
        f"/api/v1/mediations/{conflict.pk}/sessions",
        {"held_on": days_ago(2).isoformat(), "note": "Met at the park"},
    )
    assert response.status_code == 201
    assert response.json()["note"] == "Met at the park"
    assert MediationSession.objects.get().held_on == days_ago(2)


@pytest.mark.parametrize(
    "held_on, closed_on, field, message",
    [
        ("1999-01-01", None, "held_on", "A session cannot come before the mediation was opened"),
        ("TOMORROW", None, "held_on", "A session cannot be in the future."),
        ("2020-13-01", None, "held_on", "Enter a date as YYYY-MM-DD."),
        (None, 1, "__all__", "This mediation is closed. Reopen it to record more."),
    ],
)
def test_bad_sessions_get_400_and_change_nothing(api, org_a, held_on, closed_on, field, message):
    conflict = ConflictFactory(
        organization=org_a,
        opened_on=days_ago(30),
        closed_on=days_ago(closed_on) if closed_on else None,
    )
    if held_on == "TOMORROW":
        held_on = days_ago(-1).isoformat()
    response = api(
        "post",
        f"/api/v1/mediations/{conflict.pk}/sessions",
        {"held_on": held_on or days_ago(5).isoformat()},
    )
    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]
    assert not MediationSession.objects.exists()


def test_a_contact_just_logged_is_undone_as_on_the_page(api, alice, person_a):
    """The page's Undo, for a client: the contact is gone, the follow-up it settled is
    owed again, and the audit log keeps that it existed."""
    due = ContactFactory(person=person_a, worker=alice, follow_up_by=timezone.localdate())
    created = api(
        "post",
        "/api/v1/contacts",
        {"person": str(person_a.pk), "contact_type": "street", "community_area": 68},
    ).json()
    due.refresh_from_db()
    assert due.follow_up_done_at is not None

    response = api("post", f"/api/v1/contacts/{created['id']}/undo")

    assert response.status_code == 204
    assert not Contact.objects.filter(pk=created["id"]).exists()
    due.refresh_from_db()
    assert due.follow_up_done_at is None
    assert AuditEvent.objects.filter(action="delete", record_id=created["id"]).exists()


def test_only_its_worker_undoes_a_contact_through_the_api(
    api_as, org_a, alice, bob, charlie, person_a
):
    """A colleague, the supervisor, another organization's worker: not found, and the
    contact stays."""
    contact = ContactFactory(person=person_a, worker=alice, created_at=timezone.now())
    colleague = member(org_a, Role.OUTREACH_WORKER, "colleague@example.org")
    for other in (colleague, bob, charlie):
        response = api_as(other)("post", f"/api/v1/contacts/{contact.pk}/undo")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_contact_is_not_undone_through_the_api_after_the_window(api, alice, person_a):
    contact = ContactFactory(
        person=person_a,
        worker=alice,
        created_at=timezone.now() - CONTACT_UNDO_WINDOW - datetime.timedelta(minutes=1),
    )

    response = api("post", f"/api/v1/contacts/{contact.pk}/undo")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "__all__": ["This contact was logged more than 10 minutes ago: it can no longer be undone."]
    }
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_the_schema_lists_outreach_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}/undo",
        "/api/v1/incidents",
        "/api/v1/incidents/{incident_id}",
        "/api/v1/responses/{response_id}/steps",
        "/api/v1/responses/{response_id}/actions",
        "/api/v1/mediations",
        "/api/v1/mediations/{conflict_id}",
        "/api/v1/mediations/{conflict_id}/close",
        "/api/v1/mediations/{conflict_id}/reopen",
        "/api/v1/mediations/{conflict_id}/sessions",
    ]:
        assert path in paths


# Operations whose permission depends on the role alone, each asked with a body or query
# that django-ninja itself rejects (400 for Alice, who may), by a role that may not.
ROLE_ONLY = [
    pytest.param(
        "olivia",
        "get",
        "/api/v1/contacts?person=not-a-uuid",
        None,
        "Your role cannot see outreach contacts.",
        id="contact_list",
    ),
    pytest.param(
        "olivia",
        "post",
        "/api/v1/contacts",
        {"person": "not-a-uuid", "minutes": "abc"},
        "Your role cannot log contacts.",
        id="contact_create",
    ),
    pytest.param(
        "olivia",
        "post",
        "/api/v1/contacts",
        "{not json",
        "Your role cannot log contacts.",
        id="contact_create_not_json",
    ),
    pytest.param(
        "olivia",
        "get",
        "/api/v1/incidents?open=maybe&page=abc",
        None,
        "Your role cannot see incidents.",
        id="incident_list",
    ),
    pytest.param(
        "carmen",
        "post",
        "/api/v1/incidents",
        {"kind": "threat", "community_area": "sixty-eight"},
        "Your role cannot report incidents.",
        id="incident_create",
    ),
    pytest.param(
        "olivia",
        "get",
        "/api/v1/mediations?page=abc",
        None,
        "Your role cannot see mediations.",
        id="conflict_list",
    ),
    pytest.param(
        "carmen",
        "post",
        "/api/v1/mediations",
        {"label": ["Conflict 3"], "community_area": "abc"},
        "Your role cannot open mediations.",
        id="conflict_create",
    ),
]


@pytest.mark.parametrize("persona, method, path, data, message", ROLE_ONLY)
def test_a_role_that_may_not_gets_403_before_its_request_is_read(
    request, api_as, alice, persona, method, path, data, message
):
    assert api_as(alice)(method, path, data).status_code == 400
    response = api_as(request.getfixturevalue(persona))(method, path, data)
    assert response.status_code == 403
    assert response.json() == {"detail": message}
    assert not Contact.objects.exists()
    assert not Incident.objects.exists()
    assert not Conflict.objects.exists()


def test_the_role_message_comes_in_the_callers_language(client, olivia):
    _, raw = api_token_create(user=olivia, name="laptop")
    response = client.post(
        "/api/v1/contacts",
        data={"minutes": "abc"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}", "Accept-Language": "es"},
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Su rol no permite registrar contactos."}


@pytest.mark.parametrize("header", [None, "Bearer nonsense"])
@pytest.mark.parametrize("persona, method, path, data, message", ROLE_ONLY)
def test_without_a_valid_token_still_401(client, header, persona, method, path, data, message):
    kwargs = {"headers": {"Authorization": header} if header else {}}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid API token is required."}
    assert not Contact.objects.exists()
