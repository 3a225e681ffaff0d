"""PAdES seals on PDFs (pyHanko, imported inside the functions): apply one, check them all.

No network: no timestamp server, no OCSP or CRL fetching. The seal is PAdES B-B with the
signer's certificate (and its CA) embedded.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from .keys import PORTAL_SEAL, load_signer, load_trust_roots


@dataclass(frozen=True)
class SealCheck:
    """What `pdf_seal_check()` found.

    status: "intact" (every seal verifies against a trusted root), "broken" (a seal does not
    match the bytes, or comes from an untrusted certificate), "unsigned" (no seal at all) or
    "unreadable" (not a PDF pyHanko can parse).
    """

    status: str
    signer: str = ""
    signed_at: datetime | None = None
    covers_whole_file: bool = False
    detail: str = ""
    signature_count: int = 0

    @property
    def is_intact(self) -> bool:
        return self.status == "intact"


def pdf_seal(
    *, pdf_bytes: bytes, seal: str = PORTAL_SEAL, reason: str = "", location: str = ""
) -> bytes:
    """Seal `pdf_bytes` with the portal's (or department `seal`'s) certificate; return the new PDF.

    The seal is an incremental update: the original bytes stay untouched in front of it.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = load_signer(seal)
    metadata = signers.PdfSignatureMetadata(
        field_name=f"Seal-{seal}-{secrets.token_hex(4)}",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        embed_validation_info=False,
        use_pades_lta=False,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    output = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer, in_place=False)
    return output.getvalue()


def _common_name(cert) -> str:
    try:
        return cert.subject.native.get("common_name", "") or cert.subject.human_friendly
    except Exception:  # noqa: BLE001 - a report should not fail on an odd certificate
        return ""


def pdf_seal_check(*, pdf_bytes: bytes) -> SealCheck:
    """Check every embedded signature of `pdf_bytes` against the trust roots (no network).

    `signer` and `signed_at` describe the last signature; `covers_whole_file` says whether the
    last signature covers the file up to its end (nothing was appended after it).
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds on garbage
        return SealCheck(status="unreadable", detail=f"{type(exc).__name__}: {exc}"[:500])
    if not signatures:
        return SealCheck(status="unsigned", detail="no signature in the file")

    trust_roots = load_trust_roots()
    last_status = None
    for index, embedded in enumerate(signatures, start=1):
        context = ValidationContext(
            trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail"
        )
        try:
            status = validate_pdf_signature(embedded, context)
        except (SignatureValidationError, PdfError, ValueError, KeyError) as exc:
            return SealCheck(
                status="broken",
                signature_count=len(signatures),
                detail=f"signature {index}: {type(exc).__name__}: {exc}"[:500],
            )
        except Exception as exc:  # noqa: BLE001
            return SealCheck(
                status="unreadable",
                signature_count=len(signatures),
                detail=f"signature {index}: {type(exc).__name__}: {exc}"[:500],
            )
        signer = _common_name(status.signing_cert) if status.signing_cert else ""
        if not (status.intact and status.valid):
            return SealCheck(
                status="broken",
                signer=signer,
                signature_count=len(signatures),
                detail=f"signature {index} does not match the signed bytes",
            )
        if not status.trusted:
            return SealCheck(
                status="broken",
                signer=signer,
                signature_count=len(signatures),
                detail=f"signature {index} is not from a trusted seal certificate",
            )
        if status.modification_level == ModificationLevel.OTHER:
            # An incremental update after the seal changed what the document shows.
            return SealCheck(
                status="broken",
                signer=signer,
                signature_count=len(signatures),
                detail=f"the document was changed after signature {index}",
            )
        last_status = status

    if last_status is None:  # the loop ran at least once: `signatures` is not empty
        raise RuntimeError("no signature was checked")
    return SealCheck(
        status="intact",
        signer=_common_name(last_status.signing_cert),
        signed_at=last_status.signer_reported_dt,
        covers_whole_file=last_status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signature_count=len(signatures),
        detail=f"{len(signatures)} signature(s) intact and trusted",
    )
