import json
from argparse import ArgumentParser
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand

from apps.demo.loader import seed_accounts, seed_catalog, seed_complaint_categories


class Command(BaseCommand):
    help = (
        "Create demo departments, a service point, staff for each role, two residents and the "
        "demo services. Idempotent."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="Print the demo accounts as JSON (demo data only)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = seed_accounts()
        seed_catalog()
        seed_complaint_categories()
        if options["json"]:
            self.stdout.write(
                json.dumps([asdict(a) for a in accounts], ensure_ascii=False, indent=2)
            )
            return
        self.stdout.write("Demo accounts (demo data only):")
        for account in accounts:
            line = f"  {account.role:<18} {account.login:<22} {account.password or '(no password)'}"
            if account.totp_secret:
                line += f"  TOTP {account.totp_secret}  backup {account.backup_codes[0]}"
            self.stdout.write(line)
        self.stdout.write(
            "Staff sign in with the password, then a code from an authenticator app set up "
            "with the TOTP secret, or one of the backup codes (`seed_demo --json` lists five)."
        )
