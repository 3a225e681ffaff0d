from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrPhoneBackend(ModelBackend):
    """Sign in with an email address, a mobile number or a username, and a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user_model = get_user_model()
        try:
            user = user_model.objects.get_by_login(username)
        except (user_model.DoesNotExist, user_model.MultipleObjectsReturned):
            # Same cost as a real check, so timing does not tell which logins exist.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
