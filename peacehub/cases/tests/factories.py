import factory

from peacehub.cases.models import Case


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory("peacehub.people.tests.factories.PersonFactory")
    organization = factory.LazyAttribute(lambda c: c.person.organization)
    case_manager = factory.SubFactory("peacehub.accounts.tests.factories.UserFactory")
