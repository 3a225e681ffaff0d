from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Department
from apps.signatures.keys import PORTAL_SEAL, SEAL_CODE_RE, ensure_keys, is_production, keys_dir


class Command(BaseCommand):
    help = (
        "Creates a development CA and seal certificates (the portal's, and one per department) "
        "as PKCS#12 files in SIGNING_KEYS_DIR. Keeps existing files unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            metavar="CODE",
            help="Also create a seal for this department code (repeatable).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Replace the CA and every seal in the directory."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even when DJANGO_ENV=production (production normally loads a PKCS#12 "
            "file named in SIGNING_PKCS12_PATH).",
        )

    def handle(self, *args, department, force, allow_production, **options):
        if is_production() and not allow_production:
            raise CommandError(
                "This creates development keys; production seals with SIGNING_PKCS12_PATH. "
                "Pass --allow-production to create department seals under a development CA anyway."
            )
        codes = list(Department.objects.order_by("code").values_list("code", flat=True))
        for code in department:
            if not SEAL_CODE_RE.match(code) or code == PORTAL_SEAL:
                raise CommandError(f"Not a department code: {code!r}")
            codes.append(code)
        written = ensure_keys(seals=[PORTAL_SEAL, *codes], force=force)
        for path in written:
            self.stdout.write(f"created {path}")
        directory = keys_dir()
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(written)} file(s) written, "
                f"{len(list(directory.glob('*.p12')))} PKCS#12 file(s) in {directory}"
            )
        )
