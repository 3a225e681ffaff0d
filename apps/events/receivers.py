"""What the events app hears from cases: every timeline line (`case_line_added`)."""

from typing import Any

from apps.cases.models import Case, CaseEvent

from .services.outbox import event_record_for_line


def case_line_recorded(sender: type, *, case: Case, line: CaseEvent, **kwargs: Any) -> None:
    event_record_for_line(case=case, line=line)
