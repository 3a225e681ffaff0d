from django.db import migrations


def create_groups(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    Group = apps.get_model("auth", "Group")
    StaffMembership = apps.get_model("accounts", "StaffMembership")
    for department in Department.objects.filter(group__isnull=True):
        department.group, _ = Group.objects.get_or_create(name=f"department:{department.code}")
        department.save(update_fields=["group"])
    for membership in StaffMembership.objects.filter(is_active=True).select_related("department"):
        membership.department.group.user_set.add(membership.user_id)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_department_group")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
