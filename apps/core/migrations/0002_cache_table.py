"""The cache table of the default cache (the database, where no Redis is configured), made by
`migrate` so that no installation forgets `createcachetable`."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_calendar_day")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
