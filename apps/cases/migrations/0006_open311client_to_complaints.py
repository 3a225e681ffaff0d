from django.db import migrations


class Migration(migrations.Migration):
    """Open311 clients moved to the complaints app, which keeps their table: only the state
    changes here, the table and its rows stay."""

    dependencies = [
        ("cases", "0005_complaints"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Open311Client")],
            database_operations=[],
        ),
    ]
