"""The departments' commands: intake (accept, refuse, return), parallel review tasks, extensions
and the signed decision. Each goes through `case_transition`, so it is locked, audited, on the
timeline and told to the resident."""

from .decision import case_decide, case_decision_letter_issue, decision_payload
from .extensions import extension_decide, extension_request
from .intake import (
    case_accept,
    case_outcome_announce,
    case_refuse,
    case_return_for_correction,
    paused_working_days,
    record_outcome_clock,
    resubmission_deadline,
)
from .review import task_approve, task_assign, task_claim, task_reject, task_return
from .routing import case_route_to_lead

__all__ = [
    "case_accept",
    "case_outcome_announce",
    "case_decide",
    "case_decision_letter_issue",
    "case_refuse",
    "case_return_for_correction",
    "case_route_to_lead",
    "decision_payload",
    "extension_decide",
    "extension_request",
    "paused_working_days",
    "record_outcome_clock",
    "resubmission_deadline",
    "task_approve",
    "task_assign",
    "task_claim",
    "task_reject",
    "task_return",
]
