"""What a document says may have stopped being true since it was sealed, told by an app above.

A sealed PDF never changes, but a certificate it shows may since have been revoked, replaced or
have expired. The certificates app registers a reader in its `AppConfig.ready`; the
verification page and API then say so beside "the seal is intact", without this app knowing
what a certificate is."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .models import Document


@dataclass(frozen=True)
class DocumentStanding:
    """Whether what the document states still holds today."""

    status: str  # valid / expired / revoked / replaced
    status_display: str  # translated
    in_force: bool
    ended_on: date | None = None  # the day it was revoked or replaced
    valid_until: date | None = None


class StandingReader(Protocol):
    def __call__(self, *, document: "Document") -> DocumentStanding | None: ...


_readers: list[StandingReader] = []


def document_standing_register(*, reader: StandingReader) -> None:
    """Add a reader (once per app: `ready` may run more than once in tests)."""
    if reader not in _readers:
        _readers.append(reader)


def document_standing(*, document: "Document") -> DocumentStanding | None:
    """The first registered reader's answer for `document`; None when none knows it."""
    for reader in _readers:
        standing = reader(document=document)
        if standing is not None:
            return standing
    return None
