"""The notice a holder gets some days before a certificate in their wallet expires, so they can
apply again in time (a licence lapsing unnoticed stops their business)."""

import datetime

from django.conf import settings
from django.utils import timezone

from apps.notifications.services import notify

from ..selectors import certificates_expiring
from .lifecycle import certificate_notification_context


def certificate_expiry_notices_send(*, today: datetime.date | None = None) -> list[int]:
    """Tell each holder of a valid certificate whose last valid day falls within
    `CERTIFICATE_EXPIRY_NOTICE_DAYS` (beat: daily). Idempotent: one notice per certificate
    (`notify`'s key), however often it runs. Returns the ids of the certificates noticed now."""
    today = today or timezone.localdate()
    noticed = []
    for certificate in certificates_expiring(
        today=today, days=settings.CERTIFICATE_EXPIRY_NOTICE_DAYS
    ).iterator(chunk_size=500):
        until = certificate.valid_until
        if until is None:  # never: the window's query asks for an end date
            continue
        created = notify(
            event="certificate.expiring",
            recipients=[certificate.holder],
            context={
                **certificate_notification_context(certificate=certificate),
                "valid_until": until,
                "days_left": (until - today).days,
            },
            dedup_key=f"certificate:{certificate.pk}:expiring",
        )
        if created:
            noticed.append(certificate.pk)
    return noticed
