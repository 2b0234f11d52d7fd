import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from peacehub.academy.models import (
    Attendance,
    Audience,
    Cohort,
    Course,
    Enrollment,
    Interest,
    Session,
    Trainee,
    TraineeCategory,
)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"course-{n}")
    name = factory.Sequence(lambda n: f"Course {n}")
    name_es = factory.LazyAttribute(lambda c: f"Curso {c.name}")
    audience = Audience.COALITION_STAFF
    required_hours = Decimal(144)
    length_weeks = 18


def signature_outreach() -> Course:
    return CourseFactory(
        slug="signature-outreach-training",
        name="Signature Outreach Training",
        name_es="Capacitación de Alcance Comunitario Insignia",
        summary="Topics: nonviolence, trauma-informed services, restorative justice.",
        required_hours=Decimal(144),
        length_weeks=18,
    )


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    organization = factory.SubFactory("peacehub.accounts.tests.factories.OrganizationFactory")
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(weeks=10))
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + datetime.timedelta(weeks=18))

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    held_on = factory.LazyAttribute(lambda s: s.cohort.starts_on)
    topic = "Nonviolence"
    hours = Decimal(4)


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    organization = factory.SubFactory("peacehub.accounts.tests.factories.OrganizationFactory")
    full_name = factory.Sequence(lambda n: f"Trainee {n}")
    category = TraineeCategory.COMMUNITY_MEMBER


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    trainee = factory.SubFactory(
        TraineeFactory, organization=factory.SelfAttribute("..cohort.organization")
    )


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..session.cohort")
    )
    present = True
    hours_credited = factory.LazyAttribute(lambda a: a.session.hours if a.present else 0)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    cohort = factory.SubFactory(CohortFactory, open_to_public=True)
    name = factory.Sequence(lambda n: f"Neighbor {n}")
    email = factory.Sequence(lambda n: f"neighbor{n}@example.org")


def sessions_for(cohort: Cohort, count: int, hours: Decimal = Decimal(4)) -> list[Session]:
    """`count` sessions, one a day from the cohort's start."""
    return Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                held_on=cohort.starts_on + datetime.timedelta(days=i),
                topic=f"Session {i + 1}",
                hours=hours,
            )
            for i in range(count)
        ]
    )


def attend(enrollment: Enrollment, sessions: list[Session]) -> None:
    Attendance.objects.bulk_create(
        [
            Attendance(session=s, enrollment=enrollment, present=True, hours_credited=s.hours)
            for s in sessions
        ]
    )
