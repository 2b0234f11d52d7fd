import datetime

import factory
from django.utils import timezone

from peacehub.geo.models import CommunityArea
from peacehub.outreach.models import (
    Conflict,
    Contact,
    ContactType,
    DutyShift,
    Incident,
    IncidentKind,
    IncidentResponse,
    IncidentSource,
    Introduction,
)


def area(number: int = 68) -> CommunityArea:
    return CommunityArea.objects.get(number=number)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.LazyAttribute(lambda c: c.person.organization)
    person = factory.SubFactory("peacehub.people.tests.factories.PersonFactory")
    worker = factory.SubFactory("peacehub.accounts.tests.factories.UserFactory")
    contact_type = ContactType.STREET
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    community_area = factory.LazyFunction(area)
    note = "Talked about a job lead"


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    kind = IncidentKind.NONFATAL_SHOOTING
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=30))
    community_area = factory.LazyFunction(area)
    source = IncidentSource.HOSPITAL
    reported_by_organization = factory.SubFactory(
        "peacehub.accounts.tests.factories.OrganizationFactory"
    )


class IncidentResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentResponse

    incident = factory.SubFactory(IncidentFactory)
    organization = factory.LazyAttribute(lambda r: r.incident.reported_by_organization)


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    organization = factory.SubFactory("peacehub.accounts.tests.factories.OrganizationFactory")
    label = factory.Sequence(lambda n: f"Conflict {n}")
    community_area = factory.LazyFunction(area)


class IntroductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Introduction

    person = factory.SubFactory("peacehub.people.tests.factories.PersonFactory")
    organization = factory.LazyAttribute(lambda i: i.person.organization)
    case_manager = factory.SubFactory("peacehub.accounts.tests.factories.UserFactory")
    summary = "Wants help with a GED and an ID"


def always_on_duty(user, organization):
    """Shifts covering every hour of every day, for a user's membership."""
    membership = user.memberships.get(organization=organization)
    for weekday in range(7):
        DutyShift.objects.create(
            membership=membership,
            weekday=weekday,
            starts_at=datetime.time(0, 0),
            ends_at=datetime.time(23, 59, 59, 999999),
        )
