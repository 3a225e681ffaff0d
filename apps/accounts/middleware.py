from django.shortcuts import redirect
from django.urls import reverse

from .signals import OTP_REQUIRED_SESSION_KEY

# Pages a staff member must reach before 2FA is set up and verified.
STAFF_PREFIXES = ("/staff/", "/desk/", "/admin/")
ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/care-mode/", "/healthz")


class StaffTwoFactorMiddleware:
    """Staff pages answer only once the staff member has enrolled and verified 2FA (django-otp).

    Staff APIs are refused by `apps.accounts.permissions.IsVerifiedStaff`; this middleware covers
    the HTML pages and the admin site.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(STAFF_PREFIXES) and not path.startswith(ALWAYS_ALLOWED_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('accounts:login')}?next={path}")
            if user.is_staff_member and not user.is_verified():
                return redirect(two_factor_url_for(user, next_path=path))
        elif (
            request.session.get(OTP_REQUIRED_SESSION_KEY)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not path.startswith(ALWAYS_ALLOWED_PREFIXES)
            and not path.startswith("/api/")
        ):
            # A resident who opted in to 2FA finishes signing in before anything else.
            return redirect(two_factor_url_for(request.user, next_path=path))
        return self.get_response(request)


def two_factor_url_for(user, *, next_path: str) -> str:
    from .selectors import user_has_confirmed_device

    name = "accounts:2fa-verify" if user_has_confirmed_device(user=user) else "accounts:2fa-enrol"
    return f"{reverse(name)}?next={next_path}"
