"""Named personas, like zulip's example_user(): each staff member has a confirmed authenticator
and `login(user)` gives a client whose session has already passed 2FA."""

import os

import pgtrigger
import pytest
from django.core.management.commands import flush
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, ResidentProfile, ServicePoint, StaffMembership, User
from apps.core.sms import LocmemSmsBackend

PASSWORD = "correct-horse-battery-9"


def require_postgresql(reason: str) -> None:
    """Skip a test that needs PostgreSQL on SQLite; in CI (REQUIRE_INTEGRATION=1) fail it."""
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail("REQUIRE_INTEGRATION=1 but the database is not PostgreSQL")
        pytest.skip(f"needs PostgreSQL ({reason})")


# The triggers that refuse TRUNCATE on the audit trail (apps/audit/models.py).
AUDIT_TRUNCATE_TRIGGERS = (
    "audit.AuditEvent:no_truncate",
    "audit.AuditChainHead:no_truncate",
    "audit.AuditAnchor:no_truncate",
)


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_trail():
    """After a transactional test (transaction=True, live_server, integration) pytest-django
    empties the database with `manage.py flush`, a TRUNCATE the audit triggers refuse. Only that
    flush, in this process, ignores them (pgtrigger.ignore): every test still runs against the
    triggers, and `flush` outside the tests is still refused."""
    handle = flush.Command.handle

    def handle_past_the_audit_triggers(self, **options):
        with pgtrigger.ignore(*AUDIT_TRUNCATE_TRIGGERS):
            return handle(self, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush.Command, "handle", handle_past_the_audit_triggers)
        yield


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def department(db):
    return Department.objects.create(code="market", name_zh="市场监督管理局", name_en="Market")


@pytest.fixture
def other_department(db):
    return Department.objects.create(code="housing", name_zh="住房和城乡建设局", name_en="Housing")


@pytest.fixture
def service_point(db, department):
    return ServicePoint.objects.create(
        code="centre", name_zh="政务服务中心", address="建国门内大街 1 号", department=department
    )


def make_resident(*, email="resident@example.cn", phone="13800138000", **profile) -> User:
    user = User.objects.create_user(
        email=email, phone=phone, password=PASSWORD, display_name=profile.get("real_name", "张三")
    )
    ResidentProfile.objects.create(
        user=user,
        real_name=profile.pop("real_name", "张三"),
        id_number=profile.pop("id_number", "11010519491231002X"),
        notification_channels=profile.pop("notification_channels", ["in_app", "email"]),
        **profile,
    )
    return user


def make_staff(*, username, department, role, service_point=None, with_device=True) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@city.gov", password=PASSWORD, display_name=username
    )
    StaffMembership.objects.create(
        user=user, department=department, role=role, service_point=service_point
    )
    if with_device:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def resident(db):
    return make_resident()


@pytest.fixture
def assisted_resident(db, service_point):
    user = User.objects.create_user(display_name="李秀英", is_assisted=True)
    ResidentProfile.objects.create(
        user=user,
        real_name="李秀英",
        id_number="110101194003070027",
        notification_channels=["letter"],
        preferred_contact=ResidentProfile.Contact.FAMILY_PHONE,
        family_phone="13900139000",
        service_point=service_point,
    )
    return user


@pytest.fixture
def clerk(db, department):
    return make_staff(username="clerk", department=department, role=StaffMembership.Role.CLERK)


@pytest.fixture
def lead(db, department):
    return make_staff(username="lead", department=department, role=StaffMembership.Role.LEAD)


@pytest.fixture
def dispatcher(db, department):
    return make_staff(
        username="dispatcher", department=department, role=StaffMembership.Role.DISPATCHER
    )


@pytest.fixture
def supervisor(db, department):
    return make_staff(
        username="supervisor", department=department, role=StaffMembership.Role.SUPERVISOR
    )


@pytest.fixture
def counter_clerk(db, department, service_point):
    return make_staff(
        username="counter",
        department=department,
        role=StaffMembership.Role.COUNTER,
        service_point=service_point,
    )


@pytest.fixture
def login():
    """`login(user)` → a Client signed in as `user`, with 2FA verified when they have a device."""

    def _login(user: User, *, verified: bool = True) -> Client:
        client = Client()
        client.force_login(user, backend="apps.accounts.backends.EmailOrPhoneBackend")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if verified and device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return _login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with no rate-limit counts (apps/core/limits.py keeps them in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
