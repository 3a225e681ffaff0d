from django.db import migrations

from apps.cases.notification_texts import TEXTS
from apps.notifications.texts import texts_installer


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_open311client_to_complaints"),
        ("notifications", "0006_helpdesk_templates"),
    ]

    operations = [migrations.RunPython(*texts_installer(TEXTS))]
