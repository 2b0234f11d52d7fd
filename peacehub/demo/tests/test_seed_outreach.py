"""A year of street outreach in the demo, on one shared seeded database."""

import csv
import datetime
import re

import pytest
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from peacehub.accounts.models import Membership, Organization, User
from peacehub.accounts.roles import Role
from peacehub.demo.coalition import PARTNERS, demo_logins
from peacehub.demo.incidents import HOMICIDES_CSV
from peacehub.demo.tests.conftest import SEEDED_PEOPLE
from peacehub.outreach.duty import on_duty_responders
from peacehub.outreach.models import (
    RESPONSE_ORDER,
    Agreement,
    AgreementState,
    Conflict,
    ConflictParty,
    Contact,
    DutyShift,
    Incident,
    IncidentKind,
    IncidentPerson,
    IncidentResponse,
    IncidentSource,
    MediationSession,
    ResponseAction,
)
from peacehub.people.models import Person, Status

pytestmark = pytest.mark.django_db


def _served() -> set[tuple]:
    return set(
        Organization.community_areas.through.objects.values_list(
            "organization_id", "communityarea_id"
        )
    )


def test_contacts_come_in_proportion_to_the_people(seeded):
    per_person = Contact.objects.count() / SEEDED_PEOPLE
    assert 38 <= per_person <= 62
    by_status = {
        status: Contact.objects.filter(person__status=status).count()
        / max(Person.objects.filter(status=status).count(), 1)
        for status in Status.values
    }
    assert by_status[Status.IDENTIFIED] < by_status[Status.ENGAGED]
    assert by_status[Status.IDENTIFIED] < by_status[Status.CASE_MANAGEMENT]
    year_ago = timezone.now() - datetime.timedelta(days=366)
    assert not Contact.objects.filter(occurred_at__lt=year_ago).exists()
    assert not Contact.objects.filter(occurred_at__gt=timezone.now()).exists()
    assert Contact.objects.filter(person=None).exclude(non_participant="").exists()
    notes = Contact.objects.exclude(note="").count() / Contact.objects.count()
    assert 0.08 < notes < 0.22
    text = " ".join(Contact.objects.exclude(note="").values_list("note", flat=True)[:500])
    assert not re.search(r"\bgang|\bcrew|\bclique", text, re.IGNORECASE)


def test_contacts_are_evening_and_weekend_heavy(seeded):
    moments = [timezone.localtime(m) for m in Contact.objects.values_list("occurred_at", flat=True)]
    evening = sum(16 <= m.hour <= 23 for m in moments) / len(moments)
    weekend = sum(m.weekday() >= 4 for m in moments) / len(moments)
    assert evening > 0.6
    assert weekend > 3 / 7


def test_no_contact_after_a_closed_participant_closed(seeded):
    closed = Person.objects.filter(status=Status.CLOSED).annotate(last=Max("contacts__occurred_at"))
    assert closed.exists()
    for person in closed:
        assert person.last is None or person.last < person.status_changed_at
    for person in Person.objects.annotate(first=Min("contacts__occurred_at")):
        assert person.first is None or person.first >= person.created_at - datetime.timedelta(
            days=1
        )


def test_contacts_belong_to_their_participants_organization(seeded):
    members = set(Membership.objects.values_list("user_id", "organization_id"))
    rows = Contact.objects.values_list(
        "organization_id", "worker_id", "person__organization_id", "community_area_id"
    )
    served = _served()
    for organization_id, worker_id, person_organization_id, area_id in rows:
        assert person_organization_id in (None, organization_id)
        assert (worker_id, organization_id) in members
        assert (organization_id, area_id) in served


def _fatal_events_2023() -> set[tuple]:
    with HOMICIDES_CSV.open(newline="") as handle:
        return {
            (row["Date"], row["Community"])
            for row in csv.DictReader(handle)
            if row["Year"] == "2023"
        }


def test_fatal_shootings_are_the_2023_homicides(seeded):
    events = _fatal_events_2023()
    assert len(events) == 154
    fatal = Incident.objects.filter(kind=IncidentKind.FATAL_SHOOTING).select_related(
        "community_area"
    )
    assert fatal.count() == len(events)
    expected = sorted((when[5:16], area.lower()) for when, area in events)  # "MM-DD HH:MM", area
    actual = sorted(
        (timezone.localtime(i.occurred_at).strftime("%m-%d %H:%M"), i.community_area.name.lower())
        for i in fatal
    )
    mismatched = [a for a, e in zip(actual, expected, strict=True) if a != e]
    assert len(mismatched) <= 1  # a time that falls in a daylight-saving gap moves an hour
    now = timezone.now()
    assert not fatal.filter(occurred_at__gt=now).exists()
    assert not fatal.filter(occurred_at__lt=now - datetime.timedelta(days=366)).exists()
    for incident in fatal:
        assert not re.search(r"\d{2}-\d{2}|years? old|\bmale\b|\bfemale\b", incident.summary)


def test_incidents_never_come_from_the_police(seeded):
    assert set(Incident.objects.values_list("source", flat=True)) <= set(IncidentSource.values)
    assert not Incident.objects.filter(source__icontains="police").exists()
    kinds = set(Incident.objects.values_list("kind", flat=True))
    assert {
        IncidentKind.FATAL_SHOOTING,
        IncidentKind.NONFATAL_SHOOTING,
        IncidentKind.THREAT,
        IncidentKind.CONFLICT,
        IncidentKind.RETALIATION_RISK,
    } <= kinds
    focus = set(Incident.objects.values_list("community_area__is_focus_area", flat=True))
    assert focus == {True}
    old = timezone.now() - datetime.timedelta(days=15)
    assert not Incident.objects.filter(occurred_at__lt=old, closed_at=None).exists()
    assert not Incident.objects.filter(closed_at__lt=timezone.now() - datetime.timedelta(days=400))


def test_responses_come_from_serving_organizations_in_order(seeded):
    served = _served()
    now = timezone.now()
    responses = IncidentResponse.objects.select_related("incident")
    assert responses.count() >= Incident.objects.count()
    for response in responses:
        incident = response.incident
        assert (response.organization_id, incident.community_area_id) in served or (
            response.organization_id == incident.reported_by_organization_id
        )
        assert incident.occurred_at <= response.notified_at <= now
        times = [response.notified_at]
        for state, at in (
            ("acknowledged", response.acknowledged_at),
            ("on_scene", response.on_scene_at),
            ("follow_up_done", response.follow_up_done_at),
        ):
            reached = RESPONSE_ORDER.index(response.state) >= RESPONSE_ORDER.index(state)
            assert (at is not None) == reached, response.state
            if at is not None:
                assert at >= times[-1]
                assert at <= now
                times.append(at)
    acknowledged = responses.exclude(acknowledged_at=None)
    quick = [r for r in acknowledged if r.minutes_to_acknowledge <= 30]
    assert len(quick) > 0.75 * acknowledged.count()
    for action in ResponseAction.objects.select_related("response"):
        assert action.response.on_scene_at is not None
        assert action.occurred_at >= action.response.on_scene_at
    # Every incident has a response from each partner serving its area.
    partners = Organization.objects.filter(kind=Organization.Kind.PARTNER)
    for incident in Incident.objects.all()[:200]:
        serving = set(
            partners.filter(community_areas=incident.community_area_id).values_list("pk", flat=True)
        )
        assert serving <= set(incident.responses.values_list("organization_id", flat=True))


def test_incident_links_stay_within_the_persons_organization(seeded):
    links = IncidentPerson.objects.select_related("person", "incident")
    assert links.exists()
    for link in links:
        assert link.organization_id == link.person.organization_id
        assert link.incident.responses.filter(organization_id=link.organization_id).exists()
        if link.incident.kind == IncidentKind.FATAL_SHOOTING:
            assert link.relation != "victim"


def test_conflict_parties_are_a_person_or_a_group_label(seeded):
    assert 3 * len(PARTNERS) <= Conflict.objects.count() <= 8 * len(PARTNERS)
    parties = ConflictParty.objects.select_related("conflict", "person")
    assert parties.filter(person=None).exists()
    assert parties.exclude(person=None).exists()
    for party in parties:
        assert (party.person_id is None) != (party.group_label == "")
        if party.person_id:
            assert party.person.organization_id == party.conflict.organization_id
        else:
            assert re.fullmatch(r"Group [A-Z]", party.group_label)
    served = _served()
    for conflict in Conflict.objects.all():
        assert (conflict.organization_id, conflict.community_area_id) in served
        assert re.fullmatch(r"Conflict \d+ — [\w ]+", conflict.label)
        sessions = MediationSession.objects.filter(conflict=conflict)
        assert 1 <= sessions.count() <= 5
        assert not sessions.filter(held_on__lt=conflict.opened_on).exists()
    today = timezone.localdate()
    for agreement in Agreement.objects.prefetch_related("history"):
        history = sorted(agreement.history.all(), key=lambda change: change.changed_on)
        assert history[0].state == AgreementState.HOLDING
        assert history[0].changed_on == agreement.made_on
        assert history[-1].state == agreement.state
        assert all(change.changed_on <= today for change in history)


def test_the_demo_outreach_worker_has_a_caseload_and_is_on_duty(seeded):
    user = User.objects.get(email=demo_logins()[0].email)
    active = (
        Person.objects.filter(outreach_worker=user)
        .exclude(status=Status.CLOSED)
        .annotate(last=Max("contacts__occurred_at"))
    )
    assert 15 <= active.count() <= 30
    now = timezone.now()
    never = [p for p in active if p.last is None]
    stale = [p for p in active if p.last and now - p.last > datetime.timedelta(days=14)]
    assert 1 <= len(never) <= 2
    assert 2 <= len(stale) <= 8
    today = timezone.localdate()
    open_follow_ups = Contact.objects.filter(
        worker=user, follow_up_done_at=None, follow_up_by__lte=today
    )
    assert open_follow_ups.filter(follow_up_by=today).exists()
    assert open_follow_ups.filter(follow_up_by__lt=today).exists()
    organization = Membership.objects.get(user=user).organization_id
    for hour in range(0, 24, 3):
        assert user in on_duty_responders([organization], now + datetime.timedelta(hours=hour))
    casemanager = User.objects.get(email=demo_logins()[2].email)
    managed = Person.objects.filter(case_manager=casemanager, status=Status.CASE_MANAGEMENT)
    assert 5 <= managed.count() <= 30


def test_follow_ups_a_later_contact_settled_are_done(seeded):
    """As in the app, a worker's contact with the person, logged on or after the day of
    a follow-up, does it: the demo's home pages list no follow-up months overdue of a
    person seen since. The demo worker's planned follow-ups (due these days) stay."""
    today = timezone.localdate()
    still_open = Contact.objects.filter(
        follow_up_done_at=None, follow_up_by__lt=today, person__isnull=False
    ).values_list("pk", "worker_id", "person_id", "occurred_at", "follow_up_by")
    assert Contact.objects.filter(follow_up_done_at__isnull=False).exists()
    superseded = []
    for pk, worker, person, occurred, due in still_open:
        later = Contact.objects.filter(
            worker_id=worker, person_id=person, occurred_at__gt=occurred
        ).values_list("created_at", flat=True)
        if any(timezone.localdate(logged) >= due for logged in later):
            superseded.append(pk)
    assert superseded == []
    # Done by the later contact: when it was logged, never before the follow-up's contact.
    assert not Contact.objects.filter(follow_up_done_at__lt=F("occurred_at")).exists()
    user = User.objects.get(email=demo_logins()[0].email)
    overdue = Contact.objects.filter(
        worker=user, follow_up_done_at=None, follow_up_by__lt=today - datetime.timedelta(days=60)
    )
    assert overdue.count() <= 1


def test_every_responder_has_weekly_shifts(seeded):
    responders = Membership.objects.filter(
        organization__kind=Organization.Kind.PARTNER,
        role__in=[Role.OUTREACH_WORKER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR],
    )
    assert not responders.filter(duty_shifts=None).exists()
    assert not DutyShift.objects.exclude(
        membership__role__in=[Role.OUTREACH_WORKER, Role.VICTIM_ADVOCATE, Role.SUPERVISOR]
    ).exists()
    evenings = DutyShift.objects.filter(
        Q(starts_at__gte=datetime.time(16)) & Q(weekday__in=[3, 4, 5, 6])
    )
    assert evenings.count() > DutyShift.objects.count() / 3
