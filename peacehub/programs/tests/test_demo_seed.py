"""peacehub.demo.programs: the providers' synthetic clients, tested directly (the call
is not wired into seed_demo yet)."""

import random

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.models import User
from peacehub.demo.coalition import (
    BEHAVIORAL_HEALTH,
    IPV_PROGRAM,
    LEGAL_AID,
    WORKFORCE,
    coalition_seed,
)
from peacehub.demo.programs import CLIENTS, programs_seed
from peacehub.people.models import Person
from peacehub.programs.models import (
    RETENTION,
    Enrollment,
    LegalMatter,
    Program,
    ProgramSession,
    WorkforceMilestone,
)
from peacehub.programs.services import ipv_pilot_areas

pytestmark = pytest.mark.django_db

MODELS = (Person, Enrollment, WorkforceMilestone, LegalMatter, ProgramSession)


@pytest.fixture
def seeded(settings):
    # Demo accounts are hashed with the production hasher otherwise: slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    coalition = coalition_seed()
    created = programs_seed(coalition=coalition, today=timezone.localdate(), rng=random.Random(7))
    return coalition, created


def counts():
    return {model: model.objects.count() for model in MODELS}


def test_each_provider_gets_its_own_clients(seeded):
    coalition, created = seeded
    assert created == sum(CLIENTS.values())
    for spec in (WORKFORCE, LEGAL_AID, BEHAVIORAL_HEALTH, IPV_PROGRAM):
        organization_id = coalition.provider_ids[spec.name]
        people = Person.objects.filter(organization_id=organization_id)
        assert people.count() == CLIENTS[spec.name]
        # The firewall: every enrollment names a person of its own organization.
        assert not Enrollment.objects.filter(organization_id=organization_id).exclude(
            person__organization_id=organization_id
        )
    assert not Enrollment.objects.exclude(person__organization__kind="provider")


def test_a_second_run_adds_nothing(seeded):
    coalition, _ = seeded
    before = counts()
    again = programs_seed(coalition=coalition, today=timezone.localdate(), rng=random.Random(99))
    assert again == 0
    assert counts() == before


def test_the_records_keep_the_programs_rules(seeded):
    today = timezone.localdate()
    ipv = Enrollment.objects.filter(program=Program.IPV).select_related("person__community_area")
    assert ipv and all(e.voluntary_confirmed for e in ipv)
    assert {e.person.community_area.number for e in ipv} <= set(ipv_pilot_areas())
    assert all(e.safety_plan for e in ipv)
    assert not ProgramSession.objects.filter(enrollment__program=Program.IPV, format="family")
    for enrollment in Enrollment.objects.prefetch_related("milestones", "matters", "sessions"):
        assert enrollment.enrolled_on <= today
        assert enrollment.ended_on is None or enrollment.enrolled_on <= enrollment.ended_on <= today
        milestones = {m.kind: m for m in enrollment.milestones.all()}
        for m in enrollment.milestones.all():
            assert enrollment.enrolled_on <= m.achieved_on <= today
        for kind, (days, before) in RETENTION.items():
            if kind in milestones:
                assert before in milestones
                assert milestones[kind].achieved_on >= milestones["placed"].achieved_on + (
                    timezone.timedelta(days=days)
                )
        for matter in enrollment.matters.all():
            assert matter.closed_on is None or matter.opened_on <= matter.closed_on <= today
        for session in enrollment.sessions.all():
            assert enrollment.enrolled_on <= session.held_on <= today
    # Realistic variety: every milestone kind and every matter status shows up.
    assert set(WorkforceMilestone.objects.values_list("kind", flat=True)) >= {
        "hope",
        "placed",
        "retained_30",
    }
    assert set(LegalMatter.objects.values_list("status", flat=True)) == {
        "open",
        "in_progress",
        "closed",
    }


def test_notes_and_safety_plans_are_encrypted(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT safety_plan FROM programs_enrollment WHERE safety_plan <> ''")
        plans = [value for (value,) in cursor.fetchall()]
    assert plans and all(p.startswith("fernet:") for p in plans)


@pytest.mark.parametrize(
    "email, slug",
    [
        ("workforce@demo.peacehub.test", "workforce"),
        ("legal@demo.peacehub.test", "legal"),
        ("clinician@demo.peacehub.test", "behavioral-health"),
        ("ipv@demo.peacehub.test", "ipv"),
    ],
)
def test_the_demo_sign_ins_see_a_populated_program_page(seeded, client, email, slug):
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse("programs:list", args=[slug]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 5
