from django.db import migrations

from apps.complaints.notification_texts import TEXTS
from apps.notifications.texts import texts_installer


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("notifications", "0006_helpdesk_templates")]

    operations = [migrations.RunPython(*texts_installer(TEXTS))]
