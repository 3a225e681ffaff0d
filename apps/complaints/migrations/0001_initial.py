from django.db import migrations, models


class Migration(migrations.Migration):
    """The complaint proxy of `cases.Case`, and Open311 clients moved here from cases: the
    table `cases_open311client` already exists (cases 0005) and keeps its rows, so only the
    state is created."""

    initial = True

    dependencies = [
        ("cases", "0006_open311client_to_complaints"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Open311Client",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "Open311 client",
                        "verbose_name_plural": "Open311 clients",
                        "db_table": "cases_open311client",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="Complaint",
            fields=[],
            options={
                "verbose_name": "complaint",
                "verbose_name_plural": "complaints",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("cases.case",),
        ),
    ]
