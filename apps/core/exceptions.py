from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    # The stubs' name for a lazy translation (`gettext_lazy`), which forms and messages accept.
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str | Promise

FieldErrors = Mapping[str, Sequence[StrOrPromise]]


class ApplicationError(Exception):
    """A business rule refused the request.

    `message` (already translated) says what went wrong as a whole; `errors` names the fields
    at fault, each with its messages, so a form shows them beside what the user typed and an
    API answers them in the one error shape (`apps.core.api.exception_handler`). `extra` holds
    further machine-readable facts (the current state, a retry time) that APIs pass on."""

    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        message: StrOrPromise,
        *,
        errors: FieldErrors | None = None,
        code: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.extra: dict[str, Any] = dict(extra or {})
        self.errors: dict[str, list[StrOrPromise]] = {
            field: list(messages) for field, messages in (errors or {}).items()
        }
        self.code = code or self.default_code


class ConflictError(ApplicationError):
    """The request is valid but the object's current state does not allow it (HTTP 409)."""

    status_code = 409
    default_code = "conflict"


class TooManyAttemptsError(ApplicationError):
    """Refused until later: too many wrong tries (HTTP 429)."""

    status_code = 429
    default_code = "throttled"
