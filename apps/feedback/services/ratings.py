"""The rating request after an outcome and the rating itself, on the web, API or desk."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import case_event_add, case_notification_context, case_transition
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from .. import selectors
from ..indicators import SUB_INDICATORS, indicator_kind
from ..models import Rating, RatingRequest
from .common import COMMENT_MAX_LENGTH
from .links import rating_invitation_url
from .rectifications import _rectification_open


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
    last_round = case.rating_requests.order_by("-round").values_list("round", flat=True).first()
    # A new outcome replaces an earlier request still open (a complaint answered again).
    for replaced in case.rating_requests.select_for_update().filter(state=RatingRequest.State.OPEN):
        replaced.state = RatingRequest.State.EXPIRED
        replaced.save(update_fields=["state", "updated_at"])
        audit_record(
            action=AuditAction.RATING_REQUEST_EXPIRE,
            target=replaced,
            data={"unrated": True, "replaced_by_round": (last_round or 0) + 1},
        )
    for attempt in range(3):
        try:
            with transaction.atomic():
                request = RatingRequest.objects.create(
                    case=case,
                    department_id=case.lead_department_id,
                    round=(last_round or 0) + 1,
                    outcome_at=outcome_at,
                    opened_at=now,
                    closes_at=now + timedelta(days=selectors.rating_window_days()),
                    sms_code=_new_sms_code(),
                )
            break
        except IntegrityError:  # two requests drew the same free code at once
            if attempt == 2:
                raise
    case_event_add(case=case, verb="rating_requested", actor=None)
    audit_record(
        action=AuditAction.RATING_REQUEST_OPEN,
        target=request,
        data={"case": case.ref, "round": request.round, "closes_at": request.closes_at},
    )
    notify(
        event="case.rating_requested",
        recipients=[case.applicant],
        context={
            **case_notification_context(case=case),
            # The signed link for a reporter without an account, the rating page otherwise.
            "url": rating_invitation_url(rating_request=request),
            "state": case.state,
            "sms_reply": bool(getattr(settings, "SMS_INBOUND_TOKEN", "")),
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
            errors={
                "sub_scores": [
                    _("Use only: %(keys)s.") % {"keys": ", ".join(allowed)},
                ]
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
                errors={"sub_scores": [_("Each sub-indicator is rated from 1 to 5.")]},
            )
        cleaned[key] = number
    # The level is the overall satisfaction when it was not given separately.
    cleaned.setdefault("overall", level)
    return cleaned


def _clean_level(level: int | str | None) -> int:
    try:
        number = int(level or 0)
    except (TypeError, ValueError):
        number = 0
    if number not in Rating.Level.values:
        raise ApplicationError(
            _("Choose how satisfied you are."),
            errors={"level": [_("Choose a rating from 1 to 5.")]},
        )
    return number


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
    context: AuditContext | None = None,
) -> Rating:
    """Record the resident's rating of the open request (or, once, again after a rectification
    answer). The first rating closes the case; a bad one opens a rectification for the
    department. `entered_by`: counter staff typing it in for the resident, or a family proxy
    (亲情账号) rating on the web or through the API, who must hold the applicant's grant to act on
    the case (`cases.change_case`, given by the binding and withdrawn when it ends)."""
    if rater.pk != case.applicant_id:
        raise PermissionDenied
    if (
        entered_by is not None
        and channel != Rating.Channel.COUNTER
        and entered_by.pk != rater.pk
        and not entered_by.has_perm("cases.change_case", case)
    ):
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
        supersedes = selectors.rerate_target(request=rating_request, now=now)
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
            errors={
                "comment": [
                    _("Use at most %(n)d characters.") % {"n": COMMENT_MAX_LENGTH},
                ]
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
        action=AuditAction.RATING_SUBMIT,
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
        context=context,
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
                note=_("Closed after the resident's rating."),
                context=context,
            )
    if rating.is_bad:
        _rectification_open(rating=rating, case=case)
    return rating
