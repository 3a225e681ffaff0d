"""The extraction code (提取码): how a reporter without an account finds their complaint."""

from __future__ import annotations

import hashlib
import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from apps.cases.models import REFERENCE_ALPHABET, Case
from apps.core.exceptions import ApplicationError

from ..models import Complaint

TRACK_ATTEMPTS = 5
TRACK_WINDOW_SECONDS = 15 * 60


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
    address and number in 15 minutes; then a refusal even with the right code."""
    number = (number or "").strip().upper()
    key = "complaint-track:" + hashlib.sha256(f"{client_ip}|{number}".encode()).hexdigest()
    cache.add(key, 0, TRACK_WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, TRACK_WINDOW_SECONDS)
        attempts = 1
    if attempts > TRACK_ATTEMPTS:
        raise PermissionDenied(
            _("Too many attempts for this case number. Try again in 15 minutes.")
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
