"""Rate limits that hold across processes: the one place where the portal counts attempts.

Every limit counts in the default cache (`settings.CACHES`): Redis in production (`CACHE_URL`),
the database table `portal_cache` on the embedded default (`apps.core.cache.DatabaseCache`).
Both are shared by every web worker, Celery worker and management command, so a limit of five
is five in all, not five per process. The counting is django-ratelimit's (`get_usage`: a fixed
window per key, `add` then `incr`); callers name a limit and give the key parts (a client IP
address, a phone number, a user id) that their view passed in: no request reaches this module.

What the stores guarantee across processes:

- Redis: `add` is SET NX and `incr` is INCRBY, both atomic; no try is lost.
- The database (`apps.core.cache.DatabaseCache`): `add` inserts under the table's primary key,
  so of two processes adding the same key one wins and the other counts on; `incr` locks the
  row (SELECT ... FOR UPDATE on PostgreSQL; SQLite lets one writer at a time) and keeps the
  row's expiry, so simultaneous tries are all counted. It shares the request's database
  connection, so a count written inside a transaction that rolls back is lost with it: count
  outside `transaction.atomic()` (tracking, code sends and Open311 posts do; a signing code is
  checked outside the signature's transaction, but a caller that wraps `signature_take` in its
  own keeps the count only on Redis).

Sign-in (django-axes, `AxesDatabaseHandler`) and authenticator codes (django-otp, the failure
count on the device row) keep their own shared counts in the database; `otp_lock_seconds`
reads the latter so that a locked device says so."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from .exceptions import StrOrPromise, TooManyAttemptsError

# "count/period" (period: s, m, h, d, optionally with a number: 15m); settings.RATE_LIMITS
# overrides any of them.
DEFAULT_RATES: dict[str, str] = {
    # wrong and right extraction codes, per client address and case number
    "complaint-track": "5/15m",
    # one-time codes and code messages (registration, signing, the complaint's extraction code)
    # sent to one phone number or email address
    "code-send": "5/h",
    # codes asked for from one client address, to any number of destinations
    "code-send-ip": "20/h",
    # wrong signing codes of one user, over all the codes they were sent
    "signing-code-wrong": "10/h",
    # Open311 service requests posted with one API key, and from one client address
    "open311-post-client": "600/h",
    "open311-post-ip": "60/h",
    # token requests of departments' systems (OAuth2 client credentials, apps/systems): from
    # one client address (several systems may share a gateway), and for one client id (a
    # token lasts OAUTH2_ACCESS_TOKEN_SECONDS, so a well-behaved system asks a few times an hour)
    "oauth-token-ip": "120/h",
    "oauth-token-client": "30/h",
}
# Waited out when the store itself failed to count (the limit then refuses, never lets through).
STORE_FAILED_WAIT_SECONDS = 60


@dataclass(frozen=True)
class LimitUsage:
    count: int
    limit: int
    retry_after: int  # seconds until the current window ends

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def exhausted(self) -> bool:
        """No try is left: the next counted one would exceed the limit."""
        return self.count >= self.limit


def limit_rate(*, name: str) -> str:
    rates: dict[str, str] = getattr(settings, "RATE_LIMITS", {}) or {}
    return rates.get(name) or DEFAULT_RATES[name]


def _key_value(parts: Sequence[object]) -> str:
    # Hashed: phone numbers and addresses are not kept in the cache as they are.
    return hashlib.sha256("|".join(str(p).strip().lower() for p in parts).encode()).hexdigest()


def limit_usage(
    *, name: str, key: Sequence[object], increment: bool, rate: str | None = None
) -> LimitUsage:
    """The count of limit `name` for `key` in the current window (plus one with `increment`);
    `rate` for a limit whose rate comes from elsewhere (the tries of one signing code)."""
    value = _key_value(key)

    def key_fn(_group: str, _request: Any) -> str:
        return value

    usage = get_usage(
        None, group=name, key=key_fn, rate=rate or limit_rate(name=name), increment=increment
    )
    if usage is None:  # RATELIMIT_ENABLE = False
        return LimitUsage(count=0, limit=1, retry_after=0)
    if usage["time_left"] < 0:  # the store did not answer: refuse (fail closed)
        return LimitUsage(count=1, limit=0, retry_after=STORE_FAILED_WAIT_SECONDS)
    return LimitUsage(
        count=int(usage["count"]), limit=int(usage["limit"]), retry_after=int(usage["time_left"])
    )


def limit_hit(*, name: str, key: Sequence[object], message: StrOrPromise) -> LimitUsage:
    """Count one attempt; refuse it (TooManyAttemptsError, 429) once past the limit, with
    `message` and the time to wait."""
    usage = limit_usage(name=name, key=key, increment=True)
    if usage.exceeded:
        raise too_many_attempts(message=message, retry_after=usage.retry_after)
    return usage


def limit_check(
    *, name: str, key: Sequence[object], message: StrOrPromise, rate: str | None = None
) -> LimitUsage:
    """Refuse, without counting, when no try is left (for limits that count only failures,
    with `limit_count`)."""
    usage = limit_usage(name=name, key=key, increment=False, rate=rate)
    if usage.exhausted:
        raise too_many_attempts(message=message, retry_after=usage.retry_after)
    return usage


def limit_count(*, name: str, key: Sequence[object], rate: str | None = None) -> LimitUsage:
    """Count one failure, without refusing: the caller decides what it says."""
    return limit_usage(name=name, key=key, increment=True, rate=rate)


# --- Saying how long to wait -----------------------------------------------------------------


def wait_text(*, seconds: int) -> str:
    """ "30 seconds", "15 minutes", "2 hours", translated; rounded up, never below one second."""
    seconds = max(1, int(seconds))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    if minutes <= 90:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def too_many_attempts(
    *,
    message: StrOrPromise,
    retry_after: int,
    field: str | None = None,
    extra: dict[str, Any] | None = None,
) -> TooManyAttemptsError:
    """The refusal of a limit: `message` and "Try again in …", with `retry_after` (seconds)
    for programs (the API's `retry_after` and `Retry-After`)."""
    retry_after = max(1, int(retry_after))
    text = _("%(reason)s Try again in %(wait)s.") % {
        "reason": message,
        "wait": wait_text(seconds=retry_after),
    }
    return TooManyAttemptsError(
        text,
        errors={field: [text]} if field else None,
        extra={**(extra or {}), "retry_after": retry_after},
    )


# --- Authenticator devices (django-otp) ------------------------------------------------------


def otp_lock_seconds(*, devices: Iterable[Any]) -> int:
    """Seconds until the soonest of these django-otp devices takes a code again, when every one
    of them is locked; 0 when one is not (a backup code may still work). A device with
    throttling (ThrottlingMixin) locks itself after a wrong code for a time that doubles with
    every further one, in its own row (so every process sees it), and then refuses even the
    right code without saying why: this says why."""
    from django_otp.models import VerifyNotAllowed

    waits = []
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if allowed:
            return 0
        if (info or {}).get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            locked_until = info.get("locked_until")
            if locked_until is not None:
                waits.append(math.ceil((locked_until - timezone.now()).total_seconds()))
    return max(1, min(waits)) if waits else 0
