class ApplicationError(Exception):
    """A business rule refused the request; APIs answer 400 with `message` (already translated)."""

    status_code = 400

    def __init__(self, message, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The request is valid but the object's current state does not allow it (HTTP 409)."""

    status_code = 409


class TooManyAttemptsError(ApplicationError):
    """Refused until later: too many wrong tries (HTTP 429)."""

    status_code = 429
