from .delivery import deliveries_replay, delivery_attempt
from .outbox import event_record_for_line
from .signing import signature_headers, signature_verify
from .subscriptions import subscription_save

__all__ = [
    "deliveries_replay",
    "delivery_attempt",
    "event_record_for_line",
    "signature_headers",
    "signature_verify",
    "subscription_save",
]
