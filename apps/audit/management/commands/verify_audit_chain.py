from django.core.management.base import BaseCommand, CommandError

from apps.audit.models import AuditEvent
from apps.audit.selectors import audit_chain_first_break


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and name the first broken link."

    def handle(self, *args, **options):
        broken = audit_chain_first_break()
        if broken is not None:
            where = f" at event {broken.event_id}" if broken.event_id is not None else ""
            raise CommandError(f"Audit chain broken{where}: {broken.reason}.")
        self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events.")
