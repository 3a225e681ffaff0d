from django.db import migrations

from apps.notifications.texts import texts_installer
from apps.privacy.notification_texts import TEXTS


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial"), ("notifications", "0006_helpdesk_templates")]

    operations = [migrations.RunPython(*texts_installer(TEXTS))]
