"""Writes for a resident's data: the export (`export.py`), closing the account (`closure.py`)."""

from .closure import (  # noqa: F401
    CLOSED_NAME,
    account_close,
    account_closure_blockers,
    account_closure_code_send,
    mandate_evidence_remove,
    resident_anonymise,
)
from .export import (  # noqa: F401
    data_export_build,
    data_export_download,
    data_export_request,
    data_exports_purge,
    desk_mandate_for,
    export_days,
)
