"""Make data/chicago_community_areas/community_areas.simplified.geojson from the City
of Chicago export (2 MB) kept in ../shared/data.

Douglas–Peucker with a tolerance of 0.00005 degrees (about 5 m at Chicago's latitude),
coordinates rounded to 5 decimals (about 1 m). Properties kept: area number and name.
Run: python scripts/simplify_community_areas.py SOURCE.geojson OUTPUT.geojson
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peacehub.geo.geometry import simplify_multipolygon

TOLERANCE_DEGREES = 0.00005


def main(source: str, output: str) -> None:
    collection = json.loads(Path(source).read_text())
    features = []
    for feature in sorted(collection["features"], key=lambda f: int(f["properties"]["area_numbe"])):
        properties = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "area_numbe": properties["area_numbe"],
                    "community": properties["community"],
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": simplify_multipolygon(
                        feature["geometry"]["coordinates"], TOLERANCE_DEGREES
                    ),
                },
            }
        )
    Path(output).write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
