from dataclasses import dataclass

from .models import GENESIS_HASH, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class BrokenLink:
    event_id: int | None
    reason: str


def audit_chain_first_break() -> BrokenLink | None:
    """Walk the chain in order and return the first event whose hash or link does not hold;
    then compare the end of the chain with its head, which names a truncated tail (the newest
    events deleted) that no link inside the chain could show."""
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
    head = AuditChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head is not None else GENESIS_HASH
    head_count = head.event_count if head is not None else 0
    if expected_prev != head_hash or count != head_count:
        return BrokenLink(
            last_id,
            f"the chain ends before its head: {head_count} events recorded, {count} found "
            "(the newest events were removed)",
        )
    return None
