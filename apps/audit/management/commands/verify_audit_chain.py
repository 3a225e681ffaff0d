from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.audit.models import AuditEvent
from apps.audit.selectors import ChainAnchor, audit_chain_first_break


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain and name the first broken link; with --anchor, also "
        "that the chain still holds the heads logged by the daily anchor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="COUNT:HASH",
            help="a chain head kept outside the database (the `audit chain anchor` log line); "
            "may be given several times",
        )

    def handle(self, *args, **options):
        try:
            anchors = [ChainAnchor.parse(text) for text in options["anchor"]]
        except ValueError as error:
            raise CommandError(str(error)) from error
        broken = audit_chain_first_break(anchors=anchors)
        if broken is not None:
            where = f" at event {broken.event_id}" if broken.event_id is not None else ""
            raise CommandError(f"Audit chain broken{where}: {broken.reason}.")
        held = f", anchors held: {len(anchors)}" if anchors else ""
        self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events{held}.")
