"""The demo coalition, its staff and participants, on one shared seeded database."""

import math
import re
from collections import Counter
from functools import cache
from itertools import pairwise

import pytest

from peacehub.accounts.models import Membership, Organization
from peacehub.accounts.roles import Role
from peacehub.demo.caseloads import (
    DEMO_CASE_MANAGER_SLOT,
    DEMO_OUTREACH_SLOT,
    CaseloadPlan,
)
from peacehub.demo.coalition import (
    CONVENER_NAME,
    FOCUS_AREA_COUNT,
    PARTNERS,
    demo_logins,
    focus_area_numbers,
    slot_member,
    staff_roster,
)
from peacehub.demo.tests.conftest import SEEDED_PEOPLE
from peacehub.geo.models import CommunityArea
from peacehub.outreach.models import Introduction, IntroductionStatus
from peacehub.people.models import (
    Consent,
    ConsentKind,
    EligibilityCheck,
    Person,
    Status,
    StatusChange,
)


def _participants():
    """The partners' participants, without the providers' own clients."""
    return Person.objects.filter(organization__kind=Organization.Kind.PARTNER)


pytestmark = pytest.mark.django_db


@cache
def plan(count: int) -> CaseloadPlan:
    return CaseloadPlan(seed=7, count=count)


def test_it_builds_the_coalition(seeded):
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
    assert _participants().count() == SEEDED_PEOPLE


def test_each_person_lives_in_an_area_their_organization_serves(seeded):
    served = set(
        Organization.community_areas.through.objects.values_list(
            "organization_id", "communityarea_id"
        )
    )
    people = _participants().values_list("organization_id", "community_area_id")
    assert all(pair in served for pair in people)
    # Providers' own clients (peacehub.demo.programs) are separate records.
    providers = Person.objects.exclude(organization__kind=Organization.Kind.PARTNER)
    assert set(providers.values_list("organization__kind", flat=True)) <= {"provider"}


def test_the_demo_logins_keep_their_organizations(seeded):
    for login in demo_logins():
        membership = Membership.objects.get(user__email=login.email)
        assert membership.role == login.role
        assert membership.organization.name == login.organization
    outreach, outreach2 = demo_logins()[:2]
    assert outreach.organization != outreach2.organization
    assert slot_member(*DEMO_OUTREACH_SLOT).email == outreach.email
    assert slot_member(*DEMO_CASE_MANAGER_SLOT).email == "casemanager@demo.peacehub.test"


def test_workers_belong_to_the_participants_organization(seeded):
    members = set(Membership.objects.values_list("user_id", "organization_id", "role"))
    for person in _participants():
        if person.outreach_worker_id:
            assert (
                person.outreach_worker_id,
                person.organization_id,
                Role.OUTREACH_WORKER,
            ) in members
        if person.case_manager_id:
            assert (person.case_manager_id, person.organization_id, Role.CASE_MANAGER) in members
        if person.status == Status.ENGAGED:
            assert person.outreach_worker_id
        if person.status == Status.CASE_MANAGEMENT:
            assert person.case_manager_id
    identified = Person.objects.filter(status=Status.IDENTIFIED)
    assert identified.filter(outreach_worker=None).count() > identified.count() / 2
    active = Person.objects.exclude(status=Status.CLOSED).exclude(outreach_worker=None)
    loads = Counter(active.values_list("outreach_worker_id", flat=True))
    assert max(loads.values()) <= 30


def test_caseload_workers_work_in_an_area_their_organization_serves(seeded):
    served = set(
        Organization.community_areas.through.objects.values_list(
            "organization_id", "communityarea_id"
        )
    )
    memberships = Membership.objects.filter(role__in=[Role.OUTREACH_WORKER, Role.CASE_MANAGER])
    assert memberships.exists()
    for organization_id, area_id in memberships.values_list("organization_id", "community_area_id"):
        assert (organization_id, area_id) in served


def test_staff_grows_with_the_participants():
    """At 20,000 participants a partner has about one outreach worker per 25 it
    carries and one case manager per 25 in case management; nobody carries more than
    30; the first participants' workers do not depend on how many there are."""
    small, large = plan(2000), plan(20000)
    assert large.assignments[:2000] == small.assignments
    loads = large.active_caseloads()
    assert max(loads.values()) <= 30
    assert loads[DEMO_OUTREACH_SLOT] == 23
    assert loads[DEMO_CASE_MANAGER_SLOT] == 25
    base = Counter((m.organization, m.role) for m in staff_roster())
    for k, spec in enumerate(PARTNERS):
        mine = [a for a in large.assignments if a.profile.partner == k]
        for role, carried in (
            (Role.OUTREACH_WORKER, sum(a.outreach_position is not None for a in mine)),
            (Role.CASE_MANAGER, sum(a.profile.status == Status.CASE_MANAGEMENT for a in mine)),
        ):
            slots = {s for s in large.slots if s[0] == k and s[1] == role}
            staff = len({slot_member(*s).email for s in slots})
            expected = max(base[(spec.name, role)], math.ceil(carried / 25))
            # One partly filled slot per area at most, and slot sizes of 20 to 30.
            assert expected * 0.8 <= staff <= expected * 1.25 + len(spec.areas), (spec, role)
    workers = {slot_member(*s).email for s in large.slots if s[1] == Role.OUTREACH_WORKER}
    assert 400 <= len(workers) <= 700


def test_people_reached_case_management_through_an_introduction(seeded):
    reached = set(
        StatusChange.objects.filter(to_status=Status.CASE_MANAGEMENT).values_list(
            "person_id", flat=True
        )
    )
    accepted = Introduction.objects.filter(status=IntroductionStatus.ACCEPTED)
    assert set(accepted.values_list("person_id", flat=True)) == reached
    for introduction in Introduction.objects.select_related("person"):
        assert introduction.organization_id == introduction.person.organization_id
        if introduction.status == IntroductionStatus.PENDING:
            assert introduction.person.status == Status.ENGAGED
            assert introduction.decided_at is None
        else:
            assert introduction.decided_at >= introduction.created_at
        if introduction.status == IntroductionStatus.RETURNED:
            assert introduction.return_reason
    casemanager = demo_logins()[2].email
    assert Introduction.objects.filter(
        case_manager__email=casemanager, status=IntroductionStatus.PENDING
    ).exists()


def test_a_person_has_no_group_label_or_risk_score(seeded):
    banned = re.compile(r"gang|group|affiliat|risk|score|set_name|crew", re.IGNORECASE)
    for model in (Person, EligibilityCheck, StatusChange, Consent):
        names = [f.name for f in model._meta.get_fields()]
        assert not [name for name in names if banned.search(name)], model
    notes = " ".join(EligibilityCheck.objects.values_list("note", flat=True))
    assert notes
    assert not re.search(r"\bgang|\bgroup|\bcrew|\bclique", notes, re.IGNORECASE)


def test_status_histories_lead_to_the_current_status(seeded):
    for person in _participants().prefetch_related("status_changes", "consents"):
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


def test_share_consents_name_a_service_provider_and_phones_are_fictional(seeded):
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
    extra = plan(20000).extra_staff()
    emails = [member.email for member in extra]
    assert len(set(emails)) == len(emails)
    assert len({m.full_name for m in extra} | {m.full_name for m in roster}) == len(
        {m.email for m in extra} | {m.email for m in roster}
    )
