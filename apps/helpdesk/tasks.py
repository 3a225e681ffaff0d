from celery import shared_task


@shared_task(acks_late=True)
def print_batches_daily_task() -> dict:
    """Celery beat, once a day before opening: one PDF of due letters per service point."""
    from apps.accounts.models import ServicePoint

    from .services import print_batch_generate

    made = {}
    for point in ServicePoint.objects.all():
        batch = print_batch_generate(service_point=point)
        if batch is not None:
            made[point.code] = batch.letter_count
    return made
