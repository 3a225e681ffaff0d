"""The family member is told too when a binding is made or ended (the resident already was)."""

from django.db import migrations

from apps.helpdesk.notification_texts import TEXTS
from apps.notifications.texts import texts_installer

MEMBER_TEXTS = [
    text for text in TEXTS if text[0] in {"family.bound_member", "family.unbound_member"}
]


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0003_resident_lookup")]

    operations = [migrations.RunPython(*texts_installer(MEMBER_TEXTS))]
