"""Subscriptions an administrator registers (Django admin), audited without the secret."""

from django.db import transaction

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record

from ..catalogue import ALL_TYPES
from ..models import Subscription


@transaction.atomic
def subscription_save(
    *,
    subscription: Subscription,
    actor: User,
    changed: list[str],
    context: AuditContext | None = None,
) -> Subscription:
    subscription.event_types = [t for t in ALL_TYPES if t in set(subscription.event_types)]
    subscription.save()
    audit_record(
        action=AuditAction.EVENT_SUBSCRIPTION_SAVE,
        actor=actor,
        target=subscription,
        data={
            "department": subscription.department.code,
            "url": subscription.url,
            "event_types": subscription.event_types,
            "active": subscription.is_active,
            "changed": ["secret" if name == "secret" else name for name in changed],
        },
        context=context,
    )
    return subscription
