import csv
import json
from pathlib import Path

from django.db import transaction

from peacehub.geo.geometry import label_point
from peacehub.geo.models import CommunityArea


def _display_name(upper_name: str) -> str:
    """'MCKINLEY PARK' -> 'McKinley Park', "O'HARE" -> "O'Hare"."""
    words = []
    for word in upper_name.title().split(" "):
        if word.startswith("Mc") and len(word) > 2:
            word = "Mc" + word[2:].capitalize()
        words.append(word)
    return " ".join(words)


def community_areas_load(
    *,
    geojson_path: Path,
    number_property: str = "area_numbe",
    name_property: str = "community",
    population_csv: Path | None = None,
) -> int:
    """Create or update community areas from a GeoJSON file, one feature per area.
    Running it again updates names and boundaries; it never duplicates an area.
    Populations (and names as people spell them) come from
    community_area_population_2020.csv beside the file when no other table is given.
    Returns the number of areas in the file."""
    if population_csv is None:
        population_csv = Path(geojson_path).parent / "community_area_population_2020.csv"
    collection = json.loads(Path(geojson_path).read_text())
    populations: dict[int, int] = {}
    # The census table spells names as people do ("O'Hare"); the boundary file has
    # them in capitals without punctuation ("OHARE").
    census_names: dict[int, str] = {}
    if population_csv and Path(population_csv).exists():
        with Path(population_csv).open(newline="") as handle:
            for row in csv.DictReader(handle):
                number = int(row["community_area_id"])
                populations[number] = int(row["population_2020"])
                census_names[number] = row["community_area_name"].strip()
    existing = {area.number: area for area in CommunityArea.objects.all()}
    with transaction.atomic():
        for feature in collection["features"]:
            number = int(feature["properties"][number_property])
            polygons = feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "Polygon":
                polygons = [polygons]
            longitude, latitude = label_point(polygons)
            values = {
                "name": census_names.get(number)
                or _display_name(feature["properties"][name_property]),
                "boundary": polygons,
                "centroid_latitude": latitude,
                "centroid_longitude": longitude,
                "population_2020": populations.get(number),
            }
            area = existing.get(number)
            if area is None:
                CommunityArea.objects.create(number=number, **values)
            else:
                for field, value in values.items():
                    setattr(area, field, value)
                area.save(update_fields=list(values))
    return len(collection["features"])


def focus_areas_set(*, numbers: list[int]) -> None:
    with transaction.atomic():
        CommunityArea.objects.exclude(number__in=numbers).update(is_focus_area=False)
        CommunityArea.objects.filter(number__in=numbers).update(is_focus_area=True)
