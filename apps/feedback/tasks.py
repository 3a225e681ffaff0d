from celery import shared_task


@shared_task(acks_late=True)
def feedback_sweep_task() -> dict:
    """Celery beat: SMS invitations 3 days after the outcome, expiry after the window
    (idempotent, safe to run hourly)."""
    from .services import feedback_sweep

    report = feedback_sweep()
    return {
        "opened": len(report.opened),
        "invited": len(report.invited),
        "expired": len(report.expired),
    }
