"""An SMS backend that stays a while in the middle of sending, so a test can kill the worker."""

import os
import time
from pathlib import Path

from apps.core.sms import ConsoleFileSmsBackend


class SlowSmsBackend(ConsoleFileSmsBackend):
    """SLOW_SMS_MODE=before: wait, then send. after: send (the provider accepted it), then wait.

    Writes SLOW_SMS_STARTED_FILE when it starts waiting.
    """

    def send(self, *, to: str, body: str, idempotency_key: str = "") -> str:
        delay = float(os.environ.get("SLOW_SMS_SECONDS", "60"))
        started = Path(os.environ["SLOW_SMS_STARTED_FILE"])
        if os.environ.get("SLOW_SMS_MODE", "before") == "after":
            message_id = super().send(to=to, body=body, idempotency_key=idempotency_key)
            started.write_text(idempotency_key)
            time.sleep(delay)
            return message_id
        started.write_text(idempotency_key)
        time.sleep(delay)
        return super().send(to=to, body=body, idempotency_key=idempotency_key)
