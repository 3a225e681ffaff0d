"""Webhook deliveries: one POST per attempt to the subscription's registered URL, signed,
with exponential backoff between attempts for more than a day, and replay from the admin.

The attempt runs with the delivery row locked, so two copies of one task (a redelivered
message) never post at once, and a delivered or failed row is never posted again. A copy that
arrives before the row's `next_attempt_at` (Redis hands out an unacknowledged message again
after its visibility timeout) does nothing: the copy that is due does the attempt."""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record

from ..envelope import event_structured
from ..models import Delivery
from .outbox import delivery_queue
from .signing import signature_headers

EARLY_COPY_TOLERANCE = timedelta(seconds=2)
USER_AGENT = "citizen-portal-events/1.0"


class Outcome(enum.StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class AttemptResult:
    outcome: Outcome
    countdown: int = 0


def events_max_attempts() -> int:
    return int(getattr(settings, "EVENTS_MAX_ATTEMPTS", 13))


def retry_countdown(*, attempts: int) -> int:
    """Seconds before the next attempt after `attempts` failed ones: base, 2×base, 4×base, …
    capped. With the defaults (60 s, cap 6 h, 13 attempts) the attempts span about 26.5 hours."""
    base = int(getattr(settings, "EVENTS_RETRY_BASE_SECONDS", 60))
    cap = int(getattr(settings, "EVENTS_RETRY_MAX_SECONDS", 6 * 3600))
    return int(min(cap, base * 2 ** max(0, attempts - 1)))


def _post(*, url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST to the registered URL only: a short timeout, redirects not followed."""
    timeout = float(getattr(settings, "EVENTS_HTTP_TIMEOUT_SECONDS", 10))
    try:
        response = requests.post(
            url,
            data=body,
            headers=headers,
            timeout=(min(timeout, 5.0), timeout),
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:1000]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> AttemptResult:
    """One attempt of one delivery; what the task does next is in the result."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("subscription", "event")
            .filter(pk=delivery_id)
            .first()
        )
        now = now or timezone.now()
        if delivery is None or delivery.state != Delivery.State.PENDING:
            return AttemptResult(Outcome.SKIPPED)
        if not delivery.subscription.is_active:
            return AttemptResult(Outcome.SKIPPED)
        due = delivery.next_attempt_at
        if due is not None and now < due - EARLY_COPY_TOLERANCE:
            return AttemptResult(Outcome.SKIPPED)
        event = delivery.event
        headers, body = event_structured(event=event)
        headers.update(
            signature_headers(
                secret=delivery.subscription.secret, timestamp=int(now.timestamp()), body=body
            )
        )
        headers.update(
            {
                "X-Portal-Event-Id": str(event.event_id),
                "X-Portal-Event-Type": event.type,
                "X-Portal-Delivery": str(delivery.pk),
                "X-Portal-Attempt": str(delivery.attempts + 1),
                "User-Agent": USER_AGENT,
            }
        )
        status, error = _post(url=delivery.subscription.url, body=body, headers=headers)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = status
        delivery.last_error = error
        result: AttemptResult
        if not error:
            delivery.state = Delivery.State.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            result = AttemptResult(Outcome.DELIVERED)
        elif delivery.attempts >= events_max_attempts():
            delivery.state = Delivery.State.FAILED
            delivery.next_attempt_at = None
            result = AttemptResult(Outcome.FAILED)
        else:
            countdown = retry_countdown(attempts=delivery.attempts)
            delivery.next_attempt_at = now + timedelta(seconds=countdown)
            result = AttemptResult(Outcome.RETRY, countdown)
        delivery.save()
    return result


def deliveries_replay(
    *, deliveries: Iterable[Delivery], actor: User, context: AuditContext | None = None
) -> int:
    """Queue chosen deliveries again (any state): the receiver gets the same event id again
    and drops it if it had it. Attempts start again from one; the audit keeps the old count."""
    count = 0
    with transaction.atomic():
        for delivery in deliveries:
            locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
            audit_record(
                action=AuditAction.EVENT_DELIVERY_REPLAY,
                actor=actor,
                target=locked,
                data={
                    "event": str(locked.event.event_id),
                    "subscription": locked.subscription_id,
                    "state": locked.state,
                    "attempts": locked.attempts,
                },
                context=context,
            )
            locked.state = Delivery.State.PENDING
            locked.attempts = 0
            locked.next_attempt_at = None
            locked.save()
            transaction.on_commit(partial(delivery_queue, delivery_id=locked.pk))
            count += 1
    return count


def deliveries_requeue_stale(*, now: datetime | None = None) -> int:
    """Beat's safety net: pending deliveries whose attempt is long overdue (the broker was
    down at commit, or the message was lost) are queued again."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=15)
    pending = Delivery.objects.filter(
        state=Delivery.State.PENDING, subscription__is_active=True
    )  # an inactive subscription's deliveries wait until it is active again
    rows = pending.filter(next_attempt_at__lt=stale) | pending.filter(
        next_attempt_at__isnull=True, created_at__lt=stale
    )
    ids = list(rows.values_list("pk", flat=True)[:1000])
    for pk in ids:
        delivery_queue(delivery_id=pk)
    return len(ids)
