"""Revoking and replacing a certificate: by a lead of the issuing department, audited, told to
the holder, published to the departments' systems."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from ..models import Certificate
from ..signals import certificate_changed
from .duties import certificate_duty_check
from .issuing import _certificate_create

LEAD_ONLY = ("lead",)
# Revocation: a lead, or the department's own licensing system (a registered system holding
# `certificates:manage`, apps/systems): that is where licences are revoked, and it tells the
# portal so the holder and every reusing case see it at once.
REVOKE_ROLES = ("lead", "system")


def certificate_notification_context(*, certificate: Certificate) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "type_name": certificate.type.name,
        "department": str(certificate.issuing_department),
        "url": "/certificates/",
    }


def _begin(*, certificate: Certificate, reason: str) -> Certificate:
    if not reason.strip():
        raise ApplicationError(
            _("Say why, for the holder and the audit."), errors={"reason": [_("Required.")]}
        )
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("type", "holder", "issuing_department")
        .get(pk=certificate.pk)
    )
    if locked.state != Certificate.State.VALID:
        raise ConflictError(
            _("This certificate is already %(state)s.") % {"state": locked.get_state_display()}
        )
    return locked


def certificate_revoke(
    *,
    certificate: Certificate,
    actor: User,
    reason: str,
    context: AuditContext | None = None,
) -> Certificate:
    """Revoke a certificate (吊销/注销): a lead of its issuing department, or the department's
    own system while it holds `certificates:manage` (its `system` membership): the
    department's licensing system is where licences are revoked, so it must be able to tell
    the portal. With a reason. Every case that links it sees it revoked at once; the holder is
    told."""
    certificate_duty_check(
        actor=actor,
        department=certificate.issuing_department,
        roles=REVOKE_ROLES,
        step="revoke",
        target=certificate,
        context=context,
    )
    with transaction.atomic():
        certificate = _begin(certificate=certificate, reason=reason)
        certificate.state = Certificate.State.REVOKED
        certificate.ended_at = timezone.now()
        certificate.ended_by = actor
        certificate.end_reason = reason.strip()
        certificate.save(
            update_fields=["state", "ended_at", "ended_by", "end_reason", "updated_at"]
        )
        audit_record(
            action=AuditAction.CERTIFICATE_REVOKE,
            actor=actor,
            target=certificate,
            data={
                "number": certificate.number,
                "from": "valid",
                "to": "revoked",
                "note": personal_digest(reason),
            },
            context=context,
        )
        certificate_changed.send(sender=Certificate, certificate=certificate, change="revoked")
        notify(
            event="certificate.revoked",
            recipients=[certificate.holder],
            context={
                **certificate_notification_context(certificate=certificate),
                "reason": certificate.end_reason,
            },
            dedup_key=f"certificate:{certificate.pk}:revoked",
        )
    return certificate


def certificate_replace(
    *,
    certificate: Certificate,
    actor: User,
    reason: str,
    fields: dict[str, Any] | None = None,
    valid_until: datetime.date | None = None,
    context: AuditContext | None = None,
) -> Certificate:
    """Replace a certificate (换证, e.g. a changed address): a lead of its issuing department
    issues its successor with the changed `fields` merged in; the old one points to it and can
    no longer be used. Returns the successor."""
    certificate_duty_check(
        actor=actor,
        department=certificate.issuing_department,
        roles=LEAD_ONLY,
        step="replace",
        target=certificate,
        context=context,
    )
    with transaction.atomic():
        old = _begin(certificate=certificate, reason=reason)
        unknown = sorted(set(fields or {}) - set(old.type.field_labels()))
        if unknown:
            raise ApplicationError(
                _("This certificate type has no field called %(names)s.")
                % {"names": ", ".join(unknown)},
                errors={"fields": [_("Use the type's field names.")]},
            )
        successor = _certificate_create(
            certificate_type=old.type,
            holder=old.holder,
            fields={**old.fields, **(fields or {})},
            actor=actor,
            source_case=old.source_case,
            valid_from=None,
            valid_until=valid_until or old.valid_until,
            context=context,
            replaces=old,
        )
        old.state = Certificate.State.REPLACED
        old.ended_at = timezone.now()
        old.ended_by = actor
        old.end_reason = reason.strip()
        old.replaced_by = successor
        old.save(
            update_fields=[
                "state",
                "ended_at",
                "ended_by",
                "end_reason",
                "replaced_by",
                "updated_at",
            ]
        )
        audit_record(
            action=AuditAction.CERTIFICATE_REPLACE,
            actor=actor,
            target=old,
            data={
                "number": old.number,
                "from": "valid",
                "to": "replaced",
                "successor": successor.number,
                "note": personal_digest(reason),
            },
            context=context,
        )
        certificate_changed.send(sender=Certificate, certificate=old, change="replaced")
        notify(
            event="certificate.replaced",
            recipients=[old.holder],
            context={
                **certificate_notification_context(certificate=old),
                "successor": successor.number,
                "reason": old.end_reason,
            },
            dedup_key=f"certificate:{old.pk}:replaced",
        )
    return successor
