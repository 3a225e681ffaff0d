"""Complaint photos, checked and stripped of metadata so no location or device leaks."""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.cases.models import Attachment, Case
from apps.core.exceptions import ApplicationError
from apps.core.uploads import MB, validate_upload

MAX_PHOTOS = 6
PHOTO_TYPES = frozenset({"jpeg", "png", "webp"})
PHOTO_MAX_BYTES = 10 * MB
PHOTO_FIELD = "photo"


def photo_strip_metadata(*, upload: UploadedFile, kind: str) -> bytes:
    """Re-encode the picture from its pixels only: EXIF (GPS, camera, time) and every other
    metadata block are left behind. The orientation is applied first so the photo stays upright."""
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as opened:
        image: Image.Image = ImageOps.exif_transpose(opened)
        if image.mode not in ("RGB", "RGBA", "L"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        if kind == "jpeg" and image.mode == "RGBA":
            image = image.convert("RGB")
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    fmt = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind]
    options = {"quality": 90} if kind in ("jpeg", "webp") else {}
    clean.save(out, format=fmt, **options)
    return out.getvalue()


def _photos_check(photos: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(
            _("Add at most %(n)d photos.") % {"n": MAX_PHOTOS},
            errors={"photos": [_("Add at most %(n)d photos.") % {"n": MAX_PHOTOS}]},
        )
    checked = []
    for photo in photos:
        try:
            kind = validate_upload(photo, allowed=PHOTO_TYPES, max_bytes=PHOTO_MAX_BYTES)
        except ValidationError as exc:
            raise ApplicationError(exc.messages[0], errors={"photos": exc.messages}) from exc
        checked.append((photo, kind))
    return checked


def _photo_store(*, case: Case, photo: UploadedFile, kind: str, actor: User) -> Attachment:
    try:
        data = photo_strip_metadata(upload=photo, kind=kind)
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a broken picture
        raise ApplicationError(
            _("“%(name)s” could not be read as a picture.") % {"name": photo.name},
            errors={"photos": [_("Choose another picture.")]},
        ) from exc
    extension = {"jpeg": "jpg", "png": "png", "webp": "webp"}[kind]
    attachment = Attachment(
        case=case,
        field_key=PHOTO_FIELD,
        original_name=(photo.name or "photo").rsplit("/", 1)[-1][:255],
        content_type={"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(f"{secrets.token_hex(8)}.{extension}", ContentFile(data), save=False)
    attachment.save()
    return attachment
