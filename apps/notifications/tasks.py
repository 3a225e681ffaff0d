import logging
import random

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)

MAX_RETRIES = getattr(settings, "NOTIFICATIONS_MAX_RETRIES", 5)


def retry_countdown(retries: int) -> int:
    """Exponential backoff with jitter: base, 2×base, 4×base, ... capped."""
    base = getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 30)
    cap = getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF_MAX", 600)
    countdown = min(cap, base * 2**retries)
    return int(countdown + random.uniform(0, countdown / 4))


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def deliver_notification(self, notification_id: int):
    """Send one email or SMS notification, retrying with exponential backoff.

    The message is acknowledged only after the task ends (acks_late) and requeued if the worker
    dies (reject_on_worker_lost); `notification_deliver` makes running it twice harmless. The
    final attempt marks the notification failed and ends quietly, so an eager run inside a web
    request never breaks the request.
    """
    final_attempt = self.request.retries >= self.max_retries
    try:
        services.notification_deliver(notification_id=notification_id, final_attempt=final_attempt)
    except services.NotificationDeliveryError as exc:
        countdown = retry_countdown(self.request.retries)
        if self.request.is_eager:
            # Eager runs (no broker) retry at once inside apply(); a raised Retry would propagate
            # (task_eager_propagates) into the web request that queued the task.
            return self.retry(exc=exc, countdown=countdown, throw=False)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(ignore_result=True)
def requeue_stale_notifications() -> int:
    """Periodic safety net (Celery beat): queue again what never reached the broker."""
    count = services.notifications_requeue_stale()
    if count:
        logger.info("Queued %s stale notifications again", count)
    return count
