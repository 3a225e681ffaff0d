"""What the audit trail keeps of personal data: a keyed digest, never the value.

The trail is append-only (rows refuse UPDATE and DELETE, on PostgreSQL by trigger) and its
hashes chain every row to the one before, so nothing written into it can be taken out again
when a resident's data is anonymised at the end of its retention period (docs/retention.md).
What may name a person (free text: notes, opinions, reasons, answers; a file's name; a phone
number or login typed) is therefore written as `personal_digest(value)`: HMAC-SHA256 under a
key derived from `SECRET_KEY`, which proves what was written to someone holding the text and
the key, and names nobody to anyone reading the row. The readable text lives in the mutable
record (the timeline line, the review task, the rating), which retention empties.
"""

import hashlib
import hmac

from django.conf import settings

PREFIX = "hmac-sha256:"


def _key() -> bytes:
    return hashlib.sha256(f"{settings.SECRET_KEY}:audit-personal".encode()).digest()


def personal_digest(value: object) -> str:
    """The keyed digest the trail keeps instead of `value` ("" stays "": nothing was written)."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    return PREFIX + hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def target_label(*, label: str, pk: object, audit_repr: str | None) -> str:
    """What the trail shows as the target: the model's own `audit_repr()` where it declares
    one (a case number, a mandate reference), else its table and id: a user's or a profile's
    `str()` is a person's name, phone or email."""
    if audit_repr:
        return audit_repr[:255]
    return f"{label} #{pk}"[:255]
