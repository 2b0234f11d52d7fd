import pytest

from peacehub.people.models import Person
from peacehub.people.search import people_matching, search_columns, sound_code
from peacehub.people.tests.factories import PersonFactory


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Kristofer", "Christopher"),
        ("Jonson", "Johnson"),
        ("Rodrigez", "Rodríguez"),
        ("Rodriquez", "Rodriguez"),
        ("Mikel", "Michael"),
        ("Gimenez", "Jiménez"),
        ("George", "Jorge"),
        ("Aliya", "Aaliyah"),
        ("Tompson", "Thompson"),
        ("Wiliams", "Williams"),
        ("Gonsales", "González"),
        ("Markis", "Marquis"),
        ("Dashawn", "Deshawn"),
    ],
)
def test_common_misspellings_sound_alike(typed, stored):
    assert sound_code(typed) == sound_code(stored)


@pytest.mark.parametrize("a, b", [("Jamal", "Marcus"), ("Luis", "Lewis Smith"), ("Ana", "Andre")])
def test_different_names_do_not_collapse(a, b):
    assert sound_code(a) != sound_code(b)


def test_search_columns_strip_accents_and_case():
    text, codes = search_columns("José", "Núñez", "", "Pepe, El Flaco")
    assert text == " jose nunez pepe el flaco "
    assert f" {sound_code('Nunez')} " in codes


@pytest.mark.django_db
def test_closest_spelling_ranks_first(org_a):
    PersonFactory(organization=org_a, legal_first_name="Jamaal", legal_last_name="Johnson")
    PersonFactory(organization=org_a, legal_first_name="Jamal", legal_last_name="Johnson")
    PersonFactory(organization=org_a, legal_first_name="Maria", legal_last_name="Lopez")
    found = people_matching(Person.objects.all(), "jamal jonson")
    assert [p.legal_first_name for p in found] == ["Jamal", "Jamaal"]


@pytest.mark.django_db
def test_prefix_finds_as_you_type(org_a):
    PersonFactory(organization=org_a, legal_first_name="Destiny", legal_last_name="Alvarez")
    assert [p.legal_first_name for p in people_matching(Person.objects.all(), "des")] == ["Destiny"]


@pytest.mark.django_db
def test_search_stays_inside_the_queryset_it_is_given(org_a, org_b):
    PersonFactory(organization=org_a, legal_first_name="Tyrone", legal_last_name="Banks")
    PersonFactory(organization=org_b, legal_first_name="Tyrone", legal_last_name="Banks")
    found = people_matching(Person.objects.filter(organization=org_a), "tyron banks")
    assert [p.organization for p in found] == [org_a]


def test_an_empty_or_symbol_query_matches_nothing():
    assert people_matching(Person.objects.none(), "  !!  ") == []
