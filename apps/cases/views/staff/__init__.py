"""The department staff pages (/staff/cases/): the work lists, the case page with only the
actions the workflow allows now, and the case's files. Every page needs a staff role and 2FA."""

from .case import case_action, case_detail, extension_decide, task_action  # noqa: F401
from .files import case_attachment, case_document  # noqa: F401
from .queue import overdue, queue, task_assign, task_claim  # noqa: F401
