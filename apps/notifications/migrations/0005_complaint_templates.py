"""Complaint texts used to be created here; the complaints app now ships them (its migration
0002_notification_templates). Kept as a no-op so existing databases, which applied it, and the
migrations depending on it are unaffected."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_feedback_templates")]

    operations = []
