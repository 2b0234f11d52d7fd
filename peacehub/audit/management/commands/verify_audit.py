from django.core.management.base import BaseCommand, CommandError

from peacehub.audit.models import AuditEvent
from peacehub.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(f"Audit chain broken at event #{broken.sequence}: {broken.reason}.")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
