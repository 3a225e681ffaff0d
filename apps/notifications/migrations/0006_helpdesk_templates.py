"""Help desk texts: now shipped by `apps.helpdesk` (`notification_texts.py`, its migration 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_complaint_templates")]

    operations = []
