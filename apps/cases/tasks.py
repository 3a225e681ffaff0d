from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=5, retry_backoff=True)
def case_receipt_issue_task(self, case_id: int) -> None:
    from .services import case_receipt_issue

    try:
        case_receipt_issue(case_id=case_id)
    except Exception as exc:  # noqa: BLE001 - rendering or sealing failed: try again later
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, acks_late=True, max_retries=5, retry_backoff=True)
def case_decision_letter_task(self, case_id: int, signature_id: int) -> None:
    from .services import case_decision_letter_issue

    try:
        case_decision_letter_issue(case_id=case_id, signature_id=signature_id)
    except Exception as exc:  # noqa: BLE001 - rendering or sealing failed: try again later
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True)
def deadlines_sweep_task() -> dict:
    """Celery beat: warnings, deemed consent and escalations (idempotent, safe to run hourly)."""
    from .services.deadlines import deadlines_sweep

    report = deadlines_sweep()
    return {name: len(ids) for name, ids in vars(report).items()}
