from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.audit.context import AuditContext
from apps.audit.services import audit_record

from .models import StaffMembership
from .selectors import user_has_confirmed_device

OTP_REQUIRED_SESSION_KEY = "otp_required"


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Staff always, residents once they opted in: the session is not done until 2FA is.
        request.session[OTP_REQUIRED_SESSION_KEY] = bool(
            user.is_staff_member or user_has_confirmed_device(user)
        )
    audit_record(
        action="accounts.user.login",
        actor=user,
        target=user,
        context=AuditContext.from_request(request) if request else None,
    )


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            action="accounts.user.logout",
            actor=user,
            target=user,
            context=AuditContext.from_request(request) if request else None,
        )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Keep what was typed as the login (never the password), so lock-outs can be explained.
    audit_record(
        action="accounts.user.login_failed",
        data={"login": str(credentials.get("username", ""))[:150]},
        context=AuditContext.from_request(request) if request else None,
    )


@receiver([post_save, post_delete], sender=StaffMembership)
def sync_department_group(sender, instance: StaffMembership, **kwargs):
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
