from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=5, retry_backoff=True)
def certificate_pdf_task(self, certificate_id: int) -> None:
    from .services import certificate_pdf_issue

    try:
        certificate_pdf_issue(certificate_id=certificate_id)
    except Exception as exc:  # noqa: BLE001 - rendering or sealing failed: try again later
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True)
def certificate_expiry_notices_task() -> int:
    """Beat, daily: the notices of certificates about to expire (idempotent)."""
    from .services import certificate_expiry_notices_send

    return len(certificate_expiry_notices_send())
