"""The search page and its filters: need, community area, language and words."""

import pytest
from django.db import connection
from django.urls import reverse

from peacehub.services.models import ServiceStatus
from peacehub.services.search import services_search
from peacehub.services.tests.factories import DirectoryOrganizationFactory, directory_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(org_a):
    member = DirectoryOrganizationFactory(name="Southside Bridges", organization=org_a)
    return {
        "ged": directory_service(
            name="GED classes",
            description="Evening classes toward the GED, with childcare.",
            organization=member,
            needs=("education",),
            languages=("en", "es"),
            areas=(68, 67),
        ),
        "shelter": directory_service(
            name="Overnight shelter",
            description="Beds and a hot meal. Atención en español.",
            needs=("housing",),
            languages=("en",),
            location_area=25,
        ),
        "clinic": directory_service(
            name="Community health clinic",
            description="Primary care on a sliding scale.",
            needs=("physical_health", "substance_use"),
            languages=("es",),
            areas=(25,),
        ),
        "closed": directory_service(
            name="Old housing desk",
            needs=("housing",),
            areas=(68,),
            status=ServiceStatus.DEFUNCT,
        ),
    }


def names(user, **filters) -> list[str]:
    return [s.name for s in services_search(user, **filters)]


def test_no_filter_lists_open_services_coalition_first(alice, directory):
    assert names(alice) == ["GED classes", "Community health clinic", "Overnight shelter"]


def test_by_need(alice, directory):
    assert names(alice, need="housing") == ["Overnight shelter"]
    assert names(alice, need="substance_use") == ["Community health clinic"]
    assert names(alice, need="legal") == []


def test_by_area_served_or_located_in(alice, directory):
    englewood, austin = (
        directory["ged"].service_areas.get().community_areas.get(number=68),
        directory["clinic"].service_areas.get().community_areas.get(),
    )
    assert names(alice, area_id=englewood.pk) == ["GED classes"]
    # The clinic serves Austin; the shelter has no service area but is located there.
    assert names(alice, area_id=austin.pk) == ["Community health clinic", "Overnight shelter"]


def test_by_language(alice, directory):
    assert names(alice, language="es") == ["GED classes", "Community health clinic"]
    assert names(alice, language="ES") == ["GED classes", "Community health clinic"]
    assert names(alice, language="pl") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ged", ["GED classes"]),
        ("childc", ["GED classes"]),  # a word's beginning
        ("ATENCION", ["Overnight shelter"]),  # no case, no accents
        ("clinic sliding", ["Community health clinic"]),  # every word must match
        ("clinic ged", []),
        ("helping", ["Community health clinic", "Overnight shelter"]),  # organization name
        ("   ", ["GED classes", "Community health clinic", "Overnight shelter"]),
    ],
)
def test_by_words(alice, directory, text, expected):
    assert names(alice, text=text) == expected


ALL_OPEN = [
    "GED classes",
    "Community health clinic",
    "G.E.D. tutoring",
    "H.O.P.E. job readiness",
    "Overnight shelter",
]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("HOPE", ["H.O.P.E. job readiness"]),  # a dotted acronym is one word
        ("hope", ["H.O.P.E. job readiness"]),
        ("H.O.P.E.", ["H.O.P.E. job readiness"]),
        ("h o p e", ["H.O.P.E. job readiness"]),
        ("G E D", ["GED classes", "G.E.D. tutoring"]),  # letters spelled apart
        ("g.e.d", ["GED classes", "G.E.D. tutoring"]),
        ("a job", ["H.O.P.E. job readiness"]),  # a letter alone does not filter
        ("x", ALL_OPEN),
    ],
)
def test_acronyms_and_one_letter_words(alice, directory, text, expected):
    directory_service(name="H.O.P.E. job readiness", description="Two weeks.")
    directory_service(name="G.E.D. tutoring", description="One to one.")
    assert names(alice, text=text) == expected


def test_filters_combine(alice, directory):
    assert names(alice, need="housing", language="es") == []
    assert names(alice, need="education", language="es", text="evening") == ["GED classes"]


def test_no_directory_without_use_directory(eve, directory):
    assert names(eve) == []


def test_the_page_shows_what_a_case_manager_needs(client_for, alice, directory):
    response = client_for(alice).get(reverse("services:search"), {"need": "education"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "GED classes" in page and "Overnight shelter" not in page
    assert "Southside Bridges" in page
    assert "Referrals in PeaceHub" in page
    assert "Adults in the area." in page
    assert "(773) 555-0100" in page
    assert "Spanish" in page and "Education and GED" in page


def test_the_page_filters_by_area_number_and_language(client_for, alice, directory):
    client = client_for(alice)
    response = client.get(reverse("services:search"), {"area": "25", "language": "es"})
    assert [s.name for s in response.context["page"].object_list] == ["Community health clinic"]


def test_the_filters_keep_what_was_chosen(client_for, alice, directory):
    response = client_for(alice).get(
        reverse("services:search"), {"need": "housing", "area": "25", "language": "es"}
    )
    page = response.content.decode()
    assert '<option value="housing" selected>Housing</option>' in page
    assert '<option value="25" selected>Austin</option>' in page
    assert '<option value="es" selected>Spanish</option>' in page
    assert page.count(" selected>") == 3
    assert '<option value="26">West Garfield Park</option>' in page


def test_htmx_gets_only_the_results(client_for, alice, directory):
    response = client_for(alice).get(
        reverse("services:search"), {"q": "shelter"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "Overnight shelter" in content
    assert "<html" not in content and 'id="need"' not in content


@pytest.mark.parametrize(
    "params, message",
    [
        ({"need": "astrology"}, "Choose a need from the list."),
        ({"area": "999"}, "Choose a community area from the list."),
        ({"language": "Klingon!"}, "Give a language code such as “es” (ISO 639)."),
        ({"q": "x" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_bad_filters_get_a_clear_message_and_no_results(
    client_for, alice, directory, params, message
):
    response = client_for(alice).get(reverse("services:search"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_the_detail_page(client_for, alice, directory):
    service = directory["shelter"]
    response = client_for(alice).get(reverse("services:detail", args=[service.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Overnight shelter" in page
    assert "6300 S Halsted St" in page and "Austin" in page
    assert "Outside the coalition" in page
    assert "Edit service" not in page  # alice may not manage the directory


def test_page_query_count_does_not_grow_with_results(
    client_for, alice, org_a, django_assert_max_num_queries
):
    member = DirectoryOrganizationFactory(organization=org_a)
    for i in range(20):
        directory_service(
            name=f"Job club {i}",
            organization=member if i % 2 else None,
            needs=("employment", "education"),
            languages=("en", "es"),
            areas=(68,),
            location_area=68,
        )
    client = client_for(alice)
    url = reverse("services:search")
    client.get(url)
    # Session, user and memberships; count and page; languages, phones, locations and
    # categories prefetched; the area list for the filter.
    with django_assert_max_num_queries(11):
        response = client.get(url, {"need": "employment", "area": "68", "language": "es"})
    assert len(response.context["page"].object_list) == 20


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_every_filter_is_an_index_search(alice, directory):
    """No filter scans one of the directory's link tables: each is searched through an
    index that begins with the filtered column (see peacehub.services.search)."""
    englewood = directory["ged"].service_areas.get().community_areas.get(number=68)
    queryset = services_search(
        alice, need="education", area_id=englewood.pk, language="es", text="classes even"
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert [step for step in plan if step.startswith("SCAN")] == []
    for index in (
        "services_at_taxonom",
        "communityarea_id",
        "services_la_code",
        "services_se_word",
    ):
        assert any(index in step for step in plan), (index, plan)


def test_the_migration_makes_acronyms_saved_before_it_findable(alice):
    """Services whose words were indexed before acronyms were ("H.O.P.E." as nothing)
    are found by "hope" once it has run."""
    from importlib import import_module

    from django.apps import apps

    from peacehub.services.models import ServiceWord

    migration = import_module("peacehub.services.migrations.0002_index_dotted_acronyms")
    service = directory_service(name="H.O.P.E. job readiness", description="Two weeks.")
    ServiceWord.objects.filter(service=service, word="hope").delete()
    assert names(alice, text="hope") == []

    migration.add_acronym_words(apps, None)

    assert names(alice, text="hope") == ["H.O.P.E. job readiness"]
    migration.add_acronym_words(apps, None)  # runs twice without harm
