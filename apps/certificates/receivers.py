"""What certificates hear from cases: an approved decision (`case_approved`)."""

from typing import Any

from apps.accounts.models import User
from apps.cases.models import Case

from .services import certificate_issue_for_case


def case_approved_issue(sender: type, *, case: Case, actor: User | None, **kwargs: Any) -> None:
    certificate_issue_for_case(case=case, actor=actor)
