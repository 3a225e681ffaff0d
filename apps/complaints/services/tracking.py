"""The extraction code (提取码): how a reporter without an account finds their complaint."""

from __future__ import annotations

import logging
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from apps.cases.models import REFERENCE_ALPHABET, Case
from apps.core.exceptions import ApplicationError, TooManyAttemptsError
from apps.core.limits import limit_hit
from apps.core.sms import send_sms

from ..models import Complaint

logger = logging.getLogger(__name__)


def _tracking_code_new() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def _tracking_digest(number: str, code: str) -> str:
    return salted_hmac("complaints.tracking-code", f"{number}:{code.strip().upper()}").hexdigest()


def tracking_code_matches(*, case: Case, code: str) -> bool:
    if not case.tracking_code_hash or not case.number or not code:
        return False
    return constant_time_compare(case.tracking_code_hash, _tracking_digest(case.number, code))


def complaint_track(*, number: str, code: str, client_ip: str) -> Case:
    """The complaint for a number and extraction code, for anyone holding both. Five attempts per
    address and number in 15 minutes (RATE_LIMITS["complaint-track"], counted for every web
    worker together); then a refusal (429) even with the right code, saying how long to wait."""
    number = (number or "").strip().upper()
    limit_hit(
        name="complaint-track",
        key=[client_ip, number],
        message=_("Too many attempts for this case number."),
    )
    case: Complaint | None = (
        Complaint.objects.filter(number=number)
        .select_related("service", "lead_department", "merged_into")
        .first()
    )
    if case is None or not tracking_code_matches(case=case, code=code):
        raise ApplicationError(
            _("The case number and extraction code do not match. Check both and try again."),
            errors={"code": [_("Check the extraction code.")]},
        )
    return case


def _set_code(case: Case, *, number: str, code: str) -> None:
    case.tracking_code_hash = _tracking_digest(number, code)
    case.save(update_fields=["tracking_code_hash", "updated_at"])


def tracking_code_sms_send(*, phone: str, text: str, number: str) -> bool:
    """Send the extraction code by SMS, unless this phone had its share of codes this hour
    (RATE_LIMITS["code-send"], shared with sign-up and signing codes): then nothing is sent,
    and the code is still shown to the reporter (the page, the API's answer; an Open311 client
    never gets it, the code being the reporter's secret).
    Returns whether it was sent. Runs after the filing commits, so the count stays."""
    try:
        limit_hit(name="code-send", key=[phone], message=_("Too many codes sent to this phone."))
    except TooManyAttemptsError:
        logger.warning("extraction code of %s not sent by SMS: too many codes to the phone", number)
        return False
    send_sms(to=phone, body=text, idempotency_key=f"complaint-code:{number}")
    return True
