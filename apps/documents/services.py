"""Documents: render a template to PDF, seal it, store it with its digest and a verification
code; check an uploaded PDF or a typed code against what was issued."""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError
from apps.core.links import portal_url
from apps.core.pdf import render_pdf
from apps.signatures.services import pdf_seal, pdf_seal_check

from .models import Document
from .selectors import (
    CODE_ALPHABET,
    CODE_GROUP_LENGTH,
    CODE_GROUPS,
    codes_in_pdf_bytes,
    codes_in_pdf_metadata,
    document_get_by_code,
    document_get_by_sha256,
)
from .standing import DocumentStanding, document_standing

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def verification_code_generate() -> str:
    """A new, unused code like "7KQM-3XWP-HT9C-N2RD" (16 characters from 31, ~79 bits)."""
    for _attempt in range(10):
        chars = "".join(
            secrets.choice(CODE_ALPHABET) for _i in range(CODE_GROUPS * CODE_GROUP_LENGTH)
        )
        code = "-".join(
            chars[i : i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH)
        )
        if not Document.objects.filter(verification_code=code).exists():
            return code
    raise RuntimeError("could not find a free verification code")  # pragma: no cover


def verification_url(*, code: str) -> str:
    return portal_url(path=reverse("documents:verify") + "?" + urlencode({"code": code}))


def qr_data_uri(*, url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def document_issue(
    *,
    kind: str,
    title: str,
    template_name: str,
    context: Mapping[str, object],
    seal: str = "portal",
    created_by: User | None = None,
    language: str | None = None,
) -> Document:
    """Render `template_name` to PDF, seal it with `seal`, store it and return the Document.

    The template receives `context` plus `verification_code`, `verification_url`, `qr_svg`
    (a data-URI SVG QR code pointing to the verification page) and `document_title`; the code
    is also written into the PDF metadata (/Keywords) and the seal's reason, so an uploaded copy
    can be identified.
    """
    if kind not in Document.Kind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for _attempt in range(3):
        code = verification_code_generate()
        url = verification_url(code=code)
        full_context = {
            "portal_name": settings.PORTAL_NAME,
            **context,
            "document_title": title,
            "verification_code": code,
            "verification_url": url,
            "qr_svg": qr_data_uri(url=url),
        }
        with translation.override(language):
            pdf = render_pdf(template_name=template_name, context=full_context)
            reason = _("Issued by %(portal)s. Verification code %(code)s") % {
                "portal": settings.PORTAL_NAME,
                "code": code,
            }
        sealed = pdf_seal(
            pdf_bytes=pdf, seal=seal, reason=reason, location=settings.PORTAL_BASE_URL
        )
        check = pdf_seal_check(pdf_bytes=sealed)
        digest = hashlib.sha256(sealed).hexdigest()
        try:
            with transaction.atomic():
                document = Document(
                    kind=kind,
                    title=title[:255],
                    sha256=digest,
                    verification_code=code,
                    seal=seal,
                    sealed_by=check.signer,
                    sealed_at=timezone.now(),
                    language=language,
                    created_by=created_by,
                )
                document.file.save(f"{kind}-{code}.pdf", ContentFile(sealed), save=False)
                document.save()
                audit_record(
                    action=AuditAction.DOCUMENT_ISSUE,
                    actor=created_by,
                    target=document,
                    data={
                        "kind": kind,
                        "verification_code": code,
                        "sha256": digest,
                        "seal": seal,
                        "template": template_name,
                    },
                )
                return document
        except IntegrityError:
            # Two issues drew the same code at once: draw again.
            continue
    raise RuntimeError("could not store the document")  # pragma: no cover


@dataclass(frozen=True)
class DocumentFacts:
    """What was signed, by whom and when: shown for a valid document."""

    title: str
    kind: str
    kind_display: str
    issued_at: datetime
    sealed_by: str
    seal: str
    sha256: str
    verification_code: str

    @classmethod
    def of(cls, document: Document, *, sealed_by: str = "") -> "DocumentFacts":
        return cls(
            title=document.title,
            kind=document.kind,
            kind_display=str(document.get_kind_display()),
            issued_at=document.sealed_at,
            sealed_by=sealed_by or document.sealed_by,
            seal=document.seal,
            sha256=document.sha256,
            verification_code=document.verification_code,
        )


@dataclass(frozen=True)
class VerificationResult:
    """status: "valid", "tampered" or "unknown"; `document` only when valid. `standing`: for a
    valid document an app above knows (a certificate), whether what it states still holds."""

    status: str
    document: DocumentFacts | None = None
    standing: DocumentStanding | None = None


def pdf_upload_read(*, upload: UploadedFile) -> bytes:
    """The bytes of an uploaded PDF, refused before reading when it is too big."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ApplicationError(_too_big_message())
    data: bytes = upload.read()
    return data


def _too_big_message() -> str:
    return _("The file is larger than %(size)d MB. Upload the PDF as you received it.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def pdf_upload_check(*, pdf_bytes: bytes) -> None:
    """Refuse what cannot be a PDF or is too big, with a translated message."""
    if len(pdf_bytes) > MAX_UPLOAD_BYTES:
        raise ApplicationError(_too_big_message())
    if not pdf_bytes:
        raise ApplicationError(_("The file is empty."))
    # The PDF header may follow a little junk (the spec allows it within the first 1024 bytes).
    if PDF_MAGIC not in pdf_bytes[:1024]:
        raise ApplicationError(_("This file is not a PDF. Upload the PDF document you received."))


def document_verify(
    *, pdf_bytes: bytes | None = None, code: str | None = None
) -> VerificationResult:
    """Check an uploaded PDF, or a typed verification code, against the documents issued.

    - PDF whose SHA-256 is a stored document's and whose seal checks intact → "valid";
    - PDF that names a known verification code but differs or fails the seal → "tampered";
    - anything else → "unknown". A typed code → "valid" with the document's facts, or "unknown".
    Raises ApplicationError for an upload that is not a PDF.
    """
    if pdf_bytes is None:
        document = document_get_by_code(code=code or "")
        if document is None:
            return VerificationResult(status="unknown")
        return VerificationResult(
            status="valid",
            document=DocumentFacts.of(document),
            standing=document_standing(document=document),
        )

    pdf_upload_check(pdf_bytes=pdf_bytes)
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    document = document_get_by_sha256(sha256=digest)
    if document is not None:
        check = pdf_seal_check(pdf_bytes=pdf_bytes)
        if check.is_intact:
            return VerificationResult(
                status="valid",
                document=DocumentFacts.of(document, sealed_by=check.signer),
                standing=document_standing(document=document),
            )
        return VerificationResult(status="tampered")

    claimed = list(
        dict.fromkeys(
            codes_in_pdf_metadata(pdf_bytes=pdf_bytes) + codes_in_pdf_bytes(pdf_bytes=pdf_bytes)
        )
    )
    # Names a document we issued, yet is not byte for byte what we issued.
    if any(document_get_by_code(code=c) is not None for c in claimed):
        return VerificationResult(status="tampered")
    return VerificationResult(status="unknown")
