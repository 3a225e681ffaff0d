"""The cases app's models, one module per part: `case` (the `Case` and its application
workflow), `review` (review tasks, extension requests), `records` (numbers, attachments,
timeline lines, documents), `grants` (guardian's direct-FK object permissions). Import them
from here."""

from .case import (
    REFERENCE_ALPHABET,
    Case,
    is_applicant,
    is_application,
    may_act_on_task,
    may_decide,
    may_process,
    may_take_in,
    new_reference,
)
from .grants import CaseGroupGrant, CaseUserGrant, TaskGroupGrant, TaskUserGrant
from .prefill import PrefillConsent
from .records import Attachment, CaseDocument, CaseEvent, CaseNumberSequence
from .review import ExtensionRequest, ReviewTask

__all__ = [
    "REFERENCE_ALPHABET",
    "Attachment",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "CaseGroupGrant",
    "CaseUserGrant",
    "CaseNumberSequence",
    "ExtensionRequest",
    "ReviewTask",
    "TaskGroupGrant",
    "TaskUserGrant",
    "is_applicant",
    "is_application",
    "may_act_on_task",
    "may_decide",
    "may_process",
    "may_take_in",
    "new_reference",
    "PrefillConsent",
]
