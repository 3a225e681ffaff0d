from celery import shared_task


@shared_task(acks_late=True)
def metrics_rollups_catch_up_task() -> dict:
    """Celery beat, every minute: recompute the rollups of the days changed since the watermark
    (idempotent; a run that finds another at work skips)."""
    from .services import rollups_catch_up

    run = rollups_catch_up(wait=False)
    return {"days": run.days, "rebuilt": run.rebuilt, "skipped": run.skipped}
