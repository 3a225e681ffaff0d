from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.audit.services import audit_record

from .selectors import user_has_confirmed_device

OTP_REQUIRED_SESSION_KEY = "otp_required"


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Staff always, residents once they opted in: the session is not done until 2FA is.
        request.session[OTP_REQUIRED_SESSION_KEY] = bool(
            user.is_staff_member or user_has_confirmed_device(user)
        )
    audit_record(action="accounts.user.login", actor=user, target=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="accounts.user.logout", actor=user, target=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Keep what was typed as the login (never the password), so lock-outs can be explained.
    audit_record(
        action="accounts.user.login_failed",
        data={"login": str(credentials.get("username", ""))[:150]},
        request=request,
    )
