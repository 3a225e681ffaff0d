"""Feedback texts: now shipped by `apps.feedback` (`notification_texts.py`, its migration 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_workflow_templates")]

    operations = []
