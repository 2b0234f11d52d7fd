"""Plain-Python geometry on GeoJSON coordinates (WGS84 longitude, latitude).

Enough for community areas at city scale: simplification, centroids, point-in-polygon
and distances. No GIS library is needed, which keeps SQLite a first-class database.
"""

import itertools
import math
from collections.abc import Sequence

Point = Sequence[float]
Ring = list[list[float]]
Polygon = list[Ring]
MultiPolygon = list[Polygon]

EARTH_RADIUS_KM = 6371.0088


def _perpendicular_distance(point: Point, start: Point, end: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def simplify_line(points: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker, iterative so that long rings cannot overflow the stack."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular_distance(points[i], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_multipolygon(
    polygons: MultiPolygon, tolerance: float, digits: int = 5
) -> MultiPolygon:
    simplified: MultiPolygon = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            line = simplify_line(ring, tolerance)
            if len(line) >= 4:  # a closed ring needs three corners and the closing point
                rings.append([[round(x, digits), round(y, digits)] for x, y in line])
        if rings:
            simplified.append(rings)
    return simplified


def _ring_area_and_centroid(ring: Ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


def centroid(polygons: MultiPolygon) -> tuple[float, float]:
    """Area-weighted centroid (longitude, latitude) of the outer rings."""
    total = sx = sy = 0.0
    for polygon in polygons:
        area, cx, cy = _ring_area_and_centroid(polygon[0])
        total += abs(area)
        sx += cx * abs(area)
        sy += cy * abs(area)
    if total == 0:
        first = polygons[0][0][0]
        return first[0], first[1]
    return sx / total, sy / total


def label_point(polygons: MultiPolygon) -> tuple[float, float]:
    """A point inside the area (longitude, latitude): the centroid when it falls inside,
    otherwise the middle of the widest inside stretch of the horizontal line through
    the centroid. For map markers and "nearest area" distances."""
    longitude, latitude = centroid(polygons)
    if contains(polygons, longitude, latitude):
        return longitude, latitude
    crossings = []
    for polygon in polygons:
        for ring in polygon:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > latitude) != (y2 > latitude):
                    crossings.append(x1 + (latitude - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    best, best_width = None, -1.0
    for left, right in itertools.pairwise(crossings):
        middle = (left + right) / 2
        if right - left > best_width and contains(polygons, middle, latitude):
            best, best_width = middle, right - left
    return (best, latitude) if best is not None else (longitude, latitude)


def _point_in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(polygons: MultiPolygon, longitude: float, latitude: float) -> bool:
    for outer, *holes in polygons:
        if _point_in_ring(longitude, latitude, outer) and not any(
            _point_in_ring(longitude, latitude, hole) for hole in holes
        ):
            return True
    return False


def bounding_box(polygons: MultiPolygon) -> tuple[float, float, float, float]:
    xs = [x for polygon in polygons for ring in polygon for x, _ in ring]
    ys = [y for polygon in polygons for ring in polygon for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
