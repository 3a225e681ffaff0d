from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record

from .models import StaffMembership, User
from .selectors import user_has_confirmed_device

OTP_REQUIRED_SESSION_KEY = "otp_required"


@receiver(user_logged_in)
def on_login(sender: type[User], request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        # Staff always, residents once they opted in: the session is not done until 2FA is.
        request.session[OTP_REQUIRED_SESSION_KEY] = bool(
            user.is_staff_member or user_has_confirmed_device(user=user)
        )
    audit_record(
        action=AuditAction.USER_LOGIN,
        actor=user,
        target=user,
        context=AuditContext.from_request(request) if request else None,
    )


@receiver(user_logged_out)
def on_logout(
    sender: type[User], request: HttpRequest | None, user: User | None, **kwargs: object
) -> None:
    if user is not None:
        audit_record(
            action=AuditAction.USER_LOGOUT,
            actor=user,
            target=user,
            context=AuditContext.from_request(request) if request else None,
        )


@receiver(user_login_failed)
def on_login_failed(
    sender: str,
    credentials: dict[str, object],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    # Keep what was typed as the login (never the password), so lock-outs can be explained.
    audit_record(
        action=AuditAction.USER_LOGIN_FAILED,
        data={"login": personal_digest(str(credentials.get("username", ""))[:150])},
        context=AuditContext.from_request(request) if request else None,
    )


@receiver([post_save, post_delete], sender=StaffMembership)
def sync_department_group(
    sender: type[StaffMembership], instance: StaffMembership, **kwargs: object
) -> None:
    """A user is in a department's permission group while any active membership there lasts."""
    group = instance.department.group
    if group is None:
        return
    still_member = StaffMembership.objects.filter(
        user_id=instance.user_id, department_id=instance.department_id, is_active=True
    ).exists()
    if still_member:
        group.user_set.add(instance.user_id)
    else:
        group.user_set.remove(instance.user_id)
