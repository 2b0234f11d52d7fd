import datetime
import random

import pytest
from django.apps import apps
from django.urls import reverse

from peacehub.academy.models import (
    Attendance,
    Cohort,
    Course,
    Enrollment,
    Interest,
    Session,
    Trainee,
    TraineeCategory,
)
from peacehub.accounts.models import Membership, User
from peacehub.demo.academy import DEMO_TRAINEE_EMAIL, academy_seed
from peacehub.demo.coalition import DEMO_PASSWORD, coalition_seed

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 18)


@pytest.fixture
def seeded():
    coalition = coalition_seed()
    created = academy_seed(coalition=coalition, today=TODAY, rng=random.Random(7))
    return coalition, created


def _counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_the_demo_academy(seeded):
    _, created = seeded
    assert Course.objects.count() == 5
    assert created["cohorts"] == Cohort.objects.count() == 6
    in_progress = Cohort.objects.filter(starts_on__lte=TODAY, ends_on__gte=TODAY)
    assert {c.course.slug for c in in_progress} == {
        "signature-outreach-training",
        "community-training-academy",
    }
    signature = in_progress.get(course__slug="signature-outreach-training")
    assert sum(s.hours for s in signature.sessions.all()) == 144
    assert signature.ends_on - signature.starts_on < datetime.timedelta(weeks=18)
    staff = Trainee.objects.filter(enrollments__cohort=signature)
    assert staff.count() == 8
    assert all(t.category == "staff" and t.user.memberships.exists() for t in staff)
    assert staff.filter(email="outreach@demo.peacehub.test").exists()

    # Past sessions have attendance; future ones none.
    assert Attendance.objects.filter(session__held_on__lt=TODAY).exists()
    assert not Attendance.objects.filter(session__held_on__gte=TODAY).exists()
    assert not Attendance.objects.filter(hours_credited__gt=4).exists()

    public = Cohort.objects.filter(open_to_public=True)
    assert public.count() == 3
    assert all(
        c.course.slug == "recast-community-trainings" and c.starts_on > TODAY for c in public
    )
    assert all(c.place for c in public)
    assert Interest.objects.filter(cohort__in=public).count() == 7
    assert Interest.objects.filter(handled_at__isnull=False).count() == 2
    assert not Interest.objects.filter(
        handled_at__gt=datetime.datetime(2026, 3, 19, tzinfo=datetime.UTC)
    )

    # Finished MPA-X: certificates to print.
    assert (
        Enrollment.objects.filter(cohort__course__slug="mpa-x", completed_on__isnull=False).count()
        >= 6
    )


def test_police_officers_are_trainees_with_no_membership(seeded):
    officers = Trainee.objects.filter(category=TraineeCategory.POLICE_OFFICER)
    assert officers.count() == 12
    assert all(
        t.enrollments.get().cohort.course.slug == "community-training-academy" for t in officers
    )
    with_sign_in = officers.exclude(user=None)
    assert [t.user.email for t in with_sign_in] == [DEMO_TRAINEE_EMAIL]
    assert not Membership.objects.filter(user__email=DEMO_TRAINEE_EMAIL).exists()
    # Their names are synthetic, from the demo's lists.
    from peacehub.demo import names

    first_names = set(
        names.ENGLISH_MALE_FIRST
        + names.ENGLISH_FEMALE_FIRST
        + names.SPANISH_MALE_FIRST
        + names.SPANISH_FEMALE_FIRST
    )
    assert all(t.full_name.split()[0] in first_names for t in officers)


def test_the_demo_trainee_signs_in_and_sees_only_their_own_record(seeded, client):
    trainee = User.objects.get(email=DEMO_TRAINEE_EMAIL)
    assert client.login(username=DEMO_TRAINEE_EMAIL, password=DEMO_PASSWORD)
    response = client.get(reverse("academy:my_training"))
    assert response.status_code == 200
    [enrollment] = response.context["enrollments"]
    assert enrollment.trainee.user == trainee
    assert enrollment.hours == 20  # the five sessions held so far, 4 hours each
    others = Trainee.objects.filter(category="police_officer").exclude(user=trainee)
    content = client.get(reverse("academy:enrollment", args=[enrollment.pk])).content.decode()
    assert not [t.full_name for t in others if t.full_name in content]
    cohort = enrollment.cohort
    assert client.get(reverse("academy:cohort", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("people:list")).status_code == 403


def test_running_twice_adds_nothing(seeded):
    coalition, _ = seeded
    before = _counts()
    created = academy_seed(coalition=coalition, today=TODAY, rng=random.Random(99))
    assert created == {"cohorts": 0, "sessions": 0, "trainees": 0, "attendance": 0}
    assert _counts() == before
    assert Session.objects.count() == before["academy.Session"]
