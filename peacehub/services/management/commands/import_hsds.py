"""manage.py import_hsds FILE: load HSDS 3.0 service objects into the directory.

The file is a JSON array of HSDS service objects in the full nested shape. Every object
is validated against the HSDS schema first; if anything is wrong, nothing is imported
and every problem is printed with its JSON path. Services are upserted by HSDS id, so
importing the same file again changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peacehub.services.hsds import ImportInvalid, read_json
from peacehub.services.services import hsds_import


class Command(BaseCommand):
    help = "Import a JSON array of HSDS 3.0 service objects into the service directory."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The HSDS JSON file.")

    def handle(self, *args, path: Path, **options):
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            result = hsds_import(data=read_json(raw))
        except ImportInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Nothing was imported: {len(invalid.problems)} problem(s) in {path}."
            ) from None
        self.stdout.write(
            f"Imported {path}: {result.services_created} new services, "
            f"{result.services_updated} updated, {result.services_unchanged} unchanged."
        )
