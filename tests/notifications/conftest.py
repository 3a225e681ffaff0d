import pytest

from apps.core.sms import LocmemSmsBackend


@pytest.fixture(autouse=True)
def sms_outbox():
    """The SMS messages sent during the test (LocmemSmsBackend keeps them on the class)."""
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()
