"""`render_pdf()`: a Django template rendered to PDF bytes by WeasyPrint.

WeasyPrint is imported inside the function (start-up time). Fonts come from the system through
fontconfig; the PDF templates name the small "Portal … CJK SC" faces (apps/core/pdf_fonts.py)
first and the full "Noto Sans CJK SC" / "Noto Serif CJK SC" next, so Chinese glyphs are
embedded (subset) in every document and a rare character still shows. Each thread keeps one
WeasyPrint FontConfiguration (fontconfig set-up, Pango's font map and its caches) for its
lifetime instead of building one per document. Nothing is fetched from the network: `/static/`
and `/media/` addresses are read from disk, `data:` URIs are allowed, everything else is refused.
"""

import functools
import logging
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

from .pdf_fonts import font_face_css, fonts_dir, pdf_fonts_build

logger = logging.getLogger(__name__)


def _local_path(url: str) -> Path | None:
    """The file on disk behind a `/static/...` or `/media/...` address, or None."""
    path = unquote(urlsplit(url).path)
    static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if path.startswith(static_url):
        relative = path[len(static_url) :]
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if found:
            return Path(found)
        candidate = Path(settings.STATIC_ROOT) / relative
    elif settings.MEDIA_URL and path.startswith(settings.MEDIA_URL):
        candidate = Path(settings.MEDIA_ROOT) / path[len(settings.MEDIA_URL) :]
    else:
        return None
    root = candidate.resolve()
    allowed = [Path(settings.STATIC_ROOT).resolve(), Path(settings.MEDIA_ROOT).resolve()]
    if any(root.is_relative_to(base) for base in allowed) and root.is_file():
        return root
    return None


@dataclass
class _Fonts:
    directory: str
    font_config: Any  # weasyprint.text.fonts.FontConfiguration
    stylesheets: list[Any]  # weasyprint.CSS


_per_thread = threading.local()


def _font_file_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class FontFileFetcher(URLFetcher):
        # The @font-face rules are ours; still, read nothing but the cut fonts.
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_relative_to(fonts_dir().resolve()) and path.is_file():
                    return super().fetch(url, headers)
            raise ValueError(f"PDF fonts are not read from {url}")

    return FontFileFetcher()


@functools.cache
def _font_configuration_class() -> type:
    from weasyprint.text.fonts import FontConfiguration

    class KeptFontConfiguration(FontConfiguration):
        # Lives until the interpreter exits, when WeasyPrint's own clean-up finds its module's
        # names already gone: remove the copied font files with a function bound now.
        def __del__(self, _rmtree=shutil.rmtree):
            if self._folder:
                _rmtree(self._folder, ignore_errors=True)

    return KeptFontConfiguration


def _fonts() -> _Fonts:
    """This thread's FontConfiguration, with the small CJK faces registered (once)."""
    fonts: _Fonts | None = getattr(_per_thread, "fonts", None)
    directory = str(settings.PDF_FONTS_DIR)
    if fonts is not None and fonts.directory == directory:
        return fonts
    from weasyprint import CSS

    font_config = _font_configuration_class()()
    stylesheets = []
    try:
        faces = pdf_fonts_build()
    except (OSError, ValueError) as exc:
        logger.warning("PDFs use the full CJK fonts: cannot cut the small ones (%s)", exc)
        faces = []
    if faces:
        css = CSS(
            string=font_face_css(faces=faces),
            font_config=font_config,
            url_fetcher=_font_file_fetcher(),
        )
        stylesheets.append(css)
    fonts = _Fonts(directory=directory, font_config=font_config, stylesheets=stylesheets)
    _per_thread.fonts = fonts
    return fonts


def render_pdf(*, template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` and return the PDF bytes (A4, fonts embedded)."""
    return html_to_pdf(html=render_to_string(template_name, context))


def html_to_pdf(*, html: str) -> bytes:
    """The PDF of an HTML document (its own CSS; the portal's fonts; local files only)."""
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:
        # One INFO line per rendering step is noise in the portal's logs; LOGGING may override.
        progress.setLevel(logging.WARNING)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    base_url = settings.PORTAL_BASE_URL.rstrip("/") + "/"

    class LocalOnlyFetcher(URLFetcher):
        # Documents are rendered on closed networks and from user input: never go online.
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(base_url) or url.startswith("file:"):
                path = _local_path(url)
                if path is not None:
                    return super().fetch(path.as_uri(), headers)
            raise ValueError(f"PDF rendering does not fetch {url}")

    fonts = _fonts()
    document = HTML(string=html, base_url=base_url, url_fetcher=LocalOnlyFetcher())
    pdf: bytes = document.write_pdf(stylesheets=fonts.stylesheets, font_config=fonts.font_config)
    return pdf
