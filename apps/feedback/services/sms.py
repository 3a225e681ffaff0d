"""Ratings that arrive as an SMS reply (code and level), matched to the applicant's phone."""

import re

from django.utils.translation import gettext as _

from apps.core.exceptions import ApplicationError

from ..models import Rating, RatingRequest
from .ratings import rating_submit

SMS_REPLY = re.compile(r"^\s*(\d{4})\s*[\s,，.#:：-]?\s*([1-5])\s*$")


def normalise_phone(*, phone: str) -> str:
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
    sender = normalise_phone(phone=phone)
    rating_request = (
        RatingRequest.objects.filter(state=RatingRequest.State.OPEN, sms_code=code)
        .select_related("case__applicant__profile")
        .first()
    )
    if rating_request is None or not sender:
        raise ApplicationError(_("No open rating request has this code."))
    applicant = rating_request.case.applicant
    profile = getattr(applicant, "profile", None)
    phones = {normalise_phone(phone=applicant.phone or "")}
    if profile is not None:
        phones.add(normalise_phone(phone=profile.family_phone or ""))
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
