"""Move the existing guardian grants on cases and review tasks from the generic tables (text
`object_pk`) to the direct foreign-key tables of 0008, and back on reverse."""

from django.db import migrations

# (generic table, direct model, the grantee column, the target model)
MOVES = [
    ("guardian_userobjectpermission", "CaseUserGrant", "user_id", "case"),
    ("guardian_groupobjectpermission", "CaseGroupGrant", "group_id", "case"),
    ("guardian_userobjectpermission", "TaskUserGrant", "user_id", "reviewtask"),
    ("guardian_groupobjectpermission", "TaskGroupGrant", "group_id", "reviewtask"),
]


def _content_type_id(apps, schema_editor, model: str) -> int | None:
    content_type = apps.get_model("contenttypes", "ContentType")
    row = (
        content_type.objects.using(schema_editor.connection.alias)
        .filter(app_label="cases", model=model)
        .first()
    )
    return row.pk if row else None


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for generic, direct, grantee, model in MOVES:
            type_id = _content_type_id(apps, schema_editor, model)
            if type_id is None:
                continue
            table = apps.get_model("cases", direct)._meta.db_table
            # Table and column names are this migration's constants; the id is a parameter.
            cursor.execute(
                f"INSERT INTO {table} (permission_id, {grantee}, content_object_id) "
                f"SELECT permission_id, {grantee}, CAST(object_pk AS BIGINT) FROM {generic} "
                "WHERE content_type_id = %s",
                [type_id],
            )
            cursor.execute(f"DELETE FROM {generic} WHERE content_type_id = %s", [type_id])


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for generic, direct, grantee, model in MOVES:
            type_id = _content_type_id(apps, schema_editor, model)
            if type_id is None:
                continue
            table = apps.get_model("cases", direct)._meta.db_table
            cursor.execute(
                f"INSERT INTO {generic} (permission_id, {grantee}, content_type_id, object_pk) "
                f"SELECT permission_id, {grantee}, %s, CAST(content_object_id AS VARCHAR(255)) "
                f"FROM {table}",
                [type_id],
            )
            cursor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_direct_fk_grants"),
        ("guardian", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
