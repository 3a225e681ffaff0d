import logging

from celery import shared_task

from .services import delivery as delivery_services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None, ignore_result=True
)
def deliver_event(self, delivery_id: int) -> str:
    """One attempt of one webhook delivery; a failed attempt retries with the row's backoff.

    Acknowledged only after the attempt (acks_late) and handed out again if the worker dies
    (reject_on_worker_lost); the locked delivery row makes a second copy harmless. The row
    counts the attempts (`EVENTS_MAX_ATTEMPTS`), so the task sets no retry limit of its own.
    Eager runs (tests, no broker) do not retry at once: the row keeps its next attempt time
    and the sweep queues it."""
    result = delivery_services.delivery_attempt(delivery_id=delivery_id)
    if result.outcome == delivery_services.Outcome.RETRY and not self.request.is_eager:
        raise self.retry(countdown=result.countdown)
    return result.outcome.value


@shared_task(ignore_result=True)
def requeue_stale_deliveries() -> int:
    """Periodic safety net (Celery beat): queue again the deliveries long overdue."""
    count = delivery_services.deliveries_requeue_stale()
    if count:
        logger.info("Queued %s stale event deliveries again", count)
    return count


@shared_task(ignore_result=True)
def events_sequence_task() -> int:
    """Celery beat, every minute: number the committed events whose after-commit numbering did
    not run, so that the feed shows them."""
    from .services.outbox import events_sequence

    return events_sequence()
