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
# Reserved for the certificates (电子证照) once they are issued: not emitted yet.
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

EMITTED_TYPES: tuple[str, ...] = tuple(dict.fromkeys(VERB_TYPES.values()))
RESERVED_TYPES: tuple[str, ...] = (CERTIFICATE_ISSUED, CERTIFICATE_REVOKED)
ALL_TYPES: tuple[str, ...] = EMITTED_TYPES + RESERVED_TYPES
