from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .selectors import user_has_role


def staff_required(*roles: str):
    """A page for staff members (any role, or one of `roles`); 2FA is enforced by the middleware."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            allowed = user.is_authenticated and (
                user_has_role(user=user, roles=roles) if roles else user.is_staff_member
            )
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class IsVerifiedStaff(BasePermission):
    """Staff API: a staff member who has verified 2FA in this session or token."""

    message = _("Staff must sign in with two-factor authentication.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff_member and user.is_verified())
