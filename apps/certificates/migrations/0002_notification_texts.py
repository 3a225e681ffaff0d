from django.db import migrations

from apps.certificates.notification_texts import TEXTS
from apps.notifications.texts import texts_installer


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_certificates"),
        ("notifications", "0006_helpdesk_templates"),
    ]

    operations = [migrations.RunPython(*texts_installer(TEXTS))]
