import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.outreach.models import (
    Agreement,
    Conflict,
    ConflictParty,
    Introduction,
    MediationSession,
)
from peacehub.outreach.tests.factories import ConflictFactory, IntroductionFactory, area
from peacehub.people.models import Status

pytestmark = pytest.mark.django_db

TODAY = lambda: timezone.localdate()  # noqa: E731


def test_a_mediation_with_parties_sessions_and_an_agreement_over_time(client_for, alice, person_a):
    client = client_for(alice)
    client.post(
        reverse("outreach:conflict_new"),
        {"label": "Conflict 12 — Englewood", "community_area": area(68).pk},
    )
    conflict = Conflict.objects.get()
    url = lambda name, *args: reverse(f"outreach:{name}", args=[conflict.pk, *args])  # noqa: E731
    client.post(url("conflict_party_add"), {"person": person_a.pk})
    client.post(url("conflict_party_add"), {"group_label": "Group A"})
    client.post(
        url("mediation_session_add"), {"held_on": TODAY().isoformat(), "note": "Met at the park"}
    )
    made_on = TODAY() - datetime.timedelta(days=10)
    client.post(
        url("agreement_add"),
        {
            "kind": "non_aggression",
            "made_on": made_on.isoformat(),
            "review_on": TODAY().isoformat(),
        },
    )
    agreement = Agreement.objects.get()
    client.post(
        url("agreement_state", agreement.pk),
        {"state": "strained", "changed_on": TODAY().isoformat(), "note": "Words at the store"},
    )

    agreement.refresh_from_db()
    assert set(conflict.parties.values_list("person_id", "group_label")) == {
        (person_a.pk, ""),
        (None, "Group A"),
    }
    assert MediationSession.objects.get().note == "Met at the park"
    assert agreement.state == "strained"
    assert list(agreement.history.order_by("changed_on").values_list("state", flat=True)) == [
        "holding",
        "strained",
    ]
    page = client.get(reverse("outreach:conflict", args=[conflict.pk])).content.decode()
    assert "Group A" in page and "Jamal Washington" in page and "Strained" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Name a participant or give a neutral group label"),
        ({"group_label": "Group A", "person": "PERSON"}, "not both"),
        ({"person": "00000000-0000-4000-8000-000000000001"}, "Choose a participant"),
        ({"group_label": "g" * 41}, "at most 40"),
    ],
)
def test_bad_parties_are_refused(client_for, alice, org_a, person_a, data, message):
    conflict = ConflictFactory(organization=org_a)
    data = {k: (person_a.pk if v == "PERSON" else v) for k, v in data.items()}
    response = client_for(alice).post(
        reverse("outreach:conflict_party_add", args=[conflict.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ConflictParty.objects.exists()


def test_another_organizations_participant_is_not_a_party(client_for, alice, org_a, person_b):
    conflict = ConflictFactory(organization=org_a)
    response = client_for(alice).post(
        reverse("outreach:conflict_party_add", args=[conflict.pk]), {"person": person_b.pk}
    )
    assert response.status_code == 400
    assert not ConflictParty.objects.exists()


@pytest.mark.parametrize(
    "name, data",
    [
        ("mediation_session_add", {"held_on": "2999-01-01"}),
        ("agreement_add", {"kind": "peace", "made_on": "2999-01-01"}),
        ("agreement_add", {"kind": "peace", "made_on": "2024-05-01", "review_on": "2024-04-01"}),
        ("agreement_add", {"kind": "truce", "made_on": "2024-05-01"}),
    ],
)
def test_bad_sessions_and_agreements_are_refused(client_for, alice, org_a, name, data):
    conflict = ConflictFactory(organization=org_a)
    response = client_for(alice).post(reverse(f"outreach:{name}", args=[conflict.pk]), data)
    assert response.status_code == 400
    assert not MediationSession.objects.exists()
    assert not Agreement.objects.exists()


def test_an_agreement_change_before_it_was_made_is_refused(client_for, alice, org_a):
    conflict = ConflictFactory(organization=org_a)
    agreement = Agreement.objects.create(conflict=conflict, kind="peace", made_on=TODAY())
    response = client_for(alice).post(
        reverse("outreach:agreement_state", args=[conflict.pk, agreement.pk]),
        {"state": "broken", "changed_on": (TODAY() - datetime.timedelta(days=3)).isoformat()},
    )
    agreement.refresh_from_db()
    assert response.status_code == 400
    assert agreement.state == "holding"


def test_mediations_stay_inside_the_organization(client_for, charlie, org_a):
    conflict = ConflictFactory(organization=org_a, label="Conflict 7")
    client = client_for(charlie)
    assert client.get(reverse("outreach:conflict", args=[conflict.pk])).status_code == 404
    assert b"Conflict 7" not in client.get(reverse("outreach:conflicts")).content


def test_outreach_introduces_and_the_case_manager_accepts(client_for, alice, carmen, person_a):
    client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": carmen.memberships.get().pk, "summary": "Ready to work on a GED"},
    )
    introduction = Introduction.objects.get()
    assert introduction.status == "pending"
    assert carmen.notifications.count() == 1
    assert "Jamal" not in carmen.notifications.get().message

    cm = client_for(carmen)
    waiting = cm.get(reverse("outreach:introductions"))
    assert "Ready to work on a GED" in waiting.content.decode()
    cm.post(reverse("outreach:introduction_accept", args=[introduction.pk]))

    person_a.refresh_from_db()
    introduction.refresh_from_db()
    assert introduction.status == "accepted"
    assert person_a.status == Status.CASE_MANAGEMENT
    assert person_a.case_manager == carmen
    assert person_a.status_changes.filter(to_status="case_management").exists()


def test_the_case_manager_returns_with_a_reason(client_for, carmen, person_a):
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    cm = client_for(carmen)
    cm.post(reverse("outreach:introduction_return", args=[introduction.pk]), {"reason": ""})
    introduction.refresh_from_db()
    assert introduction.status == "pending"

    cm.post(
        reverse("outreach:introduction_return", args=[introduction.pk]),
        {"reason": "Already works with our partner's case manager"},
    )
    introduction.refresh_from_db()
    person_a.refresh_from_db()
    assert introduction.status == "returned"
    assert person_a.status == Status.IDENTIFIED


def test_only_the_addressed_case_manager_answers(client_for, org_a, carmen, person_a, charlie):
    introduction = IntroductionFactory(person=person_a, case_manager=carmen)
    other_cm = member(org_a, Role.CASE_MANAGER)
    accept = reverse("outreach:introduction_accept", args=[introduction.pk])
    assert client_for(other_cm).post(accept).status_code == 403
    assert client_for(charlie).post(accept).status_code == 404
    introduction.refresh_from_db()
    assert introduction.status == "pending"


def test_an_introduction_goes_to_a_case_manager_of_the_same_organization(
    client_for, alice, person_a, org_b
):
    stranger = member(org_b, Role.CASE_MANAGER)
    response = client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": stranger.memberships.get().pk, "summary": "x"},
    )
    assert response.status_code == 400
    assert not Introduction.objects.exists()


def test_one_pending_introduction_at_a_time(client_for, alice, carmen, person_a):
    IntroductionFactory(person=person_a, case_manager=carmen)
    response = client_for(alice).post(
        reverse("outreach:introduction_new", args=[person_a.pk]),
        {"case_manager": carmen.memberships.get().pk, "summary": "again"},
    )
    assert response.status_code == 400
    assert Introduction.objects.count() == 1


def test_supervisor_sees_own_numbers_only(
    client_for, bob, alice, charlie, org_a, person_a, person_b, carmen
):
    from peacehub.outreach.tests.factories import ContactFactory

    ContactFactory(person=person_a, worker=alice)
    ContactFactory(person=person_a, worker=alice)
    ContactFactory(person=person_b, worker=charlie)
    IntroductionFactory(person=person_a, case_manager=carmen, introduced_by=alice)
    response = client_for(bob).get(reverse("outreach:supervisor"))
    rows = dict(response.context["contact_rows"])
    assert sum(rows["Alice Outreach"]) == 2
    assert "Charlie Other" not in rows
    assert [i.case_manager for i in response.context["pending_introductions"]] == [carmen]
    assert "Jamal" not in response.content.decode()


def test_supervisor_counts_contacts_in_the_local_week_they_happened(
    client_for, bob, alice, person_a
):
    """Weeks start on Monday at midnight in the coalition's time zone: a contact late on
    Sunday night counts in the week before, one just after midnight in the new week."""
    from peacehub.outreach.tests.factories import ContactFactory

    this_monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    midnight = timezone.make_aware(datetime.datetime.combine(this_monday, datetime.time()))
    for moment in (
        midnight - datetime.timedelta(minutes=30),  # Sunday 23:30: last week
        midnight - datetime.timedelta(days=6, hours=23),  # Monday 01:00: last week too
        midnight + datetime.timedelta(minutes=30),  # Monday 00:30: this week
        midnight - datetime.timedelta(weeks=7, minutes=1),  # before the eighth week: not shown
    ):
        if moment <= timezone.now():
            ContactFactory(person=person_a, worker=alice, occurred_at=moment)
    response = client_for(bob).get(reverse("outreach:supervisor"))
    assert response.context["weeks"][-2:] == [
        this_monday - datetime.timedelta(weeks=1),
        this_monday,
    ]
    weekly = dict(response.context["contact_rows"])["Alice Outreach"]
    this_week = 1 if midnight + datetime.timedelta(minutes=30) <= timezone.now() else 0
    assert weekly[-2:] == [2, this_week]
    assert sum(weekly) == 2 + this_week
