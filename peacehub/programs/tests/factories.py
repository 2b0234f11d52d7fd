import datetime

import factory
from django.utils import timezone

from peacehub.programs.models import (
    Enrollment,
    LegalMatter,
    MatterType,
    MilestoneKind,
    Program,
    ProgramSession,
    SessionFormat,
    WorkforceMilestone,
)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    person = factory.SubFactory("peacehub.people.tests.factories.PersonFactory")
    organization = factory.LazyAttribute(lambda e: e.person.organization)
    program = Program.WORKFORCE
    enrolled_on = factory.LazyFunction(lambda: days_ago(200))
    voluntary_confirmed = factory.LazyAttribute(lambda e: e.program == Program.IPV)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkforceMilestone

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = MilestoneKind.HOPE
    achieved_on = factory.LazyFunction(lambda: days_ago(150))


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalMatter

    enrollment = factory.SubFactory(EnrollmentFactory, program=Program.LEGAL)
    matter_type = MatterType.HOUSING
    opened_on = factory.LazyFunction(lambda: days_ago(100))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramSession

    enrollment = factory.SubFactory(EnrollmentFactory, program=Program.BEHAVIORAL_HEALTH)
    held_on = factory.LazyFunction(lambda: days_ago(30))
    format = SessionFormat.INDIVIDUAL
    minutes = 50
    staff = factory.SubFactory("peacehub.accounts.tests.factories.UserFactory")
