"""Commands that change complaints (12345 工单): filing with photos and a tracking code,
dispatch to a lead department and co-handlers, sign (签收) or return (退单), one question to the
reporter, reply (办结) and reopen (重办), merging duplicates (并单), supervised extensions,
internal notes, tracking without an account, and the hour-based clock. Every state change goes
through the cases app's `case_transition`. Import from here:
`from apps.complaints import services`."""

from .clock import complaint_clock_sweep
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
from .notes import complaint_note_add
from .open311_clients import open311_client_create, open311_key_digest, open311_post_count
from .open311_requests import open311_errors, open311_request_file
from .photos import MAX_PHOTOS, PHOTO_TYPES, photos_check
from .time_limits import complaint_due, rating_window_days
from .tracking import complaint_track, tracking_code_matches

__all__ = [
    "MAX_PHOTOS",
    "PHOTO_TYPES",
    "complaint_answer",
    "complaint_ask",
    "complaint_clock_sweep",
    "complaint_dispatch",
    "complaint_due",
    "complaint_extension_decide",
    "complaint_extension_request",
    "complaint_file",
    "complaint_follow",
    "complaint_merge",
    "complaint_note_add",
    "complaint_reopen",
    "complaint_reply",
    "complaint_return",
    "complaint_sign",
    "complaint_track",
    "open311_client_create",
    "open311_errors",
    "open311_key_digest",
    "open311_post_count",
    "open311_request_file",
    "photos_check",
    "rating_window_days",
    "tracking_code_matches",
]
