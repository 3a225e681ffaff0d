"""Writes for 好差评: the rating request after an outcome, the rating on every channel, the
rectification (整改) of a bad rating, the appeal (申诉), and the sweep that invites by SMS and
expires unrated requests. Each command is one transaction with its audit event; notifications
are queued by `notify` and sent after the commit."""

import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from apps.accounts.models import StaffMembership, User
from apps.accounts.selectors import department_staff
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import case_event_add, case_notification_context, case_transition
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.sms import send_sms
from apps.notifications.services import notify

from . import selectors
from .indicators import SUB_INDICATORS, indicator_kind
from .models import Appeal, Rating, RatingRequest, Rectification

logger = logging.getLogger(__name__)

DEPARTMENT_ROLES = (StaffMembership.Role.CLERK, StaffMembership.Role.LEAD)
OUTCOME_STATES = (Case.State.APPROVED, Case.State.REJECTED, Case.State.NOT_ACCEPTED)
SMS_INVITATION_AFTER = timedelta(days=3)
COMMENT_MAX_LENGTH = 2000


def rating_window_days() -> int:
    return int(getattr(settings, "FEEDBACK_RATING_WINDOW_DAYS", 15))


def rectification_days() -> int:
    return int(getattr(settings, "FEEDBACK_RECTIFICATION_DAYS", 5))


def rate_url(case: Case) -> str:
    return reverse("feedback:rate", args=[case.ref])


def _new_sms_code() -> str:
    """Four digits no open request uses (the reply is matched by code and phone)."""
    for _attempt in range(50):
        code = f"{secrets.randbelow(10000):04d}"
        if not RatingRequest.objects.filter(state=RatingRequest.State.OPEN, sms_code=code).exists():
            return code
    raise RuntimeError("No free SMS reply code")


def _identity_hidden(case: Case) -> bool:
    return bool(getattr(case, "hide_identity", False) or (case.answers or {}).get("hide_identity"))


# --- the request -------


@transaction.atomic
def rating_request_open(*, case: Case) -> RatingRequest:
    """Ask the resident to rate the outcome the case just reached (once per outcome), open for
    FEEDBACK_RATING_WINDOW_DAYS calendar days, and tell them on their channels."""
    case = Case.objects.select_for_update().select_related("service", "applicant").get(pk=case.pk)
    outcome_at = case.decided_at or timezone.now()
    existing = case.rating_requests.filter(outcome_at=outcome_at).first()
    if existing is not None:
        return existing
    if case.lead_department_id is None:
        raise ConflictError(_("This case has no department to rate."))
    now = timezone.now()
    # A new outcome replaces an earlier request still open (a complaint answered again).
    case.rating_requests.filter(state=RatingRequest.State.OPEN).update(
        state=RatingRequest.State.EXPIRED, updated_at=now
    )
    last_round = case.rating_requests.order_by("-round").values_list("round", flat=True).first()
    for attempt in range(3):
        try:
            with transaction.atomic():
                request = RatingRequest.objects.create(
                    case=case,
                    department_id=case.lead_department_id,
                    round=(last_round or 0) + 1,
                    outcome_at=outcome_at,
                    opened_at=now,
                    closes_at=now + timedelta(days=rating_window_days()),
                    sms_code=_new_sms_code(),
                )
            break
        except IntegrityError:  # two requests drew the same free code at once
            if attempt == 2:
                raise
    case_event_add(case=case, verb="rating_requested", actor=None)
    audit_record(
        action="feedback.request.open",
        target=request,
        data={"case": case.ref, "round": request.round, "closes_at": request.closes_at},
    )
    notify(
        event="case.rating_requested",
        recipients=[case.applicant],
        context={
            **case_notification_context(case),
            "url": rate_url(case),
            "closes_at": timezone.localtime(request.closes_at).date(),
            "reply_code": request.sms_code,
        },
        dedup_key=f"rating-request:{request.pk}",
    )
    return request


# --- the rating -------


def _clean_sub_scores(case: Case, level: int, sub_scores: dict | None) -> dict:
    allowed = SUB_INDICATORS[indicator_kind(case)]
    sub_scores = dict(sub_scores or {})
    unknown = sorted(set(sub_scores) - set(allowed))
    if unknown:
        raise ApplicationError(
            _("Unknown sub-indicators for this service: %(keys)s.") % {"keys": ", ".join(unknown)},
            extra={
                "errors": {
                    "sub_scores": [
                        _("Use only: %(keys)s.") % {"keys": ", ".join(allowed)},
                    ]
                }
            },
        )
    cleaned = {}
    for key, value in sub_scores.items():
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1 or number > 5 or isinstance(value, bool):
            raise ApplicationError(
                _("Each sub-indicator is rated from 1 to 5."),
                extra={"errors": {"sub_scores": [_("Each sub-indicator is rated from 1 to 5.")]}},
            )
        cleaned[key] = number
    # The level is the overall satisfaction when it was not given separately.
    cleaned.setdefault("overall", level)
    return cleaned


def _clean_level(level) -> int:
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Rating.Level.values:
        raise ApplicationError(
            _("Choose how satisfied you are."),
            extra={"errors": {"level": [_("Choose a rating from 1 to 5.")]}},
        )
    return level


def _rerate_target(request: RatingRequest, now: datetime) -> Rating | None:
    """The rating the resident may replace: its rectification is answered, not yet re-rated,
    and the answer came within the rating window."""
    latest = selectors.latest_rating(request)
    if latest is None:
        return None
    rectification = Rectification.objects.filter(rating=latest).first()
    if (
        rectification is not None
        and rectification.state == Rectification.State.ANSWERED
        and rectification.answered_at + timedelta(days=rating_window_days()) > now
    ):
        return latest
    return None


@transaction.atomic
def rating_submit(
    *,
    case: Case,
    rater: User,
    level: int,
    sub_scores: dict | None,
    comment: str,
    channel: str,
    entered_by: User | None = None,
    request: HttpRequest | None = None,
) -> Rating:
    """Record the resident's rating of the open request (or, once, again after a rectification
    answer). The first rating closes the case; a bad one opens a rectification for the
    department. `entered_by`: counter staff typing it in for the resident."""
    if rater.pk != case.applicant_id:
        raise PermissionDenied
    now = timezone.now()
    rating_request = (
        RatingRequest.objects.select_for_update().filter(case=case).order_by("-round").first()
    )
    if rating_request is None:
        raise ConflictError(_("There is nothing to rate on this case yet."))
    supersedes = None
    if rating_request.state == RatingRequest.State.OPEN:
        if now >= rating_request.closes_at:
            raise ConflictError(_("The time to rate this case is over."))
    elif rating_request.state == RatingRequest.State.RATED:
        supersedes = _rerate_target(rating_request, now)
        if supersedes is None:
            raise ConflictError(_("You have already rated this case."))
    else:
        raise ConflictError(_("The time to rate this case is over."))
    case = Case.objects.select_related("service", "applicant").get(pk=case.pk)
    level = _clean_level(level)
    cleaned = _clean_sub_scores(case, level, sub_scores)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ApplicationError(
            _("The comment is too long."),
            extra={
                "errors": {
                    "comment": [
                        _("Use at most %(n)d characters.") % {"n": COMMENT_MAX_LENGTH},
                    ]
                }
            },
        )
    if channel not in Rating.Channel.values:
        raise ApplicationError(_("Unknown channel."))
    if channel == Rating.Channel.COUNTER and entered_by is None:
        raise ApplicationError(_("A counter rating names the staff member who entered it."))
    rating = Rating.objects.create(
        request=rating_request,
        case=case,
        department_id=rating_request.department_id,
        level=level,
        channel=channel,
        sub_scores=cleaned,
        comment=comment,
        rater=rater,
        entered_by=entered_by,
        supersedes=supersedes,
        identity_hidden=_identity_hidden(case),
    )
    actor = entered_by or rater
    on_behalf_of = rater if entered_by is not None else None
    audit_record(
        action="feedback.rating.submit",
        actor=actor,
        on_behalf_of=on_behalf_of,
        target=rating,
        data={
            "case": case.ref,
            "level": level,
            "channel": channel,
            "sub_scores": cleaned,
            "supersedes": supersedes.pk if supersedes else None,
        },
        request=request,
    )
    case_event_add(
        case=case,
        verb="rated_again" if supersedes else "rated",
        actor=actor,
        on_behalf_of=on_behalf_of,
        department=rating_request.department,
    )
    if supersedes is None:
        rating_request.state = RatingRequest.State.RATED
        rating_request.save(update_fields=["state", "updated_at"])
        if can_proceed(case.close):
            case_transition(
                case=case,
                transition="close",
                actor=actor,
                on_behalf_of=on_behalf_of,
                permission_checked=True,
                note=_("Closed after the resident's rating."),
                request=request,
            )
    if rating.is_bad:
        _rectification_open(rating=rating, case=case)
    return rating


def _rectification_open(*, rating: Rating, case: Case) -> Rectification:
    rectification = Rectification.objects.create(
        rating=rating,
        department_id=rating.department_id,
        deadline=add_working_days(timezone.localdate(), rectification_days()),
    )
    audit_record(
        action="feedback.rectification.open",
        target=rectification,
        data={"case": case.ref, "rating": rating.pk, "deadline": rectification.deadline},
    )
    recipients = department_staff(rating.department, *DEPARTMENT_ROLES)
    if recipients:
        notify(
            event="feedback.bad_rating",
            recipients=recipients,
            context={
                **case_notification_context(case),
                "department": str(rating.department),
                "level": Rating.Level(rating.level).label,
                "rectification_deadline": rectification.deadline,
                "url": reverse("staff:staff_feedback:index"),
            },
            dedup_key=f"bad-rating:{rating.pk}",
        )
    return rectification


SMS_REPLY = re.compile(r"^\s*(\d{4})\s*[\s,，.#:：-]?\s*([1-5])\s*$")


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def rating_sms_reply(*, phone: str, text: str) -> Rating:
    """An SMS reply "4821 5": the code of an open request and a level from 5 to 1, from the
    applicant's phone (or the family phone they gave)."""
    match = SMS_REPLY.match(text or "")
    if match is None:
        raise ApplicationError(_("The reply is not a code followed by a number from 1 to 5."))
    code, level = match.group(1), int(match.group(2))
    sender = normalise_phone(phone)
    rating_request = (
        RatingRequest.objects.filter(state=RatingRequest.State.OPEN, sms_code=code)
        .select_related("case__applicant__profile")
        .first()
    )
    if rating_request is None or not sender:
        raise ApplicationError(_("No open rating request has this code."))
    applicant = rating_request.case.applicant
    profile = getattr(applicant, "profile", None)
    phones = {normalise_phone(applicant.phone or "")}
    if profile is not None:
        phones.add(normalise_phone(profile.family_phone or ""))
    if sender not in phones:
        raise ApplicationError(_("No open rating request has this code."))
    return rating_submit(
        case=rating_request.case,
        rater=applicant,
        level=level,
        sub_scores={},
        comment="",
        channel=Rating.Channel.SMS,
    )


# --- rectification and appeal -------


def _require_department_role(actor: User, department) -> None:
    if not actor.is_authenticated or not (actor.roles_in(department) & set(DEPARTMENT_ROLES)):
        raise PermissionDenied


@transaction.atomic
def rectification_answer(
    *,
    rectification: Rectification,
    actor: User,
    answer: str,
    request: HttpRequest | None = None,
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
            extra={"errors": {"answer": [_("Required.")]}},
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
        action="feedback.rectification.answer",
        actor=actor,
        target=rectification,
        data={"case": case.ref, "rating": rectification.rating_id, "answer": answer},
        request=request,
    )
    notify(
        event="feedback.rectification_answered",
        recipients=[case.applicant],
        context={
            **case_notification_context(case),
            "department": str(rectification.department),
            "answer": answer,
            "url": rate_url(case),
        },
        dedup_key=f"rectification:{rectification.pk}",
    )
    return rectification


@transaction.atomic
def appeal_file(
    *, rating: Rating, actor: User, reason: str, request: HttpRequest | None = None
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
            extra={"errors": {"reason": [_("Required.")]}},
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
        action="feedback.appeal.file",
        actor=actor,
        target=appeal,
        data={"case": rating.case.ref, "rating": rating.pk, "reason": reason},
        request=request,
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
    request: HttpRequest | None = None,
) -> Appeal:
    """A supervisor's decision (申诉复核). Upheld: the rating stays, marked excluded from the
    satisfaction rate, and its open rectification is withdrawn."""
    if not selectors.is_supervisor(actor):
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
            extra={"errors": {"note": [_("Required.")]}},
        )
    now = timezone.now()
    appeal.state = Appeal.State.UPHELD if uphold else Appeal.State.DISMISSED
    appeal.decided_by = actor
    appeal.decided_at = now
    appeal.decision_note = note
    appeal.save()
    rating = Rating.objects.select_for_update().get(pk=appeal.rating_id)
    if uphold:
        rating.excluded = True
        rating.save(update_fields=["excluded", "updated_at"])
        Rectification.objects.filter(rating=rating, state=Rectification.State.OPEN).update(
            state=Rectification.State.WITHDRAWN, updated_at=now
        )
    case_event_add(
        case=appeal.rating.case,
        verb="appeal_upheld" if uphold else "appeal_dismissed",
        actor=actor,
        note=note,
        is_public=False,
        department=appeal.department,
    )
    audit_record(
        action="feedback.appeal.uphold" if uphold else "feedback.appeal.dismiss",
        actor=actor,
        target=appeal,
        data={
            "case": appeal.rating.case.ref,
            "rating": rating.pk,
            "level": rating.level,
            "excluded": rating.excluded,
            "note": note,
        },
        request=request,
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


# --- the sweep -------


@dataclass
class SweepReport:
    opened: list[int] = field(default_factory=list)
    invited: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)


def _invitation_phone(user: User) -> str:
    profile = getattr(user, "profile", None)
    return user.phone or (profile.family_phone if profile is not None else "") or ""


def _invitation_text(request: RatingRequest) -> str:
    case = request.case
    language = case.applicant.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _(
            "Please rate case %(number)s (%(service)s): reply %(code)s and a number from 5 (very "
            "satisfied) to 1 (very dissatisfied), for example “%(code)s 5”. Or rate online: "
            "%(url)s"
        ) % {
            "number": case.ref,
            "service": case.service.name,
            "code": request.sms_code,
            "url": getattr(settings, "PORTAL_BASE_URL", "").rstrip("/") + rate_url(case),
        }


def _sms_invite(request_id: int, now: datetime) -> bool:
    with transaction.atomic():
        request = (
            RatingRequest.objects.select_for_update(of=("self",))
            .select_related("case__applicant__profile", "case__service")
            .get(pk=request_id)
        )
        if request.state != RatingRequest.State.OPEN or request.sms_invited_at is not None:
            return False
        phone = _invitation_phone(request.case.applicant)
        if not phone:
            return False
        # The provider drops a repeat with the same key if we die before the commit.
        send_sms(
            to=phone,
            body=_invitation_text(request),
            idempotency_key=f"rating-invitation:{request.pk}",
        )
        request.sms_invited_at = now
        request.save(update_fields=["sms_invited_at", "updated_at"])
        audit_record(action="feedback.request.sms_invite", target=request, data={"to": phone})
        return True


def _expire(request_id: int, now: datetime) -> bool:
    with transaction.atomic():
        request = RatingRequest.objects.select_for_update().get(pk=request_id)
        if request.state != RatingRequest.State.OPEN or request.closes_at > now:
            return False
        request.state = RatingRequest.State.EXPIRED
        request.save(update_fields=["state", "updated_at"])
        audit_record(action="feedback.request.expire", target=request, data={"unrated": True})
        case = Case.objects.get(pk=request.case_id)
        if can_proceed(case.close):
            case_transition(
                case=case,
                transition="close",
                actor=None,
                permission_checked=True,
                note=_("Closed: the time to rate is over (not rated)."),
            )
        return True


def feedback_sweep(*, now: datetime | None = None) -> SweepReport:
    """Celery beat: open requests a lost signal missed, send the SMS invitation 3 days after the
    outcome when no rating came (once), and expire requests past their window, closing the case.
    Unrated stays unrated: no rating is ever made up. Idempotent."""
    now = now or timezone.now()
    report = SweepReport()
    window = timedelta(days=rating_window_days())
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
    for request_id in list(invite_ids):
        if _sms_invite(request_id, now):
            report.invited.append(request_id)
    expire_ids = RatingRequest.objects.filter(
        state=RatingRequest.State.OPEN, closes_at__lte=now
    ).values_list("pk", flat=True)
    for request_id in list(expire_ids):
        if _expire(request_id, now):
            report.expired.append(request_id)
    return report
