"""Commands on certificates (writes): `from apps.certificates import services`."""

from .duties import CertificateRefused, certificate_duty_check, certificate_may
from .expiry import certificate_expiry_notices_send
from .issuing import (
    certificate_fields_from_answers,
    certificate_issue,
    certificate_issue_for_case,
    certificate_pdf_issue,
)
from .lifecycle import certificate_replace, certificate_revoke
from .reuse import case_certificate_link, case_certificate_unlink

__all__ = [
    "CertificateRefused",
    "case_certificate_link",
    "case_certificate_unlink",
    "certificate_duty_check",
    "certificate_expiry_notices_send",
    "certificate_fields_from_answers",
    "certificate_issue",
    "certificate_issue_for_case",
    "certificate_may",
    "certificate_pdf_issue",
    "certificate_replace",
    "certificate_revoke",
]
