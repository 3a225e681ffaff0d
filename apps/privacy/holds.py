"""Which of a resident's cases are on legal hold, told by the app that keeps the holds.

Retention sits above privacy; it registers its reader in `AppConfig.ready`, so anonymising an
account keeps what a held case still needs (a mandate's evidence under which someone acted on
it) without privacy importing retention. Unregistered, nothing is held."""

from collections.abc import Collection
from typing import Protocol


class HoldReader(Protocol):
    def __call__(self, *, case_ids: Collection[int]) -> set[int]: ...


_readers: list[HoldReader] = []


def case_hold_reader_register(*, reader: HoldReader) -> None:
    """Add a reader (once: `ready` may run more than once in tests)."""
    if reader not in _readers:
        _readers.append(reader)


def cases_on_hold(*, case_ids: Collection[int]) -> set[int]:
    """The ids among `case_ids` that a registered reader says are on legal hold."""
    if not case_ids:
        return set()
    held: set[int] = set()
    for reader in _readers:
        held |= reader(case_ids=case_ids)
    return held
