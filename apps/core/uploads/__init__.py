"""Upload checks by content: the first bytes of a file say what it is, whatever its name says,
and a deep check then reads the whole file.

One check for every channel (resident pages and API, the desk, complaint photos on the web,
the API and Open311, mandate evidence): `inspect_upload` (a `ValidationError`, for form fields)
and `check_upload` (an `ApplicationError` naming the field, for services). A PDF is parsed and
refused when it could act on its reader (`pdf.py`); a picture is decoded under a pixel limit
and re-encoded from its pixels (`images.py`). What is stored is `CheckedUpload.content`, and its
SHA-256 is of those bytes, so a signature over attachment digests covers what staff open."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError

from .images import MAX_PIXELS, image_reencode
from .pdf import pdf_check
from .problems import UploadRefused

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
# The file name extension a stored file gets, from its content.
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp"}
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


def _name_of(file: Any) -> str:
    name = getattr(file, "name", "") or _("The file")
    return str(name).replace("\\", "/").rsplit("/", 1)[-1]


def _shallow_check(file: Any, *, name: str, allowed: Collection[str], max_bytes: int | None) -> str:
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


def _refusal_message(reason: str) -> str:
    """The sentence for a deep check's finding; `%(name)s` is the file's name."""
    texts = {
        "too_many_pixels": _(
            "“%(name)s”: the picture is too large to open safely (%(megapixels)s megapixels, "
            "at most %(limit)s). Make it smaller and choose it again."
        ),
        "damaged_image": _(
            "“%(name)s” could not be read as a picture: it is damaged or incomplete. "
            "Save it again and choose the new file."
        ),
        "trailing_content": _(
            "“%(name)s” has extra content after its end. "
            "Save or scan it again and choose the new file."
        ),
        "html_content": _(
            "“%(name)s” also contains web page code. "
            "Save or scan it again as a plain PDF and choose the new file."
        ),
        "bad_pdf": _(
            "“%(name)s” is not a valid PDF: it could not be read. "
            "Save or scan it again and choose the new file."
        ),
        "encrypted_pdf": _(
            "“%(name)s” is an encrypted PDF: remove the password and choose it again."
        ),
        "pdf_script": _(
            "“%(name)s”: the PDF contains a script or an action that runs by itself. "
            "Print it to a new PDF or scan it, and choose that file."
        ),
        "pdf_launch": _(
            "“%(name)s”: the PDF tries to open another program or file. "
            "Print it to a new PDF or scan it, and choose that file."
        ),
        "pdf_embedded": _(
            "“%(name)s”: the PDF carries other files inside it. Upload each document on its own."
        ),
    }
    return texts[reason]


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed the deep check: `content` is what is to be stored (a picture
    re-encoded, a PDF as it came), `name` the name it was uploaded with (no folders)."""

    name: str
    kind: str
    content: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]


def _read_all(file: Any) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    file.seek(0)
    chunks = getattr(file, "chunks", None)
    data = b"".join(chunks()) if chunks is not None else file.read()
    file.seek(0)
    return bytes(data)


def _deep_check(file: Any, *, allowed: Collection[str], max_bytes: int | None) -> CheckedUpload:
    name = _name_of(file)
    kind = _shallow_check(file, name=name, allowed=allowed, max_bytes=max_bytes)
    data = _read_all(file)
    try:
        if kind == "pdf":
            pdf_check(data)
            content = data
        else:
            content = image_reencode(data, kind=kind)
    except UploadRefused as refused:
        raise ValidationError(
            _refusal_message(refused.reason),
            code=refused.reason,
            params={"name": name, **refused.params},
        ) from refused
    return CheckedUpload(name=name, kind=kind, content=content)


_MEMO = "_portal_upload_checks"


def inspect_upload(
    file: Any,
    *,
    allowed: Collection[str] = DEFAULT_ALLOWED,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> CheckedUpload:
    """Check an upload through and through; raise `ValidationError` with the reason.

    Refused: an empty or oversized file, a type outside `allowed` (by its bytes, never its
    name), and whatever `pdf_check` or `image_reencode` refuse. The result is remembered on the
    file object, so a form field and the service after it decode a picture once."""
    key = (frozenset(allowed), max_bytes)
    memo = getattr(file, _MEMO, None)
    if memo is not None and key in memo:
        found = memo[key]
        if isinstance(found, ValidationError):
            raise found
        result: CheckedUpload = found
        return result
    try:
        checked = _deep_check(file, allowed=allowed, max_bytes=max_bytes)
    except ValidationError as exc:
        _remember(file, key, exc)
        raise
    _remember(file, key, checked)
    return checked


def _remember(file: Any, key: tuple[frozenset[str], int | None], found: object) -> None:
    try:
        memo = getattr(file, _MEMO, None)
        if memo is None:
            memo = {}
            setattr(file, _MEMO, memo)
        memo[key] = found
    except AttributeError:  # bytes, or a file object that takes no attributes
        pass


def check_upload(
    file: Any,
    *,
    field: str,
    allowed: Collection[str] = DEFAULT_ALLOWED,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> CheckedUpload:
    """`inspect_upload` for services: a refusal is an `ApplicationError` whose message names the
    file and the reason, beside `field`."""
    try:
        return inspect_upload(file, allowed=allowed, max_bytes=max_bytes)
    except ValidationError as exc:
        raise ApplicationError(
            exc.messages[0], errors={field: exc.messages}, code=exc.error_list[0].code
        ) from exc


def validate_upload(
    file: Any,
    *,
    allowed: Collection[str] = DEFAULT_ALLOWED,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> str:
    """`inspect_upload`, returning only the type ("pdf", "jpeg", …): for form fields."""
    return inspect_upload(file, allowed=allowed, max_bytes=max_bytes).kind


def stored_media_type(file: Any) -> str:
    """The media type to serve a stored file with, from its bytes (never its name)."""
    kind = sniff_type(file)
    return MEDIA_TYPES[kind] if kind else "application/octet-stream"


__all__ = [
    "DEFAULT_ALLOWED",
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "MAX_PIXELS",
    "MB",
    "MEDIA_TYPES",
    "TYPE_ACCEPT",
    "TYPE_LABELS",
    "CheckedUpload",
    "accept_attribute",
    "check_upload",
    "inspect_upload",
    "sniff_type",
    "stored_media_type",
    "validate_upload",
]


def _format_mb(max_bytes: int) -> str:
    mb = max_bytes / MB
    return str(int(mb)) if mb == int(mb) else f"{mb:.1f}"
