"""Anonymising one case past its retention period: the personal data goes, the skeleton stays.

What goes: the reporter's name and phone, the address and the map point, the description,
the answers and the correction request, every free text that may name someone (the timeline's
notes, the review opinions, the decision's reasons, the question and its answer, the return
reasons, extension reasons, rating comments, rectification answers, appeal reasons and
decisions), the followers, the Open311 media links, the signed payloads (the digests stay),
the notifications about the case, and every attachment, photo and issued document's file
(deleted from storage; its SHA-256 stays in a `RemovedFile`). The applicant's account goes
through `resident_anonymise` once none of their cases still holds personal data and they have
not signed in for the period.

What stays: the case row (number, service, kind, channel, department, states, the dates and
the outcome figures the metrics count), the timeline's lines (verbs, states, who acted, when,
the department), the review tasks' states, rating levels, the documents' rows (verification
code and hash) and the audit trail, which never held the personal data itself
(apps/audit/personal.py), so its chain still verifies.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.cases.models import (
    Attachment,
    Case,
    CaseDocument,
    CaseEvent,
    ExtensionRequest,
    ReviewTask,
)
from apps.complaints.models import MediaLink
from apps.documents.models import Document
from apps.feedback.models import Appeal, Rating, RatingRequest, Rectification
from apps.notifications.models import Notification
from apps.privacy.services import mandate_evidence_remove, resident_anonymise
from apps.signatures.models import SignatureRecord
from apps.signatures.services import signature_payloads_erase

from ..models import CaseRetention, RemovedFile


def _notifications_about(case: Case) -> Q:
    """The notifications' idempotency keys that name this case or one of its rows."""
    keys = Q(dedup_key__startswith=f"case:{case.pk}:") | Q(
        dedup_key__startswith=f"complaint:{case.pk}:"
    )
    for pk in ReviewTask.objects.filter(case=case).values_list("pk", flat=True):
        keys |= Q(dedup_key__startswith=f"task:{pk}:")
    for pk in ExtensionRequest.objects.filter(case=case).values_list("pk", flat=True):
        keys |= Q(dedup_key=f"extension:{pk}")
    for pk in RatingRequest.objects.filter(case=case).values_list("pk", flat=True):
        keys |= Q(dedup_key=f"rating-request:{pk}")
    for pk in Rating.objects.filter(case=case).values_list("pk", flat=True):
        keys |= Q(dedup_key=f"bad-rating:{pk}")
    for pk in Rectification.objects.filter(rating__case=case).values_list("pk", flat=True):
        keys |= Q(dedup_key=f"rectification:{pk}")
    for pk in Appeal.objects.filter(rating__case=case).values_list("pk", flat=True):
        keys |= Q(dedup_key__startswith=f"appeal:{pk}")
    return keys


def _files_remove(case: Case, now: datetime) -> int:
    """Delete the case's attachments, photos and documents from storage, keeping their hashes."""
    removed = []
    for attachment in Attachment.objects.filter(case=case):
        removed.append(
            RemovedFile(
                case=case,
                kind=RemovedFile.Kind.ATTACHMENT,
                sha256=attachment.sha256,
                size=attachment.size,
                removed_at=now,
            )
        )
        if attachment.file:
            attachment.file.delete(save=False)
        attachment.delete()
    document_ids = list(
        CaseDocument.objects.filter(case=case).values_list("document_id", flat=True)
    )
    for document in Document.objects.filter(pk__in=document_ids).exclude(file=""):
        size = 0
        try:
            size = document.file.size
        except OSError:
            size = 0
        removed.append(
            RemovedFile(
                case=case,
                kind=RemovedFile.Kind.DOCUMENT,
                sha256=document.sha256,
                size=size,
                removed_at=now,
            )
        )
        document.file.delete(save=False)
        # The title may name the resident; the row keeps its code and hash for /verify/.
        Document.objects.filter(pk=document.pk).update(file="", title=document.get_kind_display())
    # The case's pages list only what can still be opened.
    CaseDocument.objects.filter(case=case).delete()
    RemovedFile.objects.bulk_create(removed)
    return len(removed)


def _applicant_forget_if_done(user: User, cutoff: datetime) -> bool:
    """The account goes too once no case of theirs keeps personal data and they have not been
    seen since `cutoff` (an active resident keeps the account for their newer cases)."""
    if user.is_staff_member:
        return False
    if user.username.startswith("closed-"):
        # Closed while a case was on hold, its mandates' evidence stayed; this case was the
        # hold's, so what no held case needs any more goes now.
        mandate_evidence_remove(resident=user)
        return False
    if user.last_login is not None and user.last_login >= cutoff:
        return False
    kept = (
        Case.objects.filter(applicant=user).exclude(retention__anonymised_at__isnull=False).exists()
    )
    if kept:
        return False
    resident_anonymise(user=user, reason="retention")
    return True


def case_anonymise(
    *, case: Case, now: datetime | None = None, account_cutoff: datetime
) -> dict[str, int]:
    """Remove the personal data from one ended case past its retention period, in the caller's
    transaction (the batch's), and audit it. The case must not be on legal hold (the run never
    selects one); a case already anonymised is left alone. Returns counts."""
    now = now or timezone.now()
    state, _created = CaseRetention.objects.get_or_create(case=case)
    if state.anonymised_at is not None or state.legal_hold:
        return {}
    counts = {"files": _files_remove(case, now)}
    Case.objects.filter(pk=case.pk).update(
        answers={},
        correction_request={},
        description="",
        address="",
        latitude=None,
        longitude=None,
        reporter_name="",
        reporter_phone="",
        decision_reasons="",
        return_reason="",
        question="",
        question_answer="",
        tracking_code_hash="",
        updated_at=now,
    )
    case.followers.clear()
    counts["timeline_notes"] = CaseEvent.objects.filter(case=case).exclude(note="").update(note="")
    counts["opinions"] = ReviewTask.objects.filter(case=case).exclude(opinion="").update(opinion="")
    ExtensionRequest.objects.filter(case=case).update(reason="")
    counts["rating_comments"] = (
        Rating.objects.filter(case=case).exclude(comment="").update(comment="")
    )
    Rectification.objects.filter(rating__case=case).update(answer="")
    Appeal.objects.filter(rating__case=case).update(reason="", decision_note="")
    counts["media_links"] = MediaLink.objects.filter(case=case).delete()[0]
    counts["notifications"] = Notification.objects.filter(_notifications_about(case)).delete()[0]
    signatures = set(
        SignatureRecord.objects.filter(
            target_type="cases.case", target_id=str(case.pk)
        ).values_list("pk", flat=True)
    )
    if case.signature_id:
        signatures.add(case.signature_id)
    counts["signatures"] = signature_payloads_erase(record_ids=signatures)
    state.anonymised_at = now
    state.save(update_fields=["anonymised_at"])
    applicant = User.objects.get(pk=case.applicant_id)
    counts["account"] = int(_applicant_forget_if_done(applicant, account_cutoff))
    audit_record(action=AuditAction.RETENTION_CASE_ANONYMISE, target=case, data=counts)
    return counts
