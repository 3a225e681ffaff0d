"""The HTTP edge of accounts: request types for signed-in views, and the steps that need the
request itself (django's `authenticate` for django-axes, `login` for the session).

Views decorated with `login_required` (or a staff/desk guard) annotate their request as
`AuthenticatedHttpRequest`; DRF views whose permission classes require a signed-in user use
`AuthenticatedRequest`. The guard, not the annotation, is what keeps anonymous users out."""

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.request import Request

from apps.core.exceptions import ApplicationError

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User


def login_with_session(request: HttpRequest, user: User) -> None:
    """Sign `user` in to this session (after registering, or claiming a printed account)."""
    auth_login(request, user, backend="apps.accounts.backends.EmailOrPhoneBackend")


def authenticate_or_refuse(request: HttpRequest, *, login: str, password: str) -> User:
    """The user these credentials belong to, or a refusal.

    `authenticate` goes through django-axes, so a caller locks out like the login page: every
    failure is counted and audited (the `user_login_failed` signal), and once locked out even
    the right password is refused."""
    from axes.exceptions import AxesBackendPermissionDenied

    from .lockout import sign_in_locked_error

    try:
        user = authenticate(request, username=login, password=password)
    except AxesBackendPermissionDenied as exc:
        raise sign_in_locked_error(request) from exc
    if getattr(request, "axes_locked_out", False):
        raise sign_in_locked_error(request)
    if not isinstance(user, User):
        raise ApplicationError(_("The login or password is not right."))
    return user
