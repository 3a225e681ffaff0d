"""manage.py metrics_rebuild [--start YYYY-MM-DD] [--end YYYY-MM-DD]: count the daily rollups
again from the raw rows (all days, or the days of a range), e.g. after a bulk load."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.metrics.services import rollups_rebuild


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from error


class Command(BaseCommand):
    help = "Rebuild the metrics' daily rollups exactly from the raw rows."

    def add_arguments(self, parser):
        parser.add_argument("--start", help="first day, YYYY-MM-DD (default: the first data)")
        parser.add_argument("--end", help="last day, YYYY-MM-DD, included (default: the last)")

    def handle(self, *args, **options):
        first, last = _day(options["start"]), _day(options["end"])
        if first and last and first > last:
            raise CommandError("--start is after --end.")
        run = rollups_rebuild(first=first, last=last)
        self.stdout.write(f"Metrics rollups rebuilt: {run.days} days.")
