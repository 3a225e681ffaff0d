"""django-oauth-toolkit's hooks (OAUTH2_PROVIDER in portal/settings.py): which scopes a client
may ask for, and which clients may have a token at all.

Only a client registered as a department's system (`DepartmentSystem`) and still active gets
a token, only by the client-credentials grant, and only for the scopes its system was given;
asking for no scope gives all of them."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from .models import Scope
from .selectors import department_system_for_application


class DepartmentSystemScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return {scope.value: str(scope.label) for scope in Scope}

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        system = department_system_for_application(application=application)
        if system is None or not system.is_active:
            return []
        return [scope for scope in Scope.values if scope in set(system.scopes)]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self.get_available_scopes(application, request, *args, **kwargs)


class DepartmentSystemValidator(OAuth2Validator):
    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        system = department_system_for_application(application=request.client)
        return bool(system and system.is_active and system.user.is_active)

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if grant_type != "client_credentials":
            return False
        return bool(
            super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)
        )
