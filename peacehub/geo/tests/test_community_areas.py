import json

import pytest
from django.conf import settings

from peacehub.geo.geometry import contains, distance_km, simplify_line
from peacehub.geo.models import CommunityArea
from peacehub.geo.services import community_areas_load

pytestmark = pytest.mark.django_db


def test_the_77_chicago_areas_load_with_names_boundaries_and_population():
    areas = CommunityArea.objects.all()
    assert areas.count() == 77
    assert sorted(areas.values_list("number", flat=True)) == list(range(1, 78))
    englewood = CommunityArea.objects.get(number=68)
    assert englewood.name == "Englewood"
    assert CommunityArea.objects.get(number=76).name == "O'Hare"
    assert CommunityArea.objects.get(number=59).name == "McKinley Park"
    assert englewood.boundary and englewood.boundary[0][0][0] == englewood.boundary[0][0][-1]
    assert sum(a.population_2020 for a in areas) == 2_746_388


def test_loading_again_changes_nothing():
    before = list(CommunityArea.objects.order_by("number").values_list("pk", "name"))
    community_areas_load(geojson_path=settings.COMMUNITY_AREAS_GEOJSON)
    after = list(CommunityArea.objects.order_by("number").values_list("pk", "name"))
    assert before == after


def test_the_marker_point_lies_inside_its_own_area():
    for area in CommunityArea.objects.all():
        assert contains(area.boundary, area.centroid_longitude, area.centroid_latitude), area.name


def test_simplification_keeps_the_ends_and_drops_collinear_points():
    line = [[0, 0], [1, 0.000001], [2, 0], [2, 2], [0, 0]]
    assert simplify_line(line, 0.01) == [[0, 0], [2, 0], [2, 2], [0, 0]]


def test_distance_between_two_known_points():
    # Englewood's Hamilton Park to the Loop (State and Madison): about 11.5 km.
    assert 11 < distance_km(41.7628, -87.6416, 41.8820, -87.6278) < 14


def test_another_city_loads_its_own_areas(tmp_path):
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "101", "label": "RIVERSIDE"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
                },
            }
        ],
    }
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(geojson))
    community_areas_load(geojson_path=path, number_property="id", name_property="label")
    area = CommunityArea.objects.get(number=101)
    assert area.name == "Riverside"
    assert area.centroid_latitude == pytest.approx(0.5)
