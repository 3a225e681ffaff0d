"""Reactions to the cases app, which does not know feedback exists."""

import logging

from django.dispatch import receiver

from apps.cases.models import Case
from apps.cases.signals import case_outcome_reached

logger = logging.getLogger(__name__)


@receiver(case_outcome_reached, dispatch_uid="feedback.rating_request_open")
def on_case_outcome_reached(sender: object, case: Case, **kwargs: object) -> None:
    """Ask the resident to rate. Sent after the commit: a failure here must not fail the
    decision; the sweep opens any request that was missed."""
    from .services import rating_request_open

    try:
        rating_request_open(case=case)
    except Exception:  # noqa: BLE001 - logged; feedback_sweep catches up
        logger.exception("Could not open the rating request of case %s", case.pk)
