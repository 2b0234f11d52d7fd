import pytest
from django.urls import reverse

from peacehub.accounts.services import api_token_create
from peacehub.services.hsds import schema_problems, service_to_hsds, services_for_export
from peacehub.services.tests.factories import DirectoryOrganizationFactory, directory_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def call_as(user):
        _, raw = api_token_create(user=user, name="laptop")

        def call(path, **params):
            return client.get(path, params, headers={"Authorization": f"Bearer {raw}"})

        return call

    return call_as


@pytest.fixture
def directory(org_a):
    member = DirectoryOrganizationFactory(name="Southside Bridges", organization=org_a)
    return [
        directory_service(
            name="GED classes",
            organization=member,
            needs=("education",),
            languages=("en", "es"),
            areas=(68,),
            location_area=68,
        ),
        directory_service(
            name="Shelter",
            needs=("housing",),
            areas=(25,),
            minimum_age=18,
            url="https://shelter.example.org",
            fees_description="Free.",
        ),
        directory_service(name="Clinica", needs=("physical_health",), languages=("es",)),
    ]


@pytest.mark.parametrize(
    "params",
    [{}, {"need": "education"}, {"area": "68"}, {"language": "es"}, {"q": "shel"}],
)
def test_search_gives_the_pages_results(client_for, api, alice, directory, params):
    page = client_for(alice).get(reverse("services:search"), params)
    expected = [str(s.pk) for s in page.context["page"].object_list]
    response = api(alice)("/api/v1/services", **params)
    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body["results"]] == expected
    assert body["count"] == len(expected)


def test_results_are_valid_hsds_services(api, alice, directory):
    body = api(alice)("/api/v1/services", need="education").json()
    (service,) = body["results"]
    assert service == service_to_hsds(services_for_export().get(pk=service["id"]))
    assert schema_problems(service) == []
    assert service["organization"]["organization_identifiers"][0]["identifier_type"] == (
        "PeaceHub coalition organization"
    )
    assert {x["code"] for x in service["languages"]} == {"en", "es"}


def test_one_service_as_hsds(api, alice, directory):
    response = api(alice)(f"/api/v1/services/{directory[1].pk}")
    assert response.status_code == 200
    data = response.json()
    assert data == service_to_hsds(services_for_export().get(pk=directory[1].pk))
    assert data["name"] == "Shelter"
    assert schema_problems(data) == []
    area = data["service_areas"][0]["attributes"][0]["taxonomy_term"]
    assert (area["code"], area["name"]) == ("25", "Austin")


def test_bad_filters_are_field_errors(api, alice, directory):
    response = api(alice)("/api/v1/services", need="astrology", area="999")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"need", "area"}


def test_without_the_directory_permission_403(api, eve, directory):
    assert api(eve)("/api/v1/services").status_code == 403
    assert api(eve)(f"/api/v1/services/{directory[0].pk}").status_code == 403


def test_unknown_service_404_and_no_token_401(client, api, alice, directory):
    missing = "/api/v1/services/00000000-0000-4000-8000-000000000001"
    assert api(alice)(missing).status_code == 404
    assert client.get("/api/v1/services").status_code == 401


def test_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/services" in paths
    assert "/api/v1/services/{service_id}" in paths
    assert paths["/api/v1/services"]["get"]["tags"] == ["services"]


def test_without_the_directory_permission_403_before_the_query_is_read(api, alice, eve):
    """Eve, an evaluator, may not use the directory: 403 whatever she asks, where Alice,
    who may, gets 400 for the same query."""
    assert api(alice)("/api/v1/services", page="abc").status_code == 400
    response = api(eve)("/api/v1/services", page="abc")
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role cannot use the service directory."}


def test_without_a_token_a_bad_query_still_gets_401(client):
    response = client.get("/api/v1/services", {"page": "abc"})
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid API token is required."}
