from typing import IO

from django.http import FileResponse, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The `next` a form or link carried, when it stays on this site; otherwise `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# What a served file may be shown as; anything else is a download of unknown bytes.
# A ZIP is the portal's own data export, never an upload; like every type but pictures and PDFs
# it only ever goes out as a download.
_SERVABLE_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "application/zip"}
)
_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def file_response(
    *,
    file: IO[bytes],
    filename: str,
    content_type: str,
    inline: bool = False,
    embeddable: bool = False,
) -> FileResponse:
    """A stored upload or document as a download, or shown by the browser but never as active
    content.

    The media type is the one recorded from the file's content when it was checked (never
    guessed from its name); a type outside the few the portal accepts goes out as
    `application/octet-stream`, always as a download. `inline` shows a picture or a PDF in
    the browser: a picture in a sandbox (no script, no form, no plugin, whatever it holds);
    a PDF without one, because the browsers' PDF viewers refuse to run inside a sandbox, but a
    PDF only reaches here after `apps.core.uploads` refused scripts, actions and embedded
    files. `embeddable` lets the portal's own pages frame it (the staff case page embeds PDFs);
    otherwise no page may. Every answer says `nosniff`, so no browser reads it as HTML."""
    media_type = content_type if content_type in _SERVABLE_TYPES else "application/octet-stream"
    shown = inline and media_type != "application/octet-stream"
    response = FileResponse(
        file, as_attachment=not shown, filename=filename, content_type=media_type
    )
    ancestors = "'self'" if embeddable and shown else "'none'"
    if not shown:
        policy = "default-src 'none'; sandbox"
    elif media_type in _IMAGE_TYPES:
        policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    else:  # the viewer fetches the PDF again and styles its own page
        policy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"
    response["Content-Security-Policy"] = f"{policy}; frame-ancestors {ancestors}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
