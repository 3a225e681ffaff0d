"""Complaint texts: now shipped by the complaints app (`notification_texts.py`, its migration
0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_feedback_templates")]

    operations = []
