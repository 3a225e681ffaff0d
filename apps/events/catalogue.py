"""The event catalogue: which timeline verb of a case becomes which event type.

Types never change once released (departments' systems route by them); docs/integration.md
lists each one with the data it carries. A verb not listed here publishes nothing."""

TYPE_PREFIX = "gov.portal."

SUBMITTED = "gov.portal.case.submitted"
ACCEPTED = "gov.portal.case.accepted"
RETURNED = "gov.portal.case.returned"
TASK_APPROVED = "gov.portal.case.task.approved"
TASK_REJECTED = "gov.portal.case.task.rejected"
DECIDED = "gov.portal.case.decided"
DISPATCHED = "gov.portal.complaint.dispatched"
COMPLAINT_RETURNED = "gov.portal.complaint.returned"
REPLIED = "gov.portal.complaint.replied"
RATED = "gov.portal.case.rated"
# Certificates (电子证照): issued by a decision or a replacement; revoked, or replaced (the
# old one's `revoked` event says `"reason": "replaced"` and names its successor).
CERTIFICATE_ISSUED = "gov.portal.certificate.issued"
CERTIFICATE_REVOKED = "gov.portal.certificate.revoked"

# timeline verb → event type
VERB_TYPES: dict[str, str] = {
    "submit": SUBMITTED,
    "resubmit": SUBMITTED,
    "file_complaint": SUBMITTED,
    "accept": ACCEPTED,
    "return_for_correction": RETURNED,
    "task_approve": TASK_APPROVED,
    "task_deemed_consent": TASK_APPROVED,
    "task_reject": TASK_REJECTED,
    "approve": DECIDED,
    "reject": DECIDED,
    "refuse": DECIDED,
    "dispatch": DISPATCHED,
    "complaint_return": COMPLAINT_RETURNED,
    "reply": REPLIED,
    "rated": RATED,
    "rated_again": RATED,
}

# certificate change (`apps.certificates.signals.certificate_changed`) → event type
CERTIFICATE_VERB_TYPES: dict[str, str] = {
    "issued": CERTIFICATE_ISSUED,
    "revoked": CERTIFICATE_REVOKED,
    "replaced": CERTIFICATE_REVOKED,
}

EMITTED_TYPES: tuple[str, ...] = tuple(
    dict.fromkeys([*VERB_TYPES.values(), *CERTIFICATE_VERB_TYPES.values()])
)
RESERVED_TYPES: tuple[str, ...] = ()
ALL_TYPES: tuple[str, ...] = EMITTED_TYPES + RESERVED_TYPES
