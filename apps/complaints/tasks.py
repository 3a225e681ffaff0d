from celery import shared_task


@shared_task(acks_late=True)
def complaint_clock_sweep_task() -> dict:
    """Celery beat, hourly: 签收 reminders, 督办 and 催办 (idempotent, safe to run again)."""
    from .services.clock import complaint_clock_sweep

    report = complaint_clock_sweep()
    return {name: len(ids) for name, ids in vars(report).items()}
