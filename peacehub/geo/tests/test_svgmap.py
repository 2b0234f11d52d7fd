import re

import pytest

from peacehub.geo.models import CommunityArea
from peacehub.geo.svgmap import Marker, community_area_map

pytestmark = pytest.mark.django_db


def test_the_map_draws_every_area_and_shades_the_focus_ones():
    CommunityArea.objects.filter(number__in=[68, 67]).update(is_focus_area=True)
    svg = community_area_map(title="Community areas")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('<path class="area') == 77
    assert svg.count('class="area focus"') == 2
    assert "<title>Englewood</title>" in svg
    assert len(svg) < 120_000
    assert "<script" not in svg


def test_markers_land_inside_the_map_and_link_to_their_page():
    area = CommunityArea.objects.get(number=68)
    svg = community_area_map(
        markers=[
            Marker(area.centroid_latitude, area.centroid_longitude, "Hamilton Park <b>", "/e/1/")
        ],
        title="Events",
    )
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    x, y = map(
        float, re.search(r'<circle class="marker" cx="([\d.]+)" cy="([\d.]+)"', svg).groups()
    )
    assert 0 < x < width and 0 < y < height
    assert '<a href="/e/1/">' in svg
    assert "Hamilton Park &lt;b&gt;" in svg
    # Links inside: a named group, not an image (an image holds nothing to focus).
    assert 'role="group" aria-label="Events"' in svg
    assert 'role="img"' not in svg
