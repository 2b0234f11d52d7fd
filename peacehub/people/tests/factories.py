import datetime

import factory
from django.utils import timezone

from peacehub.geo.models import CommunityArea
from peacehub.people.models import Consent, ConsentKind, Person, StatusChange
from peacehub.people.services import person_refresh_search


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    organization = factory.SubFactory("peacehub.accounts.tests.factories.OrganizationFactory")
    legal_first_name = factory.Iterator(["Jamal", "Marcus", "Luis", "Andre", "Carlos", "Darnell"])
    legal_last_name = factory.Iterator(["Johnson", "Rodriguez", "Washington", "Hernandez"])
    date_of_birth = datetime.date(2001, 5, 17)
    community_area = factory.LazyFunction(lambda: CommunityArea.objects.get(number=68))

    @factory.post_generation
    def searchable(person, create, extracted, **kwargs):
        person_refresh_search(person)
        if create:
            person.save(update_fields=["search_text", "search_codes"])
            StatusChange.objects.create(person=person, from_status="", to_status=person.status)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    kind = ConsentKind.SERVICES
    method = Consent.Method.SIGNED
    given_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
