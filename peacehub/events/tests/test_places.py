"""Places: the real Englewood-area parks, and places staff add by hand."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from peacehub.accounts.roles import Role
from peacehub.accounts.tests.factories import member
from peacehub.events.models import Place, PlaceKind
from peacehub.events.places import park_name, street_address
from peacehub.events.tests.factories import area
from peacehub.geo.geometry import contains

pytestmark = pytest.mark.django_db


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_places", stdout=out, **options)
    return out.getvalue()


def test_load_places_loads_the_22_parks_in_their_areas_and_is_idempotent():
    assert "22 created, 0 updated" in load()
    assert Place.objects.count() == 22
    ogden = Place.objects.get(name="Ogden (William) Park")
    assert ogden.address == "6500 S Racine Ave, Chicago, IL 60636"
    assert ogden.kind == PlaceKind.PARK
    assert ogden.community_area.name == "West Englewood"
    assert contains(ogden.community_area.boundary, ogden.longitude, ogden.latitude)
    areas = set(Place.objects.values_list("community_area__name", flat=True))
    assert areas <= {"Englewood", "West Englewood", "Chicago Lawn", "Greater Grand Crossing"}
    assert "Englewood" in areas
    assert not Place.objects.filter(community_area__isnull=True).exists()

    assert "0 created, 0 updated" in load()
    assert Place.objects.count() == 22
    Place.objects.filter(pk=ogden.pk).update(name="Renamed")
    assert "0 created, 1 updated" in load()
    assert Place.objects.get(pk=ogden.pk).name == "Ogden (William) Park"


def test_park_names_and_addresses_read_as_people_write_them():
    assert park_name("HAMILTON (ALEXANDER)") == "Hamilton (Alexander) Park"
    assert park_name("PARK NO. 527") == "Park No. 527"
    assert park_name("LELAND GIANTS") == "Leland Giants Park"
    assert street_address("711 W 60TH PL") == "711 W 60th Pl"


def _form(**changes):
    englewood = area(68)
    return {
        "name": "Hope Academy gym",
        "kind": "gym",
        "address": "6300 S Halsted St",
        "latitude": str(englewood.centroid_latitude),
        "longitude": str(englewood.centroid_longitude),
        "community_area": "",
        **changes,
    }


def test_staff_add_a_place_and_its_area_is_found(client_for, alice):
    client = client_for(alice)
    assert client.get(reverse("events:place_new")).status_code == 200
    response = client.post(reverse("events:place_new"), _form())
    assert response.status_code == 302
    place = Place.objects.get()
    assert place.community_area.number == 68
    assert place.created_by == alice
    page = client.get(reverse("events:places"))
    assert b"Hope Academy gym" in page.content


@pytest.mark.parametrize(
    "changes, field, message",
    [
        # The Loop is in the city; Springfield and Gary are not.
        ({"latitude": "39.7817", "longitude": "-89.6501"}, "latitude", "outside the city"),
        ({"latitude": "41.5934", "longitude": "-87.3464"}, "latitude", "outside the city"),
        ({"latitude": "91", "longitude": "-87.6"}, "latitude", "less than or equal to 90"),
        ({"latitude": "north"}, "latitude", "Enter a number."),
        ({"community_area": "__AUSTIN__"}, "community_area", "not in Austin"),
        ({"name": "  "}, "name", "This field is required."),
    ],
)
def test_a_malformed_place_saves_nothing(client_for, alice, changes, field, message):
    if changes.get("community_area") == "__AUSTIN__":
        changes = {"community_area": area(25).pk}
    response = client_for(alice).post(reverse("events:place_new"), _form(**changes))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert b"Nothing was saved" in response.content
    assert not Place.objects.exists()


def test_places_are_for_staff_who_host_events(client_for, org_a):
    client = client_for(member(org_a, Role.TRAINER))
    assert client.get(reverse("events:places")).status_code == 403
    assert client.post(reverse("events:place_new"), _form()).status_code == 403
    assert not Place.objects.exists()
