from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peacehub.events.services import places_load
from peacehub.geo.models import CommunityArea

DEFAULT_PARKS = Path(settings.BASE_DIR) / "data" / "chicago_parks" / "englewood_parks.geojson"


class Command(BaseCommand):
    help = (
        "Load (or update) the parks of a Park District GeoJSON file as event places, each "
        "at its centroid and in the community area that contains it. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PARKS))
        parser.add_argument(
            "--source",
            default="chicago-park-district",
            help="The key prefix that tells this file's parks apart from other loads.",
        )

    def handle(self, *args, path, source, **options):
        if not CommunityArea.objects.exists():
            raise CommandError("Load the community areas first: manage.py load_community_areas")
        created, updated = places_load(geojson_path=Path(path), source=source)
        if options["verbosity"]:
            self.stdout.write(f"Places from {path}: {created} created, {updated} updated.")
