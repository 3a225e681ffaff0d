"""The print queue: every letter due to the assisted residents of a service point, in one large-type
PDF a day, each letter on its own page with the name and address block and what happens next."""

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import ServicePoint, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case, CaseDocument
from apps.documents.models import Document
from apps.documents.services import document_issue
from apps.notifications.models import Notification
from apps.notifications.selectors import letters_pending
from apps.notifications.services import letter_mark_printed

from ..models import Mandate, PrintBatch
from .mandates import mandate_check

__all__ = [
    "NEXT_STEPS",
    "case_status_letter_issue",
    "print_batch_generate",
    "print_letter_context",
    "print_letters_context",
]

CASE_KEY = re.compile(r"^case:(\d+):")

NEXT_STEPS = {
    "case.submitted": gettext_lazy(
        "The department checks your application and tells you whether it is accepted. "
        "You do not need to do anything now."
    ),
    "case.accepted": gettext_lazy(
        "The department is reviewing your application. We will write to you with the decision."
    ),
    "case.correction_requested": gettext_lazy(
        "Please bring the documents or answers asked for to your service point. "
        "The staff there will help you send them."
    ),
    "case.refused": gettext_lazy(
        "Your application was not accepted. The reasons are above. Staff at your service point "
        "can explain them and help you apply again."
    ),
    "case.decided": gettext_lazy(
        "Keep the decision letter named below. If you disagree, staff at your service point can "
        "help you ask for a review. You may also tell us how satisfied you are."
    ),
}
# Letters go to residents who do not use the portal: what the online texts say to do through a
# link, a letter says to do at the counter.
COUNTER_STEPS = {
    "mandate.created": gettext_lazy(
        "You can revoke this mandate at any time: come to any service point with your ID card "
        "and the staff will do it with you, or call the 12345 hotline."
    ),
    "mandate.revoked": gettext_lazy(
        "Counter staff can no longer act for you under this mandate. To sign a new one, come to "
        "your service point with your ID card."
    ),
    "family.invited": gettext_lazy(
        "To agree to the family account binding, come to your service point with your ID card; "
        "the staff will confirm it with you."
    ),
    "family.bound": gettext_lazy(
        "To end the family account binding, come to your service point with your ID card; the "
        "staff will do it with you."
    ),
    "family.unbound": gettext_lazy(
        "If you did not expect this, come to your service point or call the 12345 hotline."
    ),
}
NEXT_STEPS.update(COUNTER_STEPS)
# A sentence that carries a web address: a paper letter cannot be clicked, so it is left out
# and the letter's next steps say how to do the same at the counter.
URL_SENTENCE = re.compile(r"[^。.!?！？]*https?://\S+[。.]?\s*")
DEFAULT_NEXT_STEP = gettext_lazy(
    "If you have a question, come to your service point or call the 12345 hotline."
)


def _case_id(notification: Notification) -> int | None:
    match = CASE_KEY.match(notification.dedup_key or "")
    return int(match.group(1)) if match else None


def _next_steps(notification: Notification) -> str:
    """What to do next, in the letter's own language like its body."""
    with translation.override(notification.language or None):
        return str(NEXT_STEPS.get(notification.event, DEFAULT_NEXT_STEP))


def print_letter_context(
    *,
    notification: Notification,
    case: Case | None = None,
    case_documents: Iterable[CaseDocument] = (),
) -> dict:
    """One letter of a batch. `case` is the case the letter is about and `case_documents` its
    public documents, loaded once for the whole batch (`print_letters_context`)."""
    recipient: User = notification.recipient
    profile = getattr(recipient, "profile", None)
    # A decision letter names only the decision; other letters name every public document.
    decided = re.search(r":decided:(\d+)$", notification.dedup_key or "")
    documents = [
        link for link in case_documents if not decided or link.document_id == int(decided.group(1))
    ]
    return {
        "name": profile.real_name if profile else str(recipient),
        "address": profile.address if profile else "",
        "subject": notification.subject,
        "body": URL_SENTENCE.sub("", notification.body).strip(),
        "created_at": timezone.localtime(notification.created_at),
        "case_number": case.ref if case else "",
        "next_steps": _next_steps(notification),
        "documents": [
            {
                "title": link.document.title,
                "kind": link.document.get_kind_display(),
                "verification_code": link.document.verification_code,
                "case_number": case.ref,
            }
            for link in documents
        ]
        if case
        else [],
    }


def print_letters_context(*, letters: list[Notification]) -> list[dict]:
    """Every letter's context, with the cases and their public documents loaded in two queries
    whatever the number of letters."""
    case_ids = {case_id for case_id in map(_case_id, letters) if case_id is not None}
    cases = Case.objects.in_bulk(case_ids)
    documents: dict[int, list[CaseDocument]] = defaultdict(list)
    links = (
        CaseDocument.objects.filter(case_id__in=case_ids, is_public=True)
        .select_related("document")
        .order_by("created_at", "pk")
    )
    for link in links:
        documents[link.case_id].append(link)
    contexts = []
    for letter in letters:
        case_id = _case_id(letter)
        if case_id is None:
            contexts.append(print_letter_context(notification=letter))
            continue
        contexts.append(
            print_letter_context(
                notification=letter,
                case=cases.get(case_id),
                case_documents=documents.get(case_id, ()),
            )
        )
    return contexts


@transaction.atomic
def print_batch_generate(
    *,
    service_point: ServicePoint,
    actor: User | None = None,
    context: AuditContext | None = None,
) -> PrintBatch | None:
    """Render every letter waiting at `service_point` into one sealed PDF, mark them printed and
    keep the batch; None when nothing is waiting."""
    letters = list(
        letters_pending(service_point=service_point).select_for_update(
            of=("self",), skip_locked=True
        )
    )
    if not letters:
        return None
    today = timezone.localdate()
    document = document_issue(
        kind="other",
        title=_("Letters for %(point)s, %(date)s") % {"point": service_point, "date": today},
        template_name="documents/print/batch.html",
        context={
            "service_point": service_point,
            "batch_date": today,
            "letters": print_letters_context(letters=letters),
        },
        created_by=actor,
    )
    for letter in letters:
        letter_mark_printed(notification=letter, actor=actor)
    batch = PrintBatch.objects.create(
        service_point=service_point,
        batch_date=today,
        document=document,
        letter_count=len(letters),
        notification_ids=[letter.pk for letter in letters],
        created_by=actor,
    )
    audit_record(
        action=AuditAction.PRINT_BATCH_GENERATE,
        actor=actor,
        target=batch,
        data={
            "service_point": service_point.code,
            "letters": len(letters),
            "document": document.verification_code,
        },
        context=context,
    )
    return batch


STATE_NEXT_STEPS = {
    Case.State.DRAFT: "",
    Case.State.SUBMITTED: "case.submitted",
    Case.State.IN_REVIEW: "case.accepted",
    Case.State.NEEDS_CORRECTION: "case.correction_requested",
    Case.State.NOT_ACCEPTED: "case.refused",
    Case.State.APPROVED: "case.decided",
    Case.State.REJECTED: "case.decided",
}


def case_status_letter_issue(
    *, case: Case, actor: User, mandate: Mandate | None, context: AuditContext | None = None
) -> Document:
    """A large-type letter (receipt or status) for the resident to take home, sealed like any
    document: where the case stands, by when, the documents issued and what happens next.
    Printed for the resident, so under their mandate to the counter (refused with the reason
    otherwise), like every other act on their behalf."""
    mandate_check(
        mandate=mandate, resident=case.applicant, staff=actor, case=case, service=case.service
    )
    profile = getattr(case.applicant, "profile", None)
    links = CaseDocument.objects.filter(case=case, is_public=True).select_related("document")
    event = STATE_NEXT_STEPS.get(case.state, "")
    title = (
        _("Receipt for %(number)s")
        if case.state == Case.State.SUBMITTED
        else _("Status of %(number)s")
    ) % {"number": case.ref}
    document = document_issue(
        kind="status_letter",
        title=title,
        template_name="documents/print/status_letter.html",
        context={
            "name": profile.real_name if profile else str(case.applicant),
            "address": profile.address if profile else "",
            "service_point": (profile.service_point if profile else "") or "",
            "service_name": case.service.name,
            "case_number": case.ref,
            "state": case.get_state_display(),
            "deadline": case.deadline,
            "reasons": case.decision_reasons,
            "next_steps": str(NEXT_STEPS.get(event, DEFAULT_NEXT_STEP)),
            "documents": [
                {"title": link.document.title, "verification_code": link.document.verification_code}
                for link in links
            ],
        },
        created_by=actor,
    )
    audit_record(
        action=AuditAction.LETTER_PRINT,
        actor=actor,
        on_behalf_of=case.applicant,
        target=case,
        data={"document": document.verification_code, "state": case.state},
        context=context,
    )
    return document
