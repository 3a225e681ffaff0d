from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import api_token_digest


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`; 2FA counts as verified if the token was issued so."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode().lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_digest=api_token_digest(key=header[1].decode()))
            .first()
        )
        if token is None or token.expires_at < timezone.now() or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has expired."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        user = token.user
        user.is_verified = lambda: token.otp_verified
        return user, token

    def authenticate_header(self, request):
        return self.keyword
