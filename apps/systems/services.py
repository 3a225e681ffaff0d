"""Departments' systems: registering their OAuth2 clients (an administrator, in the admin),
changing them, a new secret, and the checks and audit rows of their requests.

A system's client is confidential and may use the client-credentials grant only; its secret
is generated here, shown once, and kept hashed (django-oauth-toolkit hashes `client_secret` on
save). The system acts through its own account: an unusable password, no authenticator, one
active clerk membership in its department, and an active `system` membership there exactly
while it holds `certificates:manage` (revoking certificates names that role, no case duty)."""

import uuid
from collections.abc import Collection
from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    AbstractAccessToken,
    get_access_token_model,
    get_application_model,
)

from apps.accounts.models import Department, StaffMembership, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError
from apps.core.limits import limit_hit

from .models import DepartmentSystem, Scope

Application = get_application_model()


class ScopeRefused(PermissionDenied):
    """A request whose token lacks the scope its operation needs (403, audited)."""


def system_audit_context(
    *, system: DepartmentSystem, context: AuditContext | None = None
) -> AuditContext:
    """The request's context, naming the system's client on every audit event it causes."""
    return replace(context or AuditContext(), client=system.audit_label)


def _system_membership_sync(*, system: DepartmentSystem) -> None:
    """The account's `system` membership in its department: active exactly while the system
    holds `certificates:manage` (taking the scope away deactivates it, nothing is deleted)."""
    wanted = Scope.CERTIFICATES.value in set(system.scopes)
    membership = StaffMembership.objects.filter(
        user_id=system.user_id, department_id=system.department_id, role=StaffMembership.Role.SYSTEM
    ).first()
    if membership is None:
        if wanted:
            StaffMembership.objects.create(
                user_id=system.user_id,
                department_id=system.department_id,
                role=StaffMembership.Role.SYSTEM,
            )
        return
    if membership.is_active != wanted:
        membership.is_active = wanted
        membership.save(update_fields=["is_active", "updated_at"])


def _clean_scopes(scopes: Collection[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ApplicationError(
            _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)},
            errors={"scopes": [_("Choose from the listed scopes.")]},
        )
    return [scope for scope in Scope.values if scope in set(scopes)]


@transaction.atomic
def department_system_register(
    *,
    name: str,
    department: Department,
    scopes: Collection[str],
    actor: User,
    context: AuditContext | None = None,
    client_id: str = "",
    secret: str = "",
) -> tuple[DepartmentSystem, str]:
    """Register a department's system: its account (a clerk of the department), its OAuth2
    client (confidential, client credentials) and its scopes. Returns the system and the
    client secret in clear, which is never stored and cannot be shown again.

    `client_id` and `secret` are generated unless given (the demo data gives its own)."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Name the system."), errors={"name": [_("Required.")]})
    clean_scopes = _clean_scopes(scopes)
    account = User.objects.create_user(
        username=f"system-{department.code}-{uuid.uuid4().hex[:12]}",
        display_name=name[:100],
        is_system_account=True,
    )  # no password given: an unusable one, so the account never signs in
    StaffMembership.objects.create(
        user=account, department=department, role=StaffMembership.Role.CLERK
    )
    secret = secret or generate_client_secret()
    application = Application(
        name=f"{department.code}: {name}"[:255],
        user=account,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        skip_authorization=True,
    )
    if client_id:
        application.client_id = client_id
    application.save()
    system = DepartmentSystem.objects.create(
        name=name,
        department=department,
        application=application,
        user=account,
        scopes=clean_scopes,
    )
    _system_membership_sync(system=system)
    audit_record(
        action=AuditAction.SYSTEM_REGISTER,
        actor=actor,
        target=system,
        data={
            "department": department.code,
            "client_id": system.client_id,
            "scopes": clean_scopes,
            "account": account.pk,
        },
        context=context,
    )
    return system, secret


@transaction.atomic
def department_system_update(
    *,
    system: DepartmentSystem,
    name: str,
    scopes: Collection[str],
    is_active: bool,
    actor: User,
    context: AuditContext | None = None,
) -> DepartmentSystem:
    """Rename a system, change its scopes, or switch it off. A scope taken away or a system
    switched off ends its tokens at once (they are revoked, not left to expire)."""
    system = DepartmentSystem.objects.select_for_update().select_related("user").get(pk=system.pk)
    clean_scopes = _clean_scopes(scopes)
    old_scopes: list[str] = list(system.scopes)
    before = {"name": system.name, "scopes": old_scopes, "active": system.is_active}
    system.name = name.strip() or system.name
    system.scopes = clean_scopes
    system.is_active = is_active
    system.save()
    account = system.user
    account.display_name = system.name[:100]
    account.is_active = is_active
    account.save(update_fields=["display_name", "is_active"])
    _system_membership_sync(system=system)
    revoked = 0
    if not is_active or set(old_scopes) - set(clean_scopes):
        revoked, _counts = (
            get_access_token_model().objects.filter(application_id=system.application_id).delete()
        )
    audit_record(
        action=AuditAction.SYSTEM_UPDATE,
        actor=actor,
        target=system,
        data={
            "before": before,
            "after": {"name": system.name, "scopes": clean_scopes, "active": is_active},
            "tokens_revoked": revoked,
        },
        context=context,
    )
    return system


@transaction.atomic
def department_system_secret_rotate(
    *, system: DepartmentSystem, actor: User, context: AuditContext | None = None
) -> str:
    """A new client secret (the old one stops working, and its tokens are revoked); returned in
    clear once."""
    system = DepartmentSystem.objects.select_for_update().get(pk=system.pk)
    application = Application.objects.select_for_update().get(pk=system.application_id)
    secret: str = generate_client_secret()
    application.client_secret = secret
    application.save()
    revoked, _counts = get_access_token_model().objects.filter(application=application).delete()
    audit_record(
        action=AuditAction.SYSTEM_SECRET_ROTATE,
        actor=actor,
        target=system,
        data={"client_id": system.client_id, "tokens_revoked": revoked},
        context=context,
    )
    return secret


def system_scope_require(
    *,
    system: DepartmentSystem,
    granted: Collection[str],
    scope: str,
    context: AuditContext | None = None,
) -> None:
    """Refuse (ScopeRefused, 403, audited) a request whose token does not carry `scope`, or
    whose system no longer has it."""
    if scope in set(granted) and scope in set(system.scopes):
        return
    with transaction.atomic():
        audit_record(
            action=AuditAction.SYSTEM_SCOPE_REFUSED,
            actor=system.user,
            target=system,
            data={"scope": scope, "granted": sorted(granted), "department": system.department.code},
            context=system_audit_context(system=system, context=context),
        )
    raise ScopeRefused(
        _("This client's token does not carry the scope “%(scope)s” (%(label)s).")
        % {"scope": scope, "label": Scope(scope).label}
    )


def system_token_limit(*, client_ip: str | None, client_id: str) -> None:
    """Count one token request from this address and for this client id; past either limit,
    TooManyAttemptsError (429) with the time to wait. Counted outside any transaction, so a
    refused request still counts (apps/core/limits.py)."""
    message = _("Too many token requests.")
    limit_hit(name="oauth-token-ip", key=[client_ip or "-"], message=message)
    if client_id:
        limit_hit(name="oauth-token-client", key=[client_id[:100]], message=message)


@transaction.atomic
def system_token_issued_record(
    *, token: AbstractAccessToken, context: AuditContext | None = None
) -> None:
    """Audit an access token handed to a department's system (never the token itself)."""
    system = DepartmentSystem.objects.select_related("user").get(
        application_id=token.application_id
    )
    audit_record(
        action=AuditAction.SYSTEM_TOKEN_ISSUE,
        actor=system.user,
        target=system,
        data={"scopes": sorted(token.scope.split()), "expires": token.expires.isoformat()},
        context=system_audit_context(system=system, context=context),
    )


def system_tokens_clear_expired() -> int:
    """Delete the access tokens past their expiry (beat, daily): an expired token is refused
    anyway, and the table would otherwise keep every token ever issued. Returns how many."""
    expired = get_access_token_model().objects.filter(expires__lt=timezone.now())
    deleted: int = expired.delete()[0]
    return deleted
