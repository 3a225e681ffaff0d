import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .actions import AuditAction
from .context import AuditContext, client_ip
from .models import GENESIS_HASH, AuditChainHead, AuditEvent
from .personal import target_label

__all__ = ["audit_record", "audit_target_type", "client_ip"]


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


@transaction.atomic
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
    context = context or AuditContext()
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
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
        prev_hash=head.last_hash or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    event.save()
    head.last_hash = event.hash
    head.event_count += 1
    head.save(update_fields=["last_hash", "event_count"])
    return event
