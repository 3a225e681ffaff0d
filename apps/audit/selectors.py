from dataclasses import dataclass

from .models import GENESIS_HASH, AuditEvent


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    reason: str


def audit_chain_first_break() -> BrokenLink | None:
    """Walk the chain in order and return the first event whose hash or link does not hold."""
    expected_prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return BrokenLink(event.id, "previous hash does not match the event before it")
        if event.compute_hash() != event.hash:
            return BrokenLink(event.id, "content does not match its hash")
        expected_prev = event.hash
    return None


def audit_events_for(target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type=target._meta.concrete_model._meta.label_lower, target_id=str(target.pk)
        ).select_related("actor", "on_behalf_of")
    )
