import json
import sys
from argparse import ArgumentParser
from datetime import UTC, datetime
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.cases.models import Case
from apps.demo.load.people import PASSWORD
from apps.demo.load.seed import seed_load


class Command(BaseCommand):
    help = (
        "Fill an empty portal with a city's load for benchmarks: N cases over two years in "
        "every state, with residents (N/5), staff in every department (TOTP keys and backup "
        "codes derived from --seed), tasks, timelines, documents, notifications, ratings, "
        "grants and a verifiable audit chain. PostgreSQL COPY; never in production."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--until",
            help="The load's 'now' (ISO date-time; default: the start of this hour). The same "
            "--seed and --until give the same rows.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="PostgreSQL: drop and create the database and migrate it first (the audit "
            "table refuses deletes, so an old load is never emptied in place).",
        )
        parser.add_argument(
            "--fast",
            choices=["auto", "on", "off"],
            default="auto",
            help="Build indexes after loading (PostgreSQL; auto: from 20,000 cases).",
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        if options["reset"]:
            self._reset()
        if Case.objects.exists():
            raise CommandError(
                "The database already holds cases: seed_load fills an empty portal. Use "
                "--reset (PostgreSQL) or a fresh database."
            )
        now = self._now(options["until"])
        fast = {"auto": None, "on": True, "off": False}[options["fast"]]

        def log(line: str) -> None:
            sys.stderr.write(f"seed_load: {line}\n")
            sys.stderr.flush()

        report = seed_load(
            cases=options["cases"], seed=options["seed"], now=now, log=log, fast=fast
        )
        total = sum(report.cases.values())
        summary = {
            "cases": total,
            "by_state": {f"{k}:{s}": n for (k, s), n in sorted(report.cases.items())},
            "residents": report.residents,
            "rows": report.rows,
            "seconds": round(report.seconds, 1),
            "until": now.isoformat(),
            "password": PASSWORD,
            "staff": report.accounts,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Seeded {total:,} cases, {report.residents:,} residents in "
            f"{report.seconds:.0f} s ({total / max(report.seconds, 0.001):,.0f} "
            "cases/s)."
        )
        for table, rows in report.rows.items():
            self.stdout.write(f"  {table:<36} {rows:>12,}")
        self.stdout.write(
            f"Residents resident-0000001 … and staff <department>-load-<role>-<n> sign in with "
            f"{PASSWORD}; staff TOTP keys and backup codes come from --seed "
            "(apps.demo.load.people.otp_key, backup_codes)."
        )

    def _now(self, until: str | None) -> datetime:
        if until:
            value = parse_datetime(until)
            if value is None:
                raise CommandError(
                    "--until takes an ISO date-time, e.g. 2026-03-01T12:00:00+08:00."
                )
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            return value.astimezone(UTC)
        return timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)

    def _reset(self) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("--reset drops the database: PostgreSQL only (remove the file).")
        name = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.stderr.write(f"seed_load: database {name} created afresh; migrating")
        call_command("migrate", verbosity=0, interactive=False)
