from importlib import import_module

import pytest
from django.apps import apps

from peacehub.people.models import Person
from peacehub.people.search import people_matching, search_columns
from peacehub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

migration = import_module("peacehub.people.migrations.0004_search_columns_apostrophes")


def test_a_name_keeps_its_parts_and_their_joining():
    text, _codes = search_columns("D'Angelo", "O’Neal")
    assert text == " d angelo dangelo o neal oneal "


def test_the_migration_makes_people_recorded_before_it_findable(org_a):
    """People saved with the old columns (" d angelo ") are found once it has run."""
    person = PersonFactory(organization=org_a, legal_first_name="D'Angelo", legal_last_name="Price")
    Person.objects.filter(pk=person.pk).update(search_text=" d angelo price ", search_codes=" ")
    assert people_matching(Person.objects.all(), "Dangelo") == []

    migration.recompute_search_columns(apps, None)

    assert people_matching(Person.objects.all(), "Dangelo") == [person]
    assert people_matching(Person.objects.all(), "Angelo Price") == [person]
