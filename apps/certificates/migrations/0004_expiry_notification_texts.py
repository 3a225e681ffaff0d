"""The holder is told before a certificate expires (the texts of revoking and replacing were
installed by 0002)."""

from django.db import migrations

from apps.certificates.notification_texts import TEXTS
from apps.notifications.texts import texts_installer

EXPIRY_TEXTS = [text for text in TEXTS if text[0] == "certificate.expiring"]


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_certificate_valid_until_index"),
        ("notifications", "0006_helpdesk_templates"),
    ]

    operations = [migrations.RunPython(*texts_installer(EXPIRY_TEXTS))]
