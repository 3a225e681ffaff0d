import re
from collections.abc import Sequence
from dataclasses import dataclass

from .models import GENESIS_HASH, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class BrokenLink:
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainAnchor:
    """The chain as it stood once: how many events, and the hash of the last one. Kept outside
    the database (the daily log line), it shows a chain rewritten and re-hashed since."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> "ChainAnchor":
        match = re.fullmatch(r"(\d+):([0-9a-f]{64})", text.strip())
        if match is None:
            raise ValueError(f"not an anchor (COUNT:HASH): {text!r}")
        return cls(count=int(match[1]), hash=match[2])


def audit_chain_anchor() -> ChainAnchor:
    """The chain head as it stands now."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return ChainAnchor(count=0, hash=GENESIS_HASH)
    return ChainAnchor(count=head.event_count, hash=head.last_hash)


def audit_chain_first_break(*, anchors: Sequence[ChainAnchor] = ()) -> BrokenLink | None:
    """Walk the chain in order and return the first event whose hash or link does not hold, or
    that does not carry the hash an anchor recorded for its place; then compare the end of the
    chain with its head, which names a truncated tail (the newest events deleted) that no link
    inside the chain could show."""
    anchored = {anchor.count: anchor.hash for anchor in anchors}
    expected_prev = GENESIS_HASH
    count = 0
    last_id: int | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return BrokenLink(event.id, "previous hash does not match the event before it")
        if event.compute_hash() != event.hash:
            return BrokenLink(event.id, "content does not match its hash")
        expected_prev = event.hash
        count += 1
        last_id = event.id
        if count in anchored and anchored[count] != event.hash:
            return BrokenLink(
                event.id,
                f"event number {count} is not the one anchored as {count}:{anchored[count]} "
                "(the chain was rewritten up to here)",
            )
    beyond = [anchor for anchor in anchors if anchor.count > count]
    if beyond:
        return BrokenLink(
            last_id,
            f"the chain ends before its anchor {min(beyond, key=lambda a: a.count)}: "
            f"{count} events found",
        )
    head = audit_chain_anchor()
    if expected_prev != head.hash or count != head.count:
        return BrokenLink(
            last_id,
            f"the chain ends before its head: {head.count} events recorded, {count} found "
            "(the newest events were removed)",
        )
    return None
