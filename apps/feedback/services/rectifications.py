"""Rectification (整改) of a bad rating: opened with a deadline, answered by the department."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import department_staff
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import case_event_add, case_notification_context
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from ..models import Rating, Rectification
from ..selectors import DEPARTMENT_ROLES
from .common import _require_department_role, rectification_days
from .links import rating_invitation_url


def _rectification_open(*, rating: Rating, case: Case) -> Rectification:
    rectification = Rectification.objects.create(
        rating=rating,
        department_id=rating.department_id,
        deadline=add_working_days(timezone.localdate(), rectification_days()),
    )
    audit_record(
        action=AuditAction.RECTIFICATION_OPEN,
        target=rectification,
        data={"case": case.ref, "rating": rating.pk, "deadline": rectification.deadline},
    )
    recipients = department_staff(department=rating.department, roles=DEPARTMENT_ROLES)
    if recipients:
        notify(
            event="feedback.bad_rating",
            recipients=recipients,
            context={
                **case_notification_context(case=case),
                "department": str(rating.department),
                "level": Rating.Level(rating.level).label,
                "rectification_deadline": rectification.deadline,
                "url": reverse("staff:staff_feedback:index"),
            },
            dedup_key=f"bad-rating:{rating.pk}",
        )
    return rectification


@transaction.atomic
def rectification_answer(
    *,
    rectification: Rectification,
    actor: User,
    answer: str,
    context: AuditContext | None = None,
) -> Rectification:
    """The department's answer to a bad rating (整改结果), sent back to the resident (回访) with
    a link to rate again."""
    rectification = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("rating", "rating__case", "rating__case__service", "department")
        .get(pk=rectification.pk)
    )
    _require_department_role(actor, rectification.department)
    if rectification.state != Rectification.State.OPEN:
        raise ConflictError(_("This rectification is no longer open."))
    answer = (answer or "").strip()
    if not answer:
        raise ApplicationError(
            _("Say what the department did about the rating."),
            errors={"answer": [_("Required.")]},
        )
    now = timezone.now()
    case = rectification.rating.case
    rectification.state = Rectification.State.ANSWERED
    rectification.answer = answer
    rectification.answered_by = actor
    rectification.answered_at = now
    rectification.resident_informed_at = now
    rectification.save()
    case_event_add(
        case=case,
        verb="rectification_answered",
        actor=actor,
        note=answer,
        department=rectification.department,
    )
    audit_record(
        action=AuditAction.RECTIFICATION_ANSWER,
        actor=actor,
        target=rectification,
        data={
            "case": case.ref,
            "rating": rectification.rating_id,
            "answer": personal_digest(answer),
        },
        context=context,
    )
    notify(
        event="feedback.rectification_answered",
        recipients=[case.applicant],
        context={
            **case_notification_context(case=case),
            "department": str(rectification.department),
            "answer": answer,
            "url": rating_invitation_url(rating_request=rectification.rating.request),
        },
        dedup_key=f"rectification:{rectification.pk}",
    )
    return rectification
