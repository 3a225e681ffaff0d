"""Who may issue, revoke or replace a certificate: an active member of the issuing department
with the role the step needs, read from the memberships (never the superuser flag)."""

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Department, StaffMembership, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record


class CertificateRefused(PermissionDenied):
    """A certificate step the actor may not take (403), with the translated reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def certificate_may(*, actor: User, department: Department, roles: Collection[str]) -> bool:
    return StaffMembership.objects.filter(
        user=actor,
        department=department,
        role__in=list(roles),
        is_active=True,
        department__is_active=True,
    ).exists()


def certificate_duty_check(
    *,
    actor: User,
    department: Department,
    roles: Collection[str],
    step: str,
    target: models.Model,
    context: AuditContext | None,
) -> None:
    """Raise `CertificateRefused` unless the actor may take the step; the refusal is audited
    as `certificates.certificate.refused` (the services check before their transaction opens,
    so the record stays)."""
    if certificate_may(actor=actor, department=department, roles=roles):
        return
    message = (
        _("Only a department lead of %(department)s may do this.")
        if "lead" in roles and "clerk" not in roles
        else _("Only staff of %(department)s may do this.")
    ) % {"department": department}

    with transaction.atomic():
        audit_record(
            action=AuditAction.CERTIFICATE_REFUSED,
            actor=actor,
            target=target,
            data={"step": step, "department": department.code, "roles": sorted(roles)},
            context=context,
        )
    raise CertificateRefused(message)
