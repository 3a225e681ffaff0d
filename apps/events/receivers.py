"""What the events app hears: every timeline line of a case (`case_line_added`), every
change of a certificate (`certificate_changed`)."""

from typing import Any

from apps.cases.models import Case, CaseEvent
from apps.certificates.models import Certificate

from .services.certificates import event_record_for_certificate
from .services.outbox import event_record_for_line


def case_line_recorded(sender: type, *, case: Case, line: CaseEvent, **kwargs: Any) -> None:
    event_record_for_line(case=case, line=line)


def certificate_changed_recorded(
    sender: type,
    *,
    certificate: Certificate,
    change: str,
    replaces: Certificate | None = None,
    **kwargs: Any,
) -> None:
    event_record_for_certificate(certificate=certificate, change=change, replaces=replaces)
