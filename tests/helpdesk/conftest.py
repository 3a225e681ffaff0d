import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.helpdesk import services
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import PDF_BYTES, STEP1, pdf_upload  # noqa: F401
from tests.catalog.factories import make_service

# The smallest valid PNG (1×1): what the tablet's signature pad posts, as a data URL.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(PNG_BYTES).decode()


@pytest.fixture
def service(department):
    return make_service(department=department)


def staff_code(user) -> str:
    return token_for(TOTPDevice.objects.get(user=user, confirmed=True))


def make_mandate(*, counter_clerk, resident, scope="all", days=30, **extra):
    today = timezone.localdate()
    return services.mandate_create(
        actor=counter_clerk,
        resident=resident,
        scope=scope,
        valid_from=extra.pop("valid_from", today),
        valid_until=extra.pop("valid_until", today + timedelta(days=days)),
        drawn_signature=PNG_DATA_URL,
        **extra,
    )


@pytest.fixture
def mandate(counter_clerk, assisted_resident):
    return make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
