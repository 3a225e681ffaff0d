"""Writes for 好差评: the rating request after an outcome, the rating on every channel, the
rectification (整改) of a bad rating, the appeal (申诉), and the sweep that invites by SMS and
expires unrated requests. Each command is one transaction with its audit event; notifications
are queued by `notify` and sent after the commit."""

from ..selectors import rating_window_days  # noqa: F401
from .appeals import appeal_decide, appeal_file  # noqa: F401
from .common import COMMENT_MAX_LENGTH  # noqa: F401
from .links import (  # noqa: F401
    rating_invitation_url,
    rating_link_path,
    rating_link_read,
    rating_link_url,
)
from .ratings import rating_request_open, rating_submit  # noqa: F401
from .rectifications import rectification_answer  # noqa: F401
from .sms import rating_sms_reply  # noqa: F401
from .sweep import feedback_sweep  # noqa: F401
