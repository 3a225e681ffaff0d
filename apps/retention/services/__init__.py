"""Writes of the retention schedule: legal holds (`holds.py`), anonymising a case
(`anonymise.py`), the daily run (`run.py`), destruction lists (`destruction.py`)."""

from .anonymise import case_anonymise  # noqa: F401
from .destruction import (  # noqa: F401
    destruction_list_approve,
    destruction_list_destroy,
    destruction_list_reject,
    destruction_list_report_issue,
    destruction_list_transition,
)
from .holds import legal_hold_clear, legal_hold_set  # noqa: F401
from .run import retention_run  # noqa: F401
