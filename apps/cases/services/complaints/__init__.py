"""12345-style complaints (工单): filing with photos and a tracking code, dispatch to a lead
department and co-handlers, sign (签收) or return (退单), one question to the reporter, reply
(办结) and reopen (重办), merging duplicates (并单), supervised extensions, tracking without an
account. Every state change goes through `case_transition`."""

from .extensions import complaint_extension_decide, complaint_extension_request
from .filing import complaint_file, complaint_follow
from .handling import (
    complaint_answer,
    complaint_ask,
    complaint_dispatch,
    complaint_merge,
    complaint_reopen,
    complaint_reply,
    complaint_return,
    complaint_sign,
)
from .photos import MAX_PHOTOS, PHOTO_TYPES, photo_strip_metadata  # noqa: F401
from .time_limits import complaint_due, rating_window_days  # noqa: F401
from .tracking import complaint_track, tracking_code_matches

__all__ = [
    "MAX_PHOTOS",
    "complaint_answer",
    "complaint_ask",
    "complaint_dispatch",
    "complaint_due",
    "complaint_extension_decide",
    "complaint_extension_request",
    "complaint_file",
    "complaint_follow",
    "complaint_merge",
    "complaint_reopen",
    "complaint_reply",
    "complaint_return",
    "complaint_sign",
    "complaint_track",
    "photo_strip_metadata",
    "tracking_code_matches",
]
