"""Upload checks by content: the first bytes of a file say what it is, whatever its name says."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_ALLOWED = frozenset({"pdf", "jpeg", "png"})

# What people call each type, in the order messages list them.
TYPE_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WebP"}
# What a browser's file picker should offer for each type.
TYPE_ACCEPT = {
    "pdf": ".pdf,application/pdf",
    "jpeg": ".jpg,.jpeg,image/jpeg",
    "png": ".png,image/png",
    "gif": ".gif,image/gif",
    "webp": ".webp,image/webp",
}
# The media type a file is served with, from what its bytes say it is.
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
_HEAD_BYTES = 16


def _read_head(file) -> bytes:
    """The first bytes of `file`, leaving its position where it was."""
    if isinstance(file, bytes | bytearray):
        return bytes(file[:_HEAD_BYTES])
    try:
        position = file.tell()
    except (AttributeError, OSError):
        position = None
    try:
        file.seek(0)
        head = file.read(_HEAD_BYTES)
    finally:
        file.seek(position or 0)
    return head or b""


def sniff_type(file) -> str | None:
    """ "pdf", "jpeg", "png", "gif" or "webp" from the magic bytes of `file`, else None."""
    head = _read_head(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def accept_attribute(allowed=DEFAULT_ALLOWED) -> str:
    """The `accept` attribute of a file input for the allowed types."""
    return ",".join(TYPE_ACCEPT[kind] for kind in TYPE_LABELS if kind in allowed)


def _file_size(file) -> int | None:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    try:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    except (AttributeError, OSError):
        return None
    return size


def _types_text(allowed) -> str:
    labels = [TYPE_LABELS[kind] for kind in TYPE_LABELS if kind in allowed]
    return str(get_text_list(labels, _("or")))


def validate_upload(
    file, *, allowed=DEFAULT_ALLOWED, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> str:
    """Refuse an empty, oversized or wrongly typed upload; return its sniffed type.

    The type comes from the content (magic bytes), never from the name or the browser's
    content type, which anyone can set."""
    name = getattr(file, "name", "") or _("The file")
    name = name.rsplit("/", 1)[-1]
    size = _file_size(file)
    if size == 0:
        raise ValidationError(
            _("“%(name)s” is empty. Choose the file again."), code="empty", params={"name": name}
        )
    if max_bytes is not None and size is not None and size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB. Make it smaller or scan it again."),
            code="too_large",
            params={"name": name, "mb": _format_mb(max_bytes)},
        )
    kind = sniff_type(file)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("“%(name)s” is not a %(types)s file."),
            code="bad_type",
            params={"name": name, "types": _types_text(allowed)},
        )
    return kind


def _format_mb(max_bytes: int) -> str:
    mb = max_bytes / MB
    return str(int(mb)) if mb == int(mb) else f"{mb:.1f}"
