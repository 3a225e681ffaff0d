"""Workflow texts: now shipped by `apps.cases` (`notification_texts.py`, its migration 0007)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_default_templates")]

    operations = []
