from django.core.management.base import BaseCommand

from peacehub.academy.catalogue import CATALOGUE
from peacehub.academy.services import catalogue_load


class Command(BaseCommand):
    help = (
        "Add the Peace Academy's catalogue courses that are missing. Safe to run again: "
        "it never changes a course that exists."
    )

    def handle(self, *args, **options):
        created = catalogue_load()
        if options["verbosity"]:
            self.stdout.write(
                f"Added {len(created)} of the catalogue's {len(CATALOGUE)} courses"
                + (f": {', '.join(c.name for c in created)}." if created else ".")
            )
