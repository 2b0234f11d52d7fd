import io
import re
from itertools import pairwise

import pytest
from django.apps import apps
from django.core.management import call_command

from peacehub.accounts.models import Membership, Organization
from peacehub.accounts.roles import Role
from peacehub.audit.models import AuditEvent
from peacehub.demo.coalition import (
    CONVENER_NAME,
    DEMO_PASSWORD,
    FOCUS_AREA_COUNT,
    PARTNERS,
    demo_logins,
    focus_area_numbers,
    staff_roster,
)
from peacehub.geo.models import CommunityArea
from peacehub.people.models import (
    Consent,
    ConsentKind,
    EligibilityCheck,
    Person,
    Status,
    StatusChange,
)

pytestmark = pytest.mark.django_db


def seed(people=60, **options) -> str:
    out = io.StringIO()
    call_command("seed_demo", people=people, stdout=out, **options)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def test_it_builds_the_coalition():
    seed()
    assert Organization.objects.get(name=CONVENER_NAME).kind == Organization.Kind.CONVENER
    assert Organization.objects.filter(kind=Organization.Kind.PARTNER).count() == 15
    assert Organization.objects.filter(kind=Organization.Kind.PROVIDER).count() == 4
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert not Membership.objects.filter(role=Role.CONVENER_STAFF).exclude(
        organization__kind=Organization.Kind.CONVENER
    )
    focus = set(CommunityArea.objects.focus().values_list("number", flat=True))
    assert len(focus) == FOCUS_AREA_COUNT
    assert focus == set(focus_area_numbers())
    # Burnside has the highest homicide rate in the CDPH table.
    assert focus_area_numbers()[0] == 47
    served = {number for spec in PARTNERS for number in spec.areas}
    assert served == focus
    assert Person.objects.count() == 60


def test_each_person_lives_in_an_area_their_organization_serves():
    seed()
    served = set(
        Organization.community_areas.through.objects.values_list(
            "organization_id", "communityarea_id"
        )
    )
    people = Person.objects.values_list("organization_id", "community_area_id")
    assert all(pair in served for pair in people)
    assert not Person.objects.exclude(organization__kind=Organization.Kind.PARTNER).exists()


def test_running_twice_changes_nothing():
    seed()
    assert AuditEvent.objects.filter(record_type="demo.seed").count() == 1
    before = table_counts()
    seed()
    assert table_counts() == before


def test_more_people_adds_exactly_the_difference():
    seed(people=40)
    first = {
        row[0]: row
        for row in Person.objects.values_list("id", "legal_first_name", "legal_last_name", "status")
    }
    changes = StatusChange.objects.count()
    seed(people=60)
    assert Person.objects.count() == 60
    kept = Person.objects.filter(id__in=first)
    assert {
        row[0]: row
        for row in kept.values_list("id", "legal_first_name", "legal_last_name", "status")
    } == first
    new_people = Person.objects.exclude(id__in=first)
    assert (
        StatusChange.objects.count()
        == changes + StatusChange.objects.filter(person__in=new_people).count()
    )
    assert AuditEvent.objects.filter(record_type="demo.seed").count() == 2


def test_a_person_has_no_group_label_or_risk_score():
    banned = re.compile(r"gang|group|affiliat|risk|score|set_name|crew", re.IGNORECASE)
    for model in (Person, EligibilityCheck, StatusChange, Consent):
        names = [f.name for f in model._meta.get_fields()]
        assert not [name for name in names if banned.search(name)], model
    seed()
    notes = " ".join(EligibilityCheck.objects.values_list("note", flat=True))
    assert notes
    assert not re.search(r"\bgang|\bgroup|\bcrew|\bclique", notes, re.IGNORECASE)


def test_the_output_lists_every_demo_login_and_the_password():
    output = seed()
    for login in demo_logins():
        assert login.email in output
    assert DEMO_PASSWORD in output
    assert "nothing new to create" in seed()


def test_the_demo_logins_work(client):
    seed(people=0)
    for login in demo_logins():
        membership = Membership.objects.get(user__email=login.email)
        assert membership.role == login.role
        assert membership.organization.name == login.organization
    outreach, outreach2 = demo_logins()[:2]
    assert outreach.organization != outreach2.organization
    assert client.login(username=outreach.email, password=DEMO_PASSWORD)


def test_status_histories_lead_to_the_current_status():
    seed()
    for person in Person.objects.prefetch_related("status_changes", "consents"):
        history = sorted(person.status_changes.all(), key=lambda change: change.changed_at)
        assert history[0].from_status == ""
        assert history[0].to_status == Status.IDENTIFIED
        for before, after in pairwise(history):
            assert after.from_status == before.to_status
            assert after.changed_at > before.changed_at
        assert history[-1].to_status == person.status
        assert history[-1].changed_at == person.status_changed_at
        if person.status == Status.CLOSED:
            assert history[-1].reason
        kinds = {consent.kind for consent in person.consents.all()}
        assert (ConsentKind.SERVICES in kinds) == (person.status != Status.IDENTIFIED)


def test_share_consents_name_a_service_provider_and_phones_are_fictional():
    seed(people=200)
    shares = Consent.objects.filter(kind=ConsentKind.SHARE)
    assert shares.exists()
    assert not shares.exclude(recipient__kind=Organization.Kind.PROVIDER).exists()
    assert all(consent.scope for consent in shares)
    for phone in Person.objects.exclude(phone="").values_list("phone", flat=True):
        assert re.fullmatch(r"\((773|312|872)\) 555-01\d\d", phone)


def test_the_staff_roster_is_fixed_and_unique():
    roster = staff_roster()
    assert roster == staff_roster()
    assert len({member.email for member in roster}) == len(roster)
    assert {login.email for login in demo_logins()} <= {member.email for member in roster}


def test_refuses_a_database_with_real_organizations(db):
    from django.core.management.base import CommandError

    from peacehub.accounts.tests.factories import OrganizationFactory

    OrganizationFactory(name="A real partner")
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo", people=5, stdout=io.StringIO())
    assert not Person.objects.exists()
