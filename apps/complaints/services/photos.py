"""Complaint photos: read through by the one upload check (`apps.core.uploads`), which decodes
each picture under a pixel limit and re-encodes it from its pixels, so no location, device or
anything appended after the picture's end is kept."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.cases.models import Attachment, Case
from apps.core.exceptions import ApplicationError
from apps.core.uploads import MB, CheckedUpload, check_upload

MAX_PHOTOS = 6
PHOTO_TYPES = frozenset({"jpeg", "png", "webp"})
PHOTO_MAX_BYTES = 10 * MB
PHOTO_FIELD = "photo"


def photos_check(*, photos: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Every photo checked before anything is created; a refusal names the photo and why,
    beside "photos"."""
    field = "photos"
    if len(photos) > MAX_PHOTOS:
        message = _("Add at most %(n)d photos.") % {"n": MAX_PHOTOS}
        raise ApplicationError(message, errors={field: [message]})
    return [
        check_upload(photo, field=field, allowed=PHOTO_TYPES, max_bytes=PHOTO_MAX_BYTES)
        for photo in photos
    ]


def photo_store(*, case: Case, photo: CheckedUpload, actor: User) -> Attachment:
    """Keep a checked photo (its re-encoded bytes) beside the complaint."""
    attachment = Attachment(
        case=case,
        field_key=PHOTO_FIELD,
        original_name=(photo.name or "photo")[:255],
        content_type=photo.media_type,
        size=photo.size,
        sha256=photo.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(
        f"{secrets.token_hex(8)}.{photo.extension}", ContentFile(photo.content), save=False
    )
    attachment.save()
    return attachment
