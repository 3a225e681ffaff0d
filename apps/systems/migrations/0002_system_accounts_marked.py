from django.db import migrations


def mark(apps, schema_editor):
    # The accounts of systems registered before the flag existed.
    DepartmentSystem = apps.get_model("systems", "DepartmentSystem")
    User = apps.get_model("accounts", "User")
    User.objects.filter(
        pk__in=DepartmentSystem.objects.values("user_id")
    ).update(is_system_account=True)


def unmark(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_system_account=True).update(is_system_account=False)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_user_is_system_account"),
        ("systems", "0001_department_system"),
    ]

    operations = [
        migrations.RunPython(mark, unmark),
    ]
