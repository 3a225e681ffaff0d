from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=5, retry_backoff=True)
def certificate_pdf_task(self, certificate_id: int) -> None:
    from .services import certificate_pdf_issue

    try:
        certificate_pdf_issue(certificate_id=certificate_id)
    except Exception as exc:  # noqa: BLE001 - rendering or sealing failed: try again later
        raise self.retry(exc=exc) from exc
