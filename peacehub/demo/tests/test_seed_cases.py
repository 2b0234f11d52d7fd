"""Case management, referrals and re-entry in the demo."""

import datetime
import re
from collections import Counter
from itertools import pairwise

import pytest
from django.db.models import Count, F, Max
from django.utils import timezone

from peacehub.accounts.models import User
from peacehub.cases.access import reentry_plans_visible_to
from peacehub.cases.models import (
    Assessment,
    AssessmentRating,
    Case,
    CaseNote,
    Goal,
    GoalProgress,
    GoalStatus,
    Intake,
    NoteType,
    PreReleaseContact,
    ReentryPlan,
    ReentryService,
)
from peacehub.cases.services import current_template
from peacehub.demo.tests.conftest import seed
from peacehub.outreach.models import Contact, ContactType
from peacehub.people.models import Consent, ConsentKind, Person, Status
from peacehub.referrals.access import referrals_received_by, referrals_sent_by
from peacehub.referrals.models import (
    NEXT_STEPS,
    OPEN_STATUSES,
    STALE_AFTER_DAYS,
    EventCode,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

pytestmark = pytest.mark.django_db

CASE_MODELS = (
    Case,
    Intake,
    Assessment,
    AssessmentRating,
    Goal,
    GoalProgress,
    CaseNote,
    Referral,
    ReferralEvent,
    Consent,
    ReentryPlan,
    PreReleaseContact,
    ReentryService,
)


def _counts() -> dict:
    return {model: model.objects.count() for model in CASE_MODELS}


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@demo.peacehub.test")


def _stale_cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=STALE_AFTER_DAYS)


# Runs first, before the module's shared demo exists (it holds whatever is there anyway).
def test_second_run_adds_nothing_and_more_people_only_add():
    seed(people=40)
    assert Case.objects.exists() and Referral.objects.exists()
    before = _counts()
    cases = dict(Case.objects.values_list("pk", "opened_on"))
    referrals = dict(Referral.objects.values_list("pk", "status"))
    seed(people=40)
    assert _counts() == before
    seed(people=60)
    kept = dict(Case.objects.values_list("pk", "opened_on"))
    assert {pk: kept[pk] for pk in cases} == cases
    after = dict(Referral.objects.values_list("pk", "status"))
    assert {pk: after[pk] for pk in referrals} == referrals
    new_people = Person.objects.filter(status=Status.CASE_MANAGEMENT).exclude(cases__in=list(cases))
    assert Case.objects.count() == len(cases) + new_people.count()


def test_every_person_in_case_management_has_one_open_case(seeded):
    managed = Person.objects.filter(status=Status.CASE_MANAGEMENT, case_manager__isnull=False)
    assert managed.count() >= 20
    for person in managed.prefetch_related("cases"):
        (case,) = person.cases.all()
        assert case.closed_on is None
        assert case.organization_id == person.organization_id
        assert case.case_manager_id == person.case_manager_id
        assert case.created_by_id == person.case_manager_id
    assert not Case.objects.exclude(person__in=managed).exists()
    today = timezone.localdate()
    opened = Case.objects.values_list("opened_on", flat=True)
    assert all(today - datetime.timedelta(days=366) <= day < today for day in opened)
    assert Intake.objects.count() == Case.objects.count()
    referred_by = Counter(Intake.objects.values_list("referred_by", flat=True))
    assert referred_by.most_common(1)[0][0] == "outreach"


def test_assessments_use_the_current_template_and_rate_every_domain(seeded):
    template = current_template()
    keys = sorted(template.domain_keys())
    assert not Assessment.objects.exclude(template=template).exists()
    today = timezone.localdate()
    per_case = Counter()
    for assessment in Assessment.objects.select_related("case").prefetch_related("ratings"):
        ratings = list(assessment.ratings.all())
        assert sorted(r.domain for r in ratings) == keys
        assert all(1 <= r.rating <= 5 for r in ratings)
        assert assessment.case.opened_on <= assessment.assessed_on < today
        per_case[assessment.case_id] += 1
    assert set(per_case) == set(Case.objects.values_list("pk", flat=True))
    assert set(per_case.values()) <= {1, 2, 3, 4}
    assert max(per_case.values()) >= 3  # the chart has lines
    # Mostly better over time, some domains worse.
    changes = Counter()
    for case in Case.objects.prefetch_related("assessments__ratings"):
        history = sorted(case.assessments.all(), key=lambda a: a.assessed_on)
        if len(history) > 1:
            first = {r.domain: r.rating for r in history[0].ratings.all()}
            last = {r.domain: r.rating for r in history[-1].ratings.all()}
            changes.update((last[k] > first[k]) - (last[k] < first[k]) for k in keys)
    assert changes[1] > changes[-1] > 0
    # Some are overdue for reassessment, most are not.
    last_on = Case.objects.annotate(last=Max("assessments__assessed_on")).values_list(
        "last", flat=True
    )
    overdue = sum((today - day).days > 90 for day in last_on)
    assert 0 < overdue < len(last_on) / 3


def test_goals_are_in_the_lowest_rated_domains(seeded):
    today = timezone.localdate()
    cases = Case.objects.prefetch_related("goals", "assessments__ratings")
    lowest = 0
    for case in cases:
        goals = list(case.goals.all())
        assert 2 <= len(goals) <= 4
        first = min(case.assessments.all(), key=lambda a: a.assessed_on)
        ratings = {r.domain: r.rating for r in first.ratings.all()}
        goal_ratings = [ratings[g.domain] for g in goals]
        others = [r for domain, r in ratings.items() if domain not in {g.domain for g in goals}]
        lowest += max(goal_ratings) <= min(others)
    # Every case but casemanager@'s chosen stories (their referrals' needs come first).
    assert lowest >= len(cases) - 8
    statuses = Counter(Goal.objects.values_list("status", flat=True))
    assert set(statuses) == set(GoalStatus.values)
    assert Goal.objects.filter(target_date__lt=today).exists()
    assert Goal.objects.filter(target_date__gt=today).exists()
    assert Goal.objects.filter(
        target_date__lt=today, status__in=[GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS]
    ).exists()
    for goal in Goal.objects.filter(status=GoalStatus.MET).prefetch_related("progress"):
        assert goal.progress.all()[0].status == GoalStatus.MET  # the latest step
    assert not GoalProgress.objects.filter(written_on__gte=today).exists()


def test_case_notes_are_few_bland_and_of_the_case_team(seeded):
    notes = CaseNote.objects.all()
    assert Case.objects.count() <= notes.count() <= 3 * Case.objects.count()
    assert set(notes.values_list("note_type", flat=True)) <= {
        NoteType.GENERAL,
        NoteType.EMPLOYMENT,
    }
    assert not notes.exclude(organization=F("person__organization")).exists()
    text = " ".join(note.text for note in notes)
    assert not re.search(r"\bgang|\bcrew|\bclique|\bset\b", text, re.IGNORECASE)


def test_referrals_follow_the_rules(seeded):
    referrals = Referral.objects.select_related("consent", "service__organization", "case")
    assert referrals.count() >= 10
    cases_with = Referral.objects.values("case").distinct().count()
    assert 0.25 < cases_with / Case.objects.count() < 0.75
    for referral in referrals.prefetch_related("events"):
        consent = referral.consent
        assert consent.person_id == referral.person_id
        assert consent.kind == ConsentKind.SHARE
        assert consent.recipient_id == referral.receiving_organization_id
        assert consent.is_current or consent.revoked_at is not None
        assert consent.given_on <= timezone.localdate(referral.created_at)
        assert referral.receiving_organization_id == referral.service.organization.organization_id
        assert referral.case.person_id == referral.person_id
        assert referral.sending_organization_id == referral.case.organization_id
        assert referral.sent_by_id == referral.case.case_manager_id
        events = list(referral.events.all())
        steps = [e.status for e in events]
        assert steps[0] == ReferralStatus.SENT
        assert steps[-1] == referral.status
        for before, after in pairwise(events):
            assert after.status in NEXT_STEPS[before.status]
            assert after.at > before.at
        assert referral.created_at == events[0].at
        assert referral.updated_at == events[-1].at < timezone.now()
        for event in events:
            sender = event.status == ReferralStatus.SENT
            if event.status != ReferralStatus.CLOSED:
                assert event.by_organization_id == (
                    referral.sending_organization_id
                    if sender
                    else referral.receiving_organization_id
                )
            if event.status in (ReferralStatus.DECLINED, ReferralStatus.CLOSED):
                # Typed, or PeaceHub's own words (a consent withdrawn).
                assert event.note or event.code
            # The step that set the first appointment says which, the referral's.
            if event.status == ReferralStatus.FIRST_APPOINTMENT:
                assert event.appointment_at == referral.first_appointment_at
            else:
                assert event.appointment_at is None
        if ReferralStatus.FIRST_APPOINTMENT in steps:
            assert referral.first_appointment_at is not None
            # As referral_step() has it: within a year, and come before the service.
            assert referral.first_appointment_at < timezone.now() + datetime.timedelta(days=365)
            if referral.status in (ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED):
                assert referral.first_appointment_at < timezone.now()
        withdrawn = [e for e in events if e.code == EventCode.CONSENT_WITHDRAWN]
        if consent.revoked_at is None:
            assert not withdrawn
        elif withdrawn:
            # Closed when the consent was revoked, by the sending side, as in the app
            # (referrals_close_for_revoked_consent), and nothing after.
            assert withdrawn == [events[-1]]
            assert referral.status == ReferralStatus.CLOSED
            assert events[-1].by_organization_id == referral.sending_organization_id
            assert events[-1].by_id == consent.revoked_by_id
            assert consent.revoked_at < events[-1].at
        else:
            # Revoked after the referral had ended: nothing left to close.
            assert referral.status not in OPEN_STATUSES
            assert consent.revoked_at > events[-1].at
    revoked = referrals.filter(consent__revoked_at__isnull=False)
    assert 1 <= revoked.count() <= max(3, referrals.count() // 20)
    # No referral stays open on a consent that no longer allows it.
    assert not revoked.filter(status__in=OPEN_STATUSES).exists()
    assert ReferralEvent.objects.filter(code=EventCode.CONSENT_WITHDRAWN).exists()
    assert ReferralEvent.objects.filter(appointment_at__isnull=False).exists()
    statuses = set(referrals.values_list("status", flat=True))
    assert {ReferralStatus.COMPLETED, ReferralStatus.IN_SERVICE, ReferralStatus.DECLINED} <= (
        statuses
    )
    stale = referrals.filter(status__in=OPEN_STATUSES, updated_at__lte=_stale_cutoff())
    assert 0 < stale.count() < referrals.count() / 3


def test_reentry_plans(seeded):
    today = timezone.localdate()
    plans = ReentryPlan.objects.select_related("person").prefetch_related("services", "contacts")
    assert plans.exists()
    for plan in plans:
        assert plan.organization_id == plan.person.organization_id
        assert plan.person.status in (Status.CASE_MANAGEMENT, Status.IDENTIFIED)
        assert plan.released_on is None
        assert today < plan.expected_release_on <= today + datetime.timedelta(days=160)
        assert plan.contacts.all() and all(c.contacted_on < today for c in plan.contacts.all())
        assert plan.services.all()
        assert all(1 <= s.day_after_release <= 7 for s in plan.services.all())
    # Those still inside are not referred anywhere yet.
    assert not Referral.objects.filter(person__reentry_plans__isnull=False).exists()
    # Nor met on the street since their plan began: only calls and pre-release visits.
    inside = 0
    for plan in plans:
        since = timezone.localtime(plan.created_at).replace(hour=0, minute=0, second=0)
        kinds = set(
            Contact.objects.filter(person=plan.person, occurred_at__gte=since).values_list(
                "contact_type", flat=True
            )
        )
        assert kinds <= {ContactType.PHONE, ContactType.PRE_RELEASE}, plan.person
        inside += bool(kinds)
    assert inside, "no one inside was called or visited"


def test_the_demo_sign_ins_see_data(seeded, client):
    today = timezone.localdate()
    manager = _user("casemanager")
    cases = Case.objects.filter(case_manager=manager, closed_on__isnull=True)
    due = reentry_plans_visible_to(manager).filter(
        person__in=cases.values("person"),
        released_on__isnull=True,
        expected_release_on__range=(today, today + datetime.timedelta(days=60)),
    )
    assert due.count() >= 2
    sent = referrals_sent_by(manager).filter(sent_by=manager)
    assert sent.count() >= 5
    assert sent.filter(status__in=OPEN_STATUSES, updated_at__lte=_stale_cutoff()).exists()
    assert sent.filter(consent__revoked_at__isnull=False).exists()
    for local in ("legal", "clinician", "workforce", "ipv"):
        assert referrals_received_by(_user(local)).count() >= 2, local

    # (The shared demo's passwords are hashed before the tests' fast hasher is set.)
    client.force_login(manager)
    response = client.get("/cases/")
    assert response.status_code == 200
    assert len(response.context["releases"]) >= 2
    assert response.context["stale_referral_cases"]
    case = cases.annotate(n=Count("referrals")).filter(n__gt=0).first()
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get("/cases/releases/").status_code == 200
