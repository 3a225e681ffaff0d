"""The signed decision and its sealed letter, sent back to the resident."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify
from apps.signatures.services import signature_take

from ...models import Case, may_decide
from ...refusals import duty_check, refusals_audited
from ...signals import case_approved
from ..transitions import case_event_add, case_notification_context, case_transition
from .intake import case_outcome_announce, record_outcome_clock

if TYPE_CHECKING:
    from apps.documents.models import Document


def decision_payload(
    *, case: Case, outcome: str, reasons: str, granted_until: date | None
) -> dict[str, Any]:
    return {
        "case": case.number,
        "service": case.service.code,
        "outcome": outcome,
        "reasons": reasons,
        "granted_until": granted_until.isoformat() if granted_until else None,
        "reviews": [
            {"department": t.department.code, "state": t.state, "opinion": t.opinion}
            for t in case.current_tasks()
        ],
    }


@refusals_audited
def case_decide(
    *,
    case: Case,
    actor: User,
    code: str,
    reasons: str,
    granted_until: date | None = None,
    context: AuditContext | None = None,
) -> Case:
    """The lead department's decision, signed with the decider's own one-time code; the sealed
    decision letter is issued after commit and sent back to the resident. Who may decide is the
    service's (`decision_role`, `four_eyes`): see `apps/cases/duties.py`."""
    case = Case.objects.select_related("service", "lead_department").get(pk=case.pk)
    outcome = case.review_outcome()
    # Before the signature is taken: the deciding role and four eyes (审批分离).
    duty_check(
        rule=may_decide,
        obj=case,
        step={"approved": "approve", "rejected": "reject"}.get(outcome, "decide"),
        actor=actor,
        context=context,
    )
    if case.state != Case.State.IN_REVIEW or outcome == "pending":
        raise ConflictError(_("The case can be decided once every review is finished."))
    if outcome == "rejected" and not reasons.strip():
        raise ApplicationError(
            _("Give the reasons, the legal basis and how to appeal."),
            errors={"reasons": [_("Required.")]},
        )
    signature = signature_take(
        signer=actor,
        payload=decision_payload(
            case=case, outcome=outcome, reasons=reasons, granted_until=granted_until
        ),
        declaration=_("I decide this case as stated, on behalf of %(dept)s.")
        % {"dept": case.lead_department},
        code=code,
        channel="totp",
        context=context,
        target=case,
    )
    from ...tasks import case_decision_letter_task

    params: dict[str, Any] = {"reasons": reasons, "at": timezone.now()}
    if outcome == "approved":
        params["granted_until"] = granted_until
    with transaction.atomic():
        case = case_transition(
            case=case,
            transition="approve" if outcome == "approved" else "reject",
            actor=actor,
            note=reasons,
            department=case.lead_department,
            context=context,
            params=params,
        )
        record_outcome_clock(case=case)
        if outcome == "approved":
            case_approved.send(sender=Case, case=case, actor=actor)
        decided_pk, signature_pk = case.pk, signature.pk
        transaction.on_commit(lambda: case_decision_letter_task.delay(decided_pk, signature_pk))
    return case


@transaction.atomic
def case_decision_letter_issue(*, case_id: int, signature_id: int) -> "Document":
    """Render the decision letter, seal it with the lead department's certificate, attach it to
    the case and send it back to the resident. Once per decision: a retry finds it."""
    from apps.documents.services import document_issue
    from apps.signatures.models import SignatureRecord

    from ...models import CaseDocument

    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("service", "applicant", "lead_department")
        .get(pk=case_id)
    )
    existing = case.case_documents.filter(
        document__kind="decision_letter", created_at__gte=case.decided_at
    ).first()
    if existing is not None:
        result: Document = existing.document
        return result
    signature = SignatureRecord.objects.select_related("signer").get(pk=signature_id)
    profile = getattr(case.applicant, "profile", None)
    approved = case.state == Case.State.APPROVED
    document = document_issue(
        kind="decision_letter",
        title=(_("Approval of %(number)s") if approved else _("Decision on %(number)s"))
        % {"number": case.number},
        template_name="documents/decision_letter.html",
        context={
            "case_number": case.number,
            "service_name": case.service.name,
            "applicant_name": profile.real_name if profile else str(case.applicant),
            "approved": approved,
            "reasons": case.decision_reasons,
            "granted_until": case.granted_until,
            "legal_basis": case.service.legal_basis,
            "department": str(case.lead_department),
            "decided_at": timezone.localtime(case.decided_at),
            "signed_by": str(signature.signer),
            "signature_digest": signature.digest,
            "submitted_at": timezone.localtime(case.submitted_at) if case.submitted_at else None,
        },
        seal=case.lead_department.code,
        created_by=signature.signer,
    )
    CaseDocument.objects.create(case=case, document=document)
    case_event_add(case=case, verb="decision_letter_issued", actor=None)
    transaction.on_commit(lambda: case_outcome_announce(case=case))
    notify(
        event="case.decided",
        recipients=[case.applicant],
        context={
            **case_notification_context(case=case),
            "outcome": case.state,
            "approved": approved,
            "reason": case.decision_reasons,
        },
        dedup_key=f"case:{case.pk}:decided:{document.pk}",
    )
    return document
