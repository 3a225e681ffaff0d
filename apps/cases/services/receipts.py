"""The receipt of a submission: rendered and sealed once, after the submission commits."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.catalog.services import answers_summary

from ..models import Case, CaseDocument
from .transitions import case_event_add

if TYPE_CHECKING:
    from apps.documents.models import Document

__all__ = ["case_receipt_issue"]


@transaction.atomic
def case_receipt_issue(*, case_id: int) -> "Document | None":
    """Render and seal the receipt once per submission; a retry finds it and does nothing."""
    from apps.documents.services import document_issue

    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("service", "version", "applicant")
        .get(pk=case_id)
    )
    submitted = case.events.filter(verb__in=["submit", "resubmit"]).order_by("-id").first()
    if submitted is None:
        return None
    existing = case.case_documents.filter(
        document__kind="receipt", created_at__gte=submitted.created_at
    ).first()
    if existing is not None:
        result: Document | None = existing.document
        return result
    profile = getattr(case.applicant, "profile", None)
    document = document_issue(
        kind="receipt",
        title=_("Receipt for %(number)s") % {"number": case.number},
        template_name="documents/receipt.html",
        context={
            "case_number": case.number,
            "service_name": case.service.name,
            "submitted_at": timezone.localtime(submitted.created_at),
            "deadline": case.deadline,
            "applicant_name": profile.real_name if profile else str(case.applicant),
            "answers": answers_summary(
                version=case.version, answers=case.answers, mask_id_numbers=True
            ),
            "next_steps": _(
                "The department checks your application and tells you whether it is accepted. "
                "You will hear from us by %(deadline)s at the latest."
            )
            % {"deadline": case.deadline},
        },
    )
    CaseDocument.objects.create(case=case, document=document)
    case_event_add(case=case, verb="receipt_issued", actor=None)
    return document
