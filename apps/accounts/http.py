"""Request types for views behind a sign-in, so that `request.user` is typed as our `User`.

Views decorated with `login_required` (or a staff/desk guard) annotate their request as
`AuthenticatedHttpRequest`; DRF views whose permission classes require a signed-in user use
`AuthenticatedRequest`. The guard, not the annotation, is what keeps anonymous users out."""

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User
