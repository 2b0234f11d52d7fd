"""Running seed_demo: idempotent, growing, refusing a real database."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peacehub.accounts.models import Membership, User
from peacehub.audit.models import AuditEvent
from peacehub.demo.coalition import DEMO_PASSWORD, demo_logins
from peacehub.demo.tests.conftest import seed, table_counts
from peacehub.outreach.models import (
    Contact,
    DutyShift,
    Incident,
    IncidentPerson,
    IncidentResponse,
    Introduction,
)
from peacehub.people.models import Person, StatusChange

pytestmark = pytest.mark.django_db


def test_running_twice_changes_nothing(client):
    output = seed()
    for login in demo_logins():
        assert login.email in output
    assert DEMO_PASSWORD in output
    assert "contacts" in output and "incident responses" in output
    assert AuditEvent.objects.filter(record_type="demo.seed").count() == 1
    event = AuditEvent.objects.get(record_type="demo.seed")
    assert event.detail["contacts"] == Contact.objects.count() > 0
    assert event.detail["incidents"] == Incident.objects.count() > 0
    before = table_counts()
    assert "nothing new to create" in seed()
    assert table_counts() == before
    assert AuditEvent.objects.filter(record_type="demo.seed").count() == 1
    assert client.login(username=demo_logins()[0].email, password=DEMO_PASSWORD)


def _snapshot(model, *fields):
    return {row[0]: row for row in model.objects.order_by().values_list("pk", *fields)}


def test_more_people_only_adds():
    seed(people=40)
    people = _snapshot(
        Person, "legal_first_name", "legal_last_name", "status", "outreach_worker", "case_manager"
    )
    contacts = _snapshot(Contact, "person", "worker", "occurred_at", "contact_type")
    tables = {
        model: _snapshot(model)
        for model in (User, Membership, DutyShift, Incident, IncidentResponse, Introduction)
    }
    links = _snapshot(IncidentPerson)
    changes = StatusChange.objects.count()

    seed(people=60)
    assert Person.objects.filter(organization__kind="partner").count() == 60
    kept = _snapshot(
        Person, "legal_first_name", "legal_last_name", "status", "outreach_worker", "case_manager"
    )
    assert {pk: kept[pk] for pk in people} == people
    # The first 40 people's contacts are exactly those of before: none added, none changed.
    after = _snapshot(Contact, "person", "worker", "occurred_at", "contact_type")
    assert {pk: row for pk, row in after.items() if row[1] in people or pk in contacts} == contacts
    assert len(after) > len(contacts)
    for model, rows in tables.items():
        assert set(rows) <= set(_snapshot(model)), model
    assert set(links) <= set(_snapshot(IncidentPerson))
    new_people = Person.objects.exclude(id__in=people)
    assert (
        StatusChange.objects.count()
        == changes + StatusChange.objects.filter(person__in=new_people).count()
    )
    assert AuditEvent.objects.filter(record_type="demo.seed").count() == 2


def test_refuses_a_database_with_real_organizations():
    from peacehub.accounts.tests.factories import OrganizationFactory

    OrganizationFactory(name="A real partner")
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo", people=5, stdout=io.StringIO())
    assert not Person.objects.exists()
    assert not Contact.objects.exists()
