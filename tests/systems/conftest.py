import base64
import json

import pytest

from apps.accounts.models import StaffMembership
from apps.systems import services
from tests.catalog.factories import make_service
from tests.conftest import make_staff


@pytest.fixture
def administrator(db, department):
    return make_staff(username="registrar", department=department, role=StaffMembership.Role.LEAD)


@pytest.fixture
def register(administrator):
    """`register(department, scopes)` → (system, secret), as the admin page registers it."""

    def _register(department, scopes=("cases:read", "tasks:act"), name="审批系统"):
        return services.department_system_register(
            name=name, department=department, scopes=scopes, actor=administrator
        )

    return _register


@pytest.fixture
def parallel_service(department, other_department):
    """Led by `department`, reviewed by both departments in parallel (并联审批)."""
    service = make_service(department=department)
    service.stages.get().departments.add(other_department)
    return service


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_response(client, system, secret, **form):
    return client.post(
        "/api/v1/systems/token/",
        {"grant_type": "client_credentials", **form},
        HTTP_AUTHORIZATION=basic(system.client_id, secret),
    )


def access_token(client, system, secret, **form) -> str:
    response = token_response(client, system, secret, **form)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post_json(client, url, token, data=None):
    return client.post(
        url, json.dumps(data or {}), content_type="application/json", **bearer(token)
    )
