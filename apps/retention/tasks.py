from celery import shared_task


@shared_task(acks_late=True)
def retention_run_task() -> dict[str, int]:
    """Celery beat, daily: anonymise the cases past their period, propose destruction lists.
    Idempotent and resumable (`services.run`): a second call the same day goes on or returns."""
    from .services import retention_run

    run = retention_run()
    return {"anonymised": run.anonymised, "proposed": run.proposed, "batches": run.batches}


@shared_task(acks_late=True)
def destruction_list_destroy_task(list_id: int) -> str:
    """Destroy an approved list's cases (queued on commit by the second approval)."""
    from .services import destruction_list_destroy

    return destruction_list_destroy(list_id=list_id).state
