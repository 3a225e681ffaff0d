"""The periodic sweep: late requests opened, SMS invitations sent, unrated ones expired."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import case_transition
from apps.core.exceptions import ApplicationError
from apps.core.sms import send_sms

from .. import selectors
from ..models import RatingRequest
from .links import rating_invitation_url
from .ratings import rating_request_open

logger = logging.getLogger(__name__)

SMS_INVITATION_AFTER = timedelta(days=3)


@dataclass
class SweepReport:
    opened: list[int] = field(default_factory=list)
    invited: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)


def _invitation_phone(user: User) -> str:
    profile = getattr(user, "profile", None)
    return user.phone or (profile.family_phone if profile is not None else "") or ""


def _invitation_text(rating_request: RatingRequest) -> str:
    case = rating_request.case
    language = case.applicant.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _(
            "Please rate case %(number)s (%(service)s): reply %(code)s and a number from 5 (very "
            "satisfied) to 1 (very dissatisfied), for example “%(code)s 5”. Or rate online: "
            "%(url)s"
        ) % {
            "number": case.ref,
            "service": case.service.name,
            "code": rating_request.sms_code,
            "url": rating_invitation_url(rating_request=rating_request),
        }


def _sms_invite(request_id: int, now: datetime) -> bool:
    with transaction.atomic():
        rating_request = (
            RatingRequest.objects.select_for_update(of=("self",))
            .select_related("case__applicant__profile", "case__service")
            .get(pk=request_id)
        )
        if (
            rating_request.state != RatingRequest.State.OPEN
            or rating_request.sms_invited_at is not None
        ):
            return False
        phone = _invitation_phone(rating_request.case.applicant)
        if not phone:
            return False
        # The provider drops a repeat with the same key if we die before the commit.
        send_sms(
            to=phone,
            body=_invitation_text(rating_request),
            idempotency_key=f"rating-invitation:{rating_request.pk}",
        )
        rating_request.sms_invited_at = now
        rating_request.save(update_fields=["sms_invited_at", "updated_at"])
        audit_record(
            action=AuditAction.RATING_REQUEST_SMS_INVITE,
            target=rating_request,
            data={"to": personal_digest(phone)},
        )
        return True


def _expire(request_id: int, now: datetime) -> bool:
    with transaction.atomic():
        rating_request = RatingRequest.objects.select_for_update().get(pk=request_id)
        if rating_request.state != RatingRequest.State.OPEN or rating_request.closes_at > now:
            return False
        rating_request.state = RatingRequest.State.EXPIRED
        rating_request.save(update_fields=["state", "updated_at"])
        audit_record(
            action=AuditAction.RATING_REQUEST_EXPIRE, target=rating_request, data={"unrated": True}
        )
        case = Case.objects.get(pk=rating_request.case_id)
        if can_proceed(case.close):
            case_transition(
                case=case,
                transition="close",
                actor=None,
                note=_("Closed: the time to rate is over (not rated)."),
            )
        return True


def feedback_sweep(*, now: datetime | None = None) -> SweepReport:
    """Celery beat: open requests a lost signal missed, send the SMS invitation 3 days after the
    outcome when no rating came (once), and expire requests past their window, closing the case.
    Unrated stays unrated: no rating is ever made up. Idempotent."""
    now = now or timezone.now()
    report = SweepReport()
    window = timedelta(days=selectors.rating_window_days())
    for case in selectors.outcomes_without_request(since=now - window):
        try:
            report.opened.append(rating_request_open(case=case).pk)
        except ApplicationError:
            logger.warning("No rating request for case %s", case.pk)
    invite_ids = RatingRequest.objects.filter(
        state=RatingRequest.State.OPEN,
        sms_invited_at__isnull=True,
        outcome_at__lte=now - SMS_INVITATION_AFTER,
        closes_at__gt=now,
    ).values_list("pk", flat=True)
    for rating_request_id in list(invite_ids):
        if _sms_invite(rating_request_id, now):
            report.invited.append(rating_request_id)
    expire_ids = RatingRequest.objects.filter(
        state=RatingRequest.State.OPEN, closes_at__lte=now
    ).values_list("pk", flat=True)
    for rating_request_id in list(expire_ids):
        if _expire(rating_request_id, now):
            report.expired.append(rating_request_id)
    return report
