from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .models import Scope


class DepartmentSystemScheme(OpenApiAuthenticationExtension):
    """Documents the service API's OAuth2 client-credentials flow and each operation's scope."""

    target_class = "apps.systems.authentication.DepartmentSystemAuthentication"
    name = "departmentSystemOAuth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "A department system's OAuth2 client (client credentials); the "
            "access token is short-lived and carries the scopes the system was given.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/v1/systems/token/",
                    "scopes": {scope.value: str(scope.label) for scope in Scope},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        scope = getattr(auto_schema.view, "required_scope", None)
        return {self.name: [scope] if scope else []}
