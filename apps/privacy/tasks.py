from celery import shared_task


@shared_task(acks_late=True)
def data_export_build_task(export_id: int) -> int:
    """Build one "download my data" ZIP (queued on commit by `data_export_request`)."""
    from .services import data_export_build

    return data_export_build(export_id=export_id).pk


@shared_task(acks_late=True)
def data_exports_purge_task() -> int:
    """Celery beat, daily: delete the ZIPs kept past DATA_EXPORT_DAYS."""
    from .services import data_exports_purge

    return data_exports_purge()
