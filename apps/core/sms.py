"""A pluggable SMS transport, shaped like `django.core.mail`: `send_sms()` picks `SMS_BACKEND`."""

import json
import logging
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class BaseSmsBackend:
    def send(self, *, to: str, body: str, idempotency_key: str = "") -> str:
        """Send one message; return the provider's message id. Raise on failure.

        `idempotency_key` lets a provider (or this file backend) drop a message sent twice.
        """
        raise NotImplementedError


class ConsoleFileSmsBackend(BaseSmsBackend):
    """Development backend: prints each message and appends it as one JSON line to SMS_FILE_PATH."""

    def send(self, *, to: str, body: str, idempotency_key: str = "") -> str:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        if idempotency_key and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and json.loads(line).get("idempotency_key") == idempotency_key:
                    return idempotency_key
        record = {
            "to": to,
            "body": body,
            "idempotency_key": idempotency_key,
            "sent_at": timezone.now().isoformat(),
        }
        sys.stdout.write(f"[SMS to {to}] {body}\n")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return idempotency_key or record["sent_at"]


class LocmemSmsBackend(BaseSmsBackend):
    """Test backend: keeps messages in `LocmemSmsBackend.outbox`."""

    outbox: list[dict] = []

    def send(self, *, to: str, body: str, idempotency_key: str = "") -> str:
        LocmemSmsBackend.outbox.append({"to": to, "body": body, "idempotency_key": idempotency_key})
        return idempotency_key or str(len(LocmemSmsBackend.outbox))


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, to: str, body: str, idempotency_key: str = "") -> str:
    return get_sms_backend().send(to=to, body=body, idempotency_key=idempotency_key)
