from django.core.management.base import BaseCommand, CommandError

from apps.core.pdf_fonts import fonts_dir, pdf_fonts_build


class Command(BaseCommand):
    help = (
        "Cuts the small CJK faces that PDFs embed (apps/core/pdf_fonts.py) from the system's "
        "Noto CJK fonts into PDF_FONTS_DIR. The first PDF does it too; run this at deployment "
        "when that directory is read-only at run time. Keeps up-to-date files unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Cut the faces again.")

    def handle(self, *args, force, **options):
        faces = pdf_fonts_build(force=force)
        if not faces:
            raise CommandError(
                "No face cut: install fonts-noto-cjk (and the uharfbuzz package); PDFs use the "
                "full Noto CJK fonts meanwhile."
            )
        for face in faces:
            self.stdout.write(f"{fonts_dir() / face.filename}  {face.family} {face.weight}")
