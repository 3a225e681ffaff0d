"""What a deep check found wrong with a file, before it is put into words."""

from __future__ import annotations


class UploadRefused(Exception):
    """A file refused for `reason` (a stable word); `params` fill in the message."""

    def __init__(self, reason: str, **params: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params
