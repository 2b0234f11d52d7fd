"""manage.py export_hsds [--output FILE]: the whole directory as HSDS 3.0 service
objects (a JSON array), each validating against the HSDS service schema."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from peacehub.audit.models import AuditAction
from peacehub.audit.services import audit_event_record
from peacehub.services.hsds import directory_export


class Command(BaseCommand):
    help = "Export every service of the directory as HSDS 3.0 JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", type=Path, help="Write to this file (default: standard output)."
        )

    def handle(self, *args, output: Path | None, **options):
        data = directory_export()
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported {len(data)} services to {output}.")
        audit_event_record(
            actor=None,
            action=AuditAction.EXPORT,
            record_type="services.hsds_export",
            detail={"services": len(data), "via": "manage.py"},
        )
