"""Commands that change cases (writes). Import from here: `from apps.cases import services`."""

from .applications import *  # noqa: F403
from .applications import editable_keys  # noqa: F401
from .deadlines import deadlines_sweep  # noqa: F401
from .notes import case_note_add, case_staff_view_record  # noqa: F401
from .prefill import *  # noqa: F403
from .receipts import case_receipt_issue  # noqa: F401
from .transitions import *  # noqa: F403
from .workflow import *  # noqa: F403
