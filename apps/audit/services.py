import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import GENESIS_HASH, AuditChainHead, AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor=None,
    on_behalf_of=None,
    target: models.Model | None = None,
    data: dict | None = None,
    request: HttpRequest | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the hash chain, in the caller's transaction."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    # Round-trip through JSON so the hash is computed over what the database will give back.
    clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        on_behalf_of=on_behalf_of,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        ip_address=ip_address or client_ip(request),
        data=clean_data,
        prev_hash=head.last_hash or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    return event
