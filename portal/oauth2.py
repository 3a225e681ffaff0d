"""OAuth2 settings of the service API for departments' systems (apps/systems,
docs/integration.md), imported by portal/settings.py."""

import os

# The service API for departments' systems (apps/systems, docs/integration.md): OAuth2 client
# credentials only, confidential clients with hashed secrets, scopes per system, short-lived
# access tokens and no refresh tokens (a system asks again with its credentials).
# Named, since apps.systems links to it (a swappable model).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "cases:read": "Read the department's cases and review tasks",
        "tasks:act": "Approve or reject the department's review tasks",
        "certificates:manage": "Issue and revoke the department's certificates",
    },
    "SCOPES_BACKEND_CLASS": "apps.systems.oauth.DepartmentSystemScopes",
    "OAUTH2_VALIDATOR_CLASS": "apps.systems.oauth.DepartmentSystemValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OAUTH2_ACCESS_TOKEN_SECONDS", "600")),
    "CLIENT_SECRET_HASHER": "default",
    # RFC 9700 (OAuth 2.0 Security BCP) throughout, ahead of the toolkit's 4.0 defaults: only
    # client credentials are used, but no weaker grant, transport or storage is left on.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
