import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

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

    response = client.get(reverse("audit:list"), {"actor": "bob@", "action": "update"})

    events = list(response.context["page"].object_list)
    assert [e.actor_email for e in events] == ["bob@example.org"]


@pytest.mark.parametrize("persona", ["alice", "bob", "dana", "eve", "charlie"])
def test_only_organization_admins_browse_the_trail(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:list")).status_code == 403
