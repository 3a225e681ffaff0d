"""Appeals (申诉) against a rating, filed by the department and decided by a supervisor."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.cases.selectors import is_supervisor
from apps.cases.services import case_event_add
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from .. import selectors
from ..models import Appeal, Rating, Rectification
from .common import _require_department_role


@transaction.atomic
def appeal_file(
    *, rating: Rating, actor: User, reason: str, context: AuditContext | None = None
) -> Appeal:
    """申诉: the rated department asks a supervisor to set aside a mistaken or malicious rating."""
    rating = (
        Rating.objects.select_for_update().select_related("department", "case").get(pk=rating.pk)
    )
    _require_department_role(actor, rating.department)
    if not rating.is_bad:
        raise ConflictError(_("Only a bad rating can be appealed."))
    if rating.excluded or rating.appeals.exists():
        raise ConflictError(_("This rating has already been appealed."))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why the rating is mistaken or malicious."),
            errors={"reason": [_("Required.")]},
        )
    appeal = Appeal.objects.create(
        rating=rating, department=rating.department, reason=reason, filed_by=actor
    )
    case_event_add(
        case=rating.case,
        verb="rating_appealed",
        actor=actor,
        note=reason,
        is_public=False,
        department=rating.department,
    )
    audit_record(
        action=AuditAction.APPEAL_FILE,
        actor=actor,
        target=appeal,
        data={"case": rating.case.ref, "rating": rating.pk, "reason": personal_digest(reason)},
        context=context,
    )
    supervisors = selectors.supervisors()
    if supervisors:
        notify(
            event="feedback.appeal_filed",
            recipients=supervisors,
            context={
                "case_number": rating.case.ref,
                "department": str(rating.department),
                "reason": reason,
                "url": reverse("staff:staff_feedback:index"),
            },
            dedup_key=f"appeal:{appeal.pk}",
        )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    actor: User,
    uphold: bool,
    note: str,
    context: AuditContext | None = None,
) -> Appeal:
    """A supervisor's decision (申诉复核). Upheld: the rating stays, marked excluded from the
    satisfaction rate, and its open rectification is withdrawn."""
    if not actor.is_authenticated or not is_supervisor(user=actor):
        raise PermissionDenied
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("rating", "rating__case")
        .get(pk=appeal.pk)
    )
    if appeal.state != Appeal.State.PENDING:
        raise ConflictError(_("This appeal has already been decided."))
    note = (note or "").strip()
    if not uphold and not note:
        raise ApplicationError(
            _("Say why the appeal is dismissed."),
            errors={"note": [_("Required.")]},
        )
    now = timezone.now()
    appeal.state = Appeal.State.UPHELD if uphold else Appeal.State.DISMISSED
    appeal.decided_by = actor
    appeal.decided_at = now
    appeal.decision_note = note
    appeal.save()
    rating = (
        Rating.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=appeal.rating_id)
    )
    withdrawn = None
    if uphold:
        rating.excluded = True
        rating.save(update_fields=["excluded", "updated_at"])
        withdrawn = (
            Rectification.objects.select_for_update()
            .filter(rating=rating, state=Rectification.State.OPEN)
            .first()
        )
        if withdrawn is not None:
            withdrawn.state = Rectification.State.WITHDRAWN
            withdrawn.save(update_fields=["state", "updated_at"])
    # the answer reads the rating through the appeal: give it the row as it is now, not the
    # copy loaded before the change
    appeal.rating = rating
    case_event_add(
        case=appeal.rating.case,
        verb="appeal_upheld" if uphold else "appeal_dismissed",
        actor=actor,
        note=note,
        is_public=False,
        department=appeal.department,
    )
    audit_record(
        action=AuditAction.APPEAL_UPHOLD if uphold else AuditAction.APPEAL_DISMISS,
        actor=actor,
        target=appeal,
        data={
            "case": appeal.rating.case.ref,
            "rating": rating.pk,
            "level": rating.level,
            "excluded": rating.excluded,
            "rectification_withdrawn": withdrawn.pk if withdrawn is not None else None,
            "note": personal_digest(note),
        },
        context=context,
    )
    notify(
        event="feedback.appeal_decided",
        recipients=[appeal.filed_by],
        context={
            "case_number": appeal.rating.case.ref,
            "upheld": uphold,
            "note": note,
            "url": reverse("staff:staff_feedback:index"),
        },
        dedup_key=f"appeal:{appeal.pk}:decided",
    )
    return appeal
