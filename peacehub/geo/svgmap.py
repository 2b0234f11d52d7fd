"""A server-rendered SVG map of the community areas: no tile server, no script, works
offline and weighs a few tens of kilobytes.

Coordinates are projected equirectangularly around the city's middle latitude, which
at city scale is indistinguishable from a proper projection.
"""

import math
from dataclasses import dataclass
from functools import cache

from django.utils.html import escape

from peacehub.geo.models import CommunityArea

WIDTH = 600  # the SVG's own units; it scales to any screen


@dataclass(frozen=True)
class Marker:
    latitude: float
    longitude: float
    label: str
    url: str = ""


@dataclass(frozen=True)
class _Projection:
    west: float
    north: float
    scale_x: float
    scale_y: float
    height: float

    def point(self, longitude: float, latitude: float) -> tuple[float, float]:
        return (
            round((longitude - self.west) * self.scale_x, 1),
            round((self.north - latitude) * self.scale_y, 1),
        )


def _projection(areas) -> _Projection:
    xs = [x for a in areas for polygon in a.boundary for ring in polygon for x, _ in ring]
    ys = [y for a in areas for polygon in a.boundary for ring in polygon for _, y in ring]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    stretch = math.cos(math.radians((north + south) / 2))
    scale_x = WIDTH / (east - west)
    scale_y = scale_x / stretch
    return _Projection(west, north, scale_x, scale_y, round((north - south) * scale_y, 1))


def _path(projection: _Projection, polygons) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [projection.point(x, y) for x, y in ring]
            parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(parts)


@cache
def _base(area_key: tuple) -> tuple[_Projection, list[tuple[int, str, str]]]:
    """Projected outlines, computed once per set of areas (they change only when an
    operator loads new boundaries)."""
    areas = list(CommunityArea.objects.order_by("number"))
    projection = _projection(areas)
    return projection, [(a.number, a.name, _path(projection, a.boundary)) for a in areas]


def community_area_map(
    *,
    markers: list[Marker] = (),
    highlight: set[int] | None = None,
    title: str = "",
    focus: set[int] | None = None,
) -> str:
    """The SVG document as a string. ``focus`` (default: the coalition's focus areas)
    are shaded; ``highlight`` areas are outlined; ``markers`` are dots with a title
    and, when given, a link."""
    key = tuple(CommunityArea.objects.order_by("number").values_list("number", "name"))
    projection, outlines = _base(key)
    if focus is None:
        focus = set(CommunityArea.objects.focus().values_list("number", flat=True))
    highlight = highlight or set()
    # A picture, unless its markers are links: an image may hold nothing one can
    # focus, so a map of links is a named group of them.
    role = "group" if any(marker.url for marker in markers) else "img"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {projection.height}" '
        f'role="{role}" aria-label="{escape(title)}" class="area-map">',
        f"<title>{escape(title)}</title>",
    ]
    for number, name, path in outlines:
        classes = ["area"]
        if number in focus:
            classes.append("focus")
        if number in highlight:
            classes.append("highlight")
        out.append(
            f'<path class="{" ".join(classes)}" d="{path}"><title>{escape(name)}</title></path>'
        )
    for marker in markers:
        x, y = projection.point(marker.longitude, marker.latitude)
        dot = (
            f'<circle class="marker" cx="{x}" cy="{y}" r="6">'
            f"<title>{escape(marker.label)}</title></circle>"
        )
        if marker.url:
            dot = f'<a href="{escape(marker.url)}">{dot}</a>'
        out.append(dot)
    out.append("</svg>")
    return "".join(out)
