"""`render_pdf()`: a Django template rendered to PDF bytes by WeasyPrint.

WeasyPrint is imported inside the function (start-up time). Fonts come from the system through
fontconfig; the PDF templates name "Noto Sans CJK SC" / "Noto Serif CJK SC" so Chinese glyphs
are embedded (subset) in every document. Nothing is fetched from the network: `/static/` and
`/media/` addresses are read from disk, `data:` URIs are allowed, everything else is refused.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string


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


def render_pdf(*, template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` and return the PDF bytes (A4, fonts embedded)."""
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

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url, url_fetcher=LocalOnlyFetcher()).write_pdf()
