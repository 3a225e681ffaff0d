from apps.core.sms import BaseSmsBackend, LocmemSmsBackend


class BrokenSmsBackend(BaseSmsBackend):
    """A provider that is down."""

    def send(self, *, to: str, body: str, idempotency_key: str = "") -> str:
        raise ConnectionError("SMS gateway unreachable")


class FlakySmsBackend(LocmemSmsBackend):
    """A provider that refuses the first message, then works."""

    failures_left = 0

    def send(self, *, to: str, body: str, idempotency_key: str = "") -> str:
        if FlakySmsBackend.failures_left > 0:
            FlakySmsBackend.failures_left -= 1
            raise TimeoutError("SMS gateway timed out")
        return super().send(to=to, body=body, idempotency_key=idempotency_key)
