import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, ServicePoint, StaffMembership, User

BACKEND = "apps.accounts.backends.EmailOrPhoneBackend"


@pytest.fixture
def resident_user(db) -> User:
    return User.objects.create_user(
        username="wang.xiaoming",
        email="wang@example.org",
        password="a-long-Passw0rd",
        display_name="王小明",
    )


@pytest.fixture
def signed_in_client(client, resident_user):
    client.force_login(resident_user, backend=BACKEND)
    return client


def _verified_client(client, user: User):
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user, backend=BACKEND)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def department(db) -> Department:
    return Department.objects.create(code="civil", name_zh="民政局", name_en="Civil Affairs Bureau")


@pytest.fixture
def clerk_client(client, department):
    user = User.objects.create_user(username="clerk", email="clerk@example.gov", password="x")
    StaffMembership.objects.create(user=user, department=department, role="clerk")
    return _verified_client(client, user)


@pytest.fixture
def counter_client(client, department):
    user = User.objects.create_user(username="counter", email="counter@example.gov", password="x")
    point = ServicePoint.objects.create(
        code="east-1",
        name_zh="东城便民服务中心",
        name_en="East Service Centre",
        address="东城路1号",
    )
    StaffMembership.objects.create(
        user=user, department=department, role="counter", service_point=point
    )
    return _verified_client(client, user)
