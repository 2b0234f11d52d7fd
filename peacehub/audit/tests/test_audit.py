import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peacehub.accounts.models import Membership
from peacehub.audit.models import AuditAction, AuditEvent
from peacehub.audit.services import audit_chain_verify, audit_event_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_events(alice, person_a):
    return [
        audit_event_record(
            actor=alice, action=AuditAction.VIEW, record=person_a, ip_address="10.0.0.1"
        )
        for _ in range(5)
    ]


def _drop_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_update ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_events_record_who_when_what_and_from_where(client, alice, person_a):
    client.force_login(alice)
    client.get(reverse("people:detail", args=[person_a.pk]), REMOTE_ADDR="192.0.2.7")
    event = AuditEvent.objects.get(action="view")
    assert event.actor_id == str(alice.pk)
    assert event.actor_email == alice.email
    assert event.record_type == "people.person"
    assert event.record_id == str(person_a.pk)
    assert event.organization_id == str(person_a.organization_id)
    assert event.ip_address == "192.0.2.7"
    assert event.occurred_at is not None


def test_an_intact_chain_verifies(five_events, capsys):
    assert audit_chain_verify() is None
    call_command("verify_audit")
    assert "Audit chain intact" in capsys.readouterr().out


def test_the_application_cannot_update_or_delete_events(five_events):
    event = AuditEvent.objects.order_by("sequence").first()
    event.action = "delete"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update(five_events):
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("UPDATE audit_auditevent SET action = 'delete'")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_a_delete(five_events):
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("DELETE FROM audit_auditevent")


def test_verify_audit_finds_an_altered_row(five_events):
    _drop_triggers()
    _raw("UPDATE audit_auditevent SET ip_address = '203.0.113.9' WHERE sequence = 3")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert "broken at event #3" in str(error.value)
    assert "altered" in str(error.value)


def test_verify_audit_finds_a_recomputed_hash_without_the_key(five_events):
    """Someone who edits a row and recomputes a plain SHA-256 still breaks the chain:
    the hash is an HMAC under a key that is not in the database."""
    import hashlib

    _drop_triggers()
    forged = hashlib.sha256(b"anything").hexdigest()
    _raw("UPDATE audit_auditevent SET action = 'list', hash = %s WHERE sequence = 2", [forged])
    broken = audit_chain_verify()
    assert broken is not None
    assert broken.sequence == 2


def test_verify_audit_finds_a_deleted_row(five_events):
    _drop_triggers()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 4")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert "broken at event #4" in str(error.value)
    assert "missing" in str(error.value)


def test_verify_audit_finds_events_removed_from_the_end(five_events):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditevent WHERE sequence = 5")

    broken = audit_chain_verify()
    assert broken is not None
    assert broken.sequence == 5


def test_admin_browses_own_organization_trail_only(
    client, olivia, alice, charlie, person_a, person_b
):
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    audit_event_record(actor=charlie, action=AuditAction.VIEW, record=person_b)
    client.force_login(olivia)

    response = client.get(reverse("audit:list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert str(person_a.pk) in content
    assert "alice@example.org" in content
    assert str(person_b.pk) not in content
    assert "charlie@example.org" not in content
    assert "Jamal" not in content  # the trail shows ids, never a person's data


def test_admin_filters_the_trail(client, olivia, alice, bob, person_a):
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    audit_event_record(actor=bob, action=AuditAction.UPDATE, record=person_a)
    client.force_login(olivia)

    response = client.get(reverse("audit:list"), {"actor": str(bob.pk), "action": "update"})

    events = list(response.context["page"].object_list)
    assert [e.actor_email for e in events] == ["bob@example.org"]


def test_admin_filters_the_trail_by_one_staff_member(client, olivia, alice, bob, person_a):
    for actor in [alice, bob, alice]:
        audit_event_record(actor=actor, action=AuditAction.VIEW, record=person_a)
    client.force_login(olivia)

    response = client.get(reverse("audit:list"), {"actor": str(alice.pk)})

    assert response.context["selected"]["actor"] == str(alice.pk)
    assert [e.actor_id for e in response.context["page"].object_list] == [str(alice.pk)] * 2
    assert "bob@example.org</a>" not in response.content.decode()


def test_the_actor_choice_lists_the_organization_staff_by_name_and_email(
    client, olivia, alice, bob, charlie, person_a, person_b
):
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    audit_event_record(actor=charlie, action=AuditAction.VIEW, record=person_b)
    client.force_login(olivia)

    response = client.get(reverse("audit:list"))

    assert response.context["actors"] == [
        (str(alice.pk), "Alice Outreach (alice@example.org)"),
        (str(bob.pk), "Bob Supervisor (bob@example.org)"),
        (str(olivia.pk), "Olivia Admin (olivia@example.org)"),
    ]
    content = response.content.decode()
    assert f'<option value="{alice.pk}">Alice Outreach (alice@example.org)</option>' in content
    assert "Charlie" not in content
    assert str(charlie.pk) not in content


def test_former_staff_stay_in_the_choice_and_the_filter(client, olivia, alice, bob, person_a):
    """Removing a membership deletes it; the events of the person who held it stay,
    and so must the means of finding them."""
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    audit_event_record(actor=bob, action=AuditAction.VIEW, record=person_a)
    Membership.objects.filter(user=alice).delete()
    client.force_login(olivia)

    response = client.get(reverse("audit:list"), {"actor": str(alice.pk)})

    assert (str(alice.pk), "Alice Outreach (alice@example.org)") in response.context["actors"]
    assert [e.actor_id for e in response.context["page"].object_list] == [str(alice.pk)]


def test_a_deleted_account_is_chosen_by_the_address_its_events_recorded(
    client, olivia, alice, person_a
):
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    alice_id = str(alice.pk)
    alice.delete()
    client.force_login(olivia)

    response = client.get(reverse("audit:list"), {"actor": alice_id})

    assert (alice_id, "alice@example.org") in response.context["actors"]
    assert [e.actor_id for e in response.context["page"].object_list] == [alice_id]


def test_someone_of_another_organization_who_acted_in_the_trail_can_be_chosen(
    client, olivia, charlie, person_a
):
    """A shared record read by another organization's staff is in the owner's trail,
    under that person's address; the choice names them as the trail already does."""
    audit_event_record(actor=charlie, action=AuditAction.VIEW, record=person_a)
    client.force_login(olivia)

    response = client.get(reverse("audit:list"), {"actor": str(charlie.pk)})

    assert (str(charlie.pk), "Charlie Other (charlie@example.org)") in response.context["actors"]
    assert [e.actor_id for e in response.context["page"].object_list] == [str(charlie.pk)]


def test_another_organizations_staff_member_is_no_filter(
    client, olivia, alice, charlie, person_a, person_b
):
    """Like an unknown organization: ignored. The page shows the admin's own trail, as
    without the filter, and nothing of the other organization or of that person."""
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    audit_event_record(actor=charlie, action=AuditAction.VIEW, record=person_b)
    client.force_login(olivia)

    response = client.get(reverse("audit:list"), {"actor": str(charlie.pk)})

    assert response.status_code == 200
    assert response.context["selected"]["actor"] == ""
    assert [e.actor_id for e in response.context["page"].object_list] == [str(alice.pk)]
    content = response.content.decode()
    assert str(person_b.pk) not in content
    assert "Charlie" not in content
    assert "charlie@example.org" not in content
    assert f'value="{charlie.pk}"' not in content  # (the language switch echoes the URL)


@pytest.mark.parametrize(
    "actor",
    ["garbage", "' OR 1=1 --", "x" * 5000, "0b7e3a8e-52a4-4a4b-9d38-7f0d1c2e9a61", "", " ", "%00"],
    ids=["garbage", "sql", "long", "unknown_uuid", "empty", "space", "nul"],
)
def test_a_malformed_or_unknown_actor_is_no_filter(client, olivia, alice, person_a, actor):
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    client.force_login(olivia)

    response = client.get(reverse("audit:list"), {"actor": actor})

    assert response.status_code == 200
    assert response.context["selected"]["actor"] == ""
    assert [e.actor_id for e in response.context["page"].object_list] == [str(alice.pk)]


def test_the_actor_choice_costs_the_same_queries_however_many_act(
    client, olivia, alice, bob, carmen, person_a
):
    audit_event_record(actor=alice, action=AuditAction.VIEW, record=person_a)
    client.force_login(olivia)
    url = reverse("audit:list")
    client.get(url)  # the session's first request loads more than the page needs
    with CaptureQueriesContext(connection) as one_actor:
        client.get(url, {"actor": str(alice.pk)})
    for actor in [bob, carmen, olivia]:
        audit_event_record(actor=actor, action=AuditAction.VIEW, record=person_a)
    with CaptureQueriesContext(connection) as four_actors:
        response = client.get(url, {"actor": str(alice.pk)})

    assert len(response.context["actors"]) == 4
    assert len(four_actors) == len(one_actor)


@pytest.mark.parametrize("persona", ["alice", "bob", "dana", "eve", "charlie"])
def test_only_organization_admins_browse_the_trail(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:list")).status_code == 403
