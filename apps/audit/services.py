import json
import random
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .actions import AuditAction
from .context import AuditContext, client_ip
from .models import (
    AUDIT_CHAINS,
    FIRST_CHAIN,
    GENESIS_HASH,
    AuditAnchor,
    AuditChainHead,
    AuditEvent,
)
from .personal import target_label
from .selectors import audit_chain_heads

__all__ = ["audit_anchor_record", "audit_record", "audit_target_type", "client_ip"]


def audit_target_type(*, target: models.Model) -> str:
    """`app.model` of the target's table: a proxy (a complaint is a case) is its concrete model,
    so one row's events carry one type whichever class wrote them."""
    # Only abstract models have no concrete model, and they have no instances.
    model = target._meta.concrete_model or type(target)
    return model._meta.label_lower


def _target_repr(target: models.Model) -> str:
    audit_repr = getattr(target, "audit_repr", None)
    return target_label(
        label=audit_target_type(target=target),
        pk=target.pk,
        audit_repr=audit_repr() if callable(audit_repr) else None,
    )


def _chain_head_locked() -> AuditChainHead:
    """Lock the head of a chain for this transaction: the one it already holds, else any that
    no other transaction holds (SKIP LOCKED), so that concurrent transactions append side by
    side instead of queueing on one row. A transaction holds at most one head, so two never
    wait on each other's heads. SQLite lets one writer in at a time: it keeps to one chain."""
    if connection.vendor != "postgresql":
        return AuditChainHead.objects.select_for_update().get_or_create(pk=FIRST_CHAIN)[0]
    heads = AuditChainHead.objects.select_for_update(skip_locked=True)
    # The chain this connection last appended to: still held if this is the same transaction
    # (a transaction's own lock is never skipped), else taken again if it is free.
    last = getattr(connection, "audit_chain", None)
    head: AuditChainHead | None = heads.filter(pk=last).first() if last is not None else None
    if head is None:
        head = heads.order_by("pk").first()
    if head is None:  # every chain is busy, or their rows are not there yet (an emptied table)
        AuditChainHead.create_missing()
        head = heads.order_by("pk").first() or AuditChainHead.objects.select_for_update().get(
            pk=random.randint(FIRST_CHAIN, AUDIT_CHAINS)
        )
    setattr(connection, "audit_chain", head.pk)  # noqa: B010 (not an attribute Django declares)
    return head


def audit_record(
    *,
    action: AuditAction,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    on_behalf_of: AbstractBaseUser | None = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    context: AuditContext | None = None,
) -> AuditEvent:
    """Append one event to the hash chain, in the caller's transaction.

    `action` must be one of the registry's (`AuditAction`); `context` says where the request
    came from (`None` for the portal's own work)."""
    action = AuditAction(action)
    # No savepoint of its own (a round trip each): a failed append fails the caller's step.
    with transaction.atomic(savepoint=False):
        context = context or AuditContext()
        head = _chain_head_locked()
        # Round-trip through JSON so the hash is computed over what the database will give back.
        clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
        event = AuditEvent(
            created_at=timezone.now(),
            # By id: the trail names any user model's rows (audit sits below accounts).
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            on_behalf_of_id=on_behalf_of.pk if on_behalf_of is not None else None,
            action=action.value,
            target_type=audit_target_type(target=target) if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_repr=_target_repr(target) if target is not None else "",
            ip_address=context.ip_address,
            user_agent=context.user_agent,
            client=context.client[:255],
            data=clean_data,
            chain=head.pk,
            prev_hash=head.last_hash or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_hash = event.hash
        head.event_count += 1
        head.save(update_fields=["last_hash", "event_count"])
        return event


def audit_anchor_record() -> AuditAnchor:
    """Hold every chain's head as it stands under one hash, for the daily log line. The heads
    are read in one statement, so each is a committed end of its chain."""
    heads = audit_chain_heads()
    anchor = AuditAnchor(
        created_at=timezone.now(),
        event_count=sum(count for count, _ in heads.values()),
        heads={str(chain): [count, last] for chain, (count, last) in heads.items()},
    )
    anchor.hash = anchor.compute_hash()
    anchor.save()
    return anchor
