import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .models import FIRST_CHAIN, GENESIS_HASH, AuditAnchor, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class BrokenLink:
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class ChainAnchor:
    """The trail as it stood once: how many events, and one hash over every chain's head (an
    `AuditAnchor` row says which). Kept outside the database (the daily log line), it shows a
    chain rewritten and re-hashed since. An anchor logged while there was one chain is the hash
    of that chain's last event, and is checked as such."""

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


def audit_chain_heads() -> dict[int, tuple[int, str]]:
    """Every chain that holds events: its count and last hash, as its head row says."""
    return {
        head.pk: (head.event_count, head.last_hash)
        for head in AuditChainHead.objects.filter(event_count__gt=0).order_by("pk")
    }


@dataclass
class _ChainWalk:
    expected_prev: str = GENESIS_HASH
    count: int = 0
    last_id: int | None = None
    # count -> (hash it must have, the anchor that says so)
    anchored: dict[int, tuple[str, ChainAnchor]] = field(default_factory=dict)


def _anchored_positions(
    anchors: Sequence[ChainAnchor],
) -> tuple[dict[int, _ChainWalk], BrokenLink | None]:
    """Where each anchor pins each chain: an `AuditAnchor` row with the anchor's hash (which
    must still hash to it) pins every chain it lists; an anchor with no row is a one-chain
    anchor and pins the first chain."""
    walks: dict[int, _ChainWalk] = {}
    rows = {row.hash: row for row in AuditAnchor.objects.filter(hash__in=[a.hash for a in anchors])}
    for anchor in anchors:
        row = rows.get(anchor.hash)
        if row is None:
            pins = {FIRST_CHAIN: (anchor.count, anchor.hash)}
        elif row.compute_hash() != anchor.hash or row.event_count != anchor.count:
            return walks, BrokenLink(None, f"the anchor {anchor} was rewritten in the database")
        else:
            pins = {int(chain): (count, last) for chain, (count, last) in row.heads.items()}
        for chain, (count, last) in pins.items():
            walks.setdefault(chain, _ChainWalk()).anchored[count] = (last, anchor)
    return walks, None


def audit_chain_first_break(*, anchors: Sequence[ChainAnchor] = ()) -> BrokenLink | None:
    """Walk the events in id order (each chain's own order) and return the first event whose
    hash or link does not hold, or that does not carry the hash an anchor recorded for its
    place; then compare each chain's end with its head, which names a truncated tail (the
    newest events deleted) that no link inside the chain could show."""
    walks, broken = _anchored_positions(anchors)
    if broken is not None:
        return broken
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        walk = walks.setdefault(event.chain, _ChainWalk())
        if event.prev_hash != walk.expected_prev:
            return BrokenLink(event.id, "previous hash does not match the event before it")
        if event.compute_hash() != event.hash:
            return BrokenLink(event.id, "content does not match its hash")
        walk.expected_prev = event.hash
        walk.count += 1
        walk.last_id = event.id
        pinned = walk.anchored.get(walk.count)
        if pinned is not None and pinned[0] != event.hash:
            return BrokenLink(
                event.id,
                f"event number {walk.count} of chain {event.chain} is not the one anchored as "
                f"{pinned[1]} (the chain was rewritten up to here)",
            )
    heads = audit_chain_heads()
    for chain, walk in sorted(walks.items()):
        beyond = [count for count in walk.anchored if count > walk.count]
        if beyond:
            return BrokenLink(
                walk.last_id,
                f"chain {chain} ends before its anchor {walk.anchored[min(beyond)][1]}: "
                f"{walk.count} events found",
            )
        head_count, head_hash = heads.get(chain, (0, GENESIS_HASH))
        if walk.expected_prev != head_hash or walk.count != head_count:
            return BrokenLink(
                walk.last_id,
                f"chain {chain} ends before its head: {head_count} events recorded, "
                f"{walk.count} found (the newest events were removed)",
            )
    for chain, (head_count, _) in heads.items():
        if chain not in walks:
            return BrokenLink(
                None,
                f"chain {chain} ends before its head: {head_count} events recorded, 0 found "
                "(the newest events were removed)",
            )
    return None
