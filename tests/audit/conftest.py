import pytest

from apps.audit.services import audit_record
from tests.conftest import require_postgresql


@pytest.fixture
def events(db, resident):
    return [
        audit_record(action="accounts.user.login", actor=resident, target=resident, data={"n": 1}),
        audit_record(action="accounts.profile.update", actor=resident, data={"n": 2, "名": "张三"}),
        audit_record(action="feedback.request.expire", data={"when": "later"}),
    ]


@pytest.fixture
def postgresql(db):
    """The test needs PostgreSQL's triggers and roles (skipped on SQLite, failed in CI)."""
    require_postgresql("triggers and roles")
