from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from peacehub.geo.services import community_areas_load


class Command(BaseCommand):
    help = "Load (or update) the community areas from a GeoJSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.COMMUNITY_AREAS_GEOJSON))
        parser.add_argument("--number-property", default="area_numbe")
        parser.add_argument("--name-property", default="community")
        parser.add_argument("--population-csv", default=None)

    def handle(self, *args, path, number_property, name_property, population_csv, **options):
        geojson = Path(path)
        count = community_areas_load(
            geojson_path=geojson,
            number_property=number_property,
            name_property=name_property,
            population_csv=Path(population_csv) if population_csv else None,
        )
        if options["verbosity"]:
            self.stdout.write(f"Loaded {count} community areas from {geojson}.")
