"""The head of an existing chain learns how many events it holds."""

from django.db import migrations


def count_events(apps, schema_editor):
    head_model = apps.get_model("audit", "AuditChainHead")
    event_model = apps.get_model("audit", "AuditEvent")
    head_model.objects.filter(pk=1).update(event_count=event_model.objects.count())


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_head_event_count")]

    operations = [migrations.RunPython(count_events, migrations.RunPython.noop)]
