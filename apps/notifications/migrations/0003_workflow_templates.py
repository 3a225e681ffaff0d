"""Texts for the departments' workflow: new work, deadlines, escalation, extensions."""

from django.db import migrations

WORKFLOW_TEMPLATES = [
    (
        "task.assigned",
        "zh-hans",
        "新办件待处理：{{ case_number }}",
        "“{{ service_name }}”办件 {{ case_number }} 已分派至{{ department }}，请及时处理。"
        "{% if due_date %}办理期限：{{ due_date }}。{% endif %}{{ url }}",
    ),
    (
        "task.assigned",
        "en",
        "New work: {{ case_number }}",
        "Case {{ case_number }} ({{ service_name }}) is waiting for {{ department }}."
        "{% if due_date %} Due by {{ due_date }}.{% endif %} {{ url }}",
    ),
    (
        "task.deadline_warning",
        "zh-hans",
        "办件 {{ case_number }} 明日到期",
        "“{{ service_name }}”办件 {{ case_number }} 的办理期限为 {{ due_date }}，"
        "请在到期前办结或申请延期。{{ url }}",
    ),
    (
        "task.deadline_warning",
        "en",
        "Case {{ case_number }} is due on the next working day",
        "Case {{ case_number }} ({{ service_name }}) is due on {{ due_date }}. Finish it or ask "
        "for an extension before then. {{ url }}",
    ),
    (
        "case.escalated",
        "zh-hans",
        "督办：办件 {{ case_number }} 已超期",
        "“{{ service_name }}”办件 {{ case_number }} 已超过办理期限（{{ deadline }}），"
        "现予督办，请督促尽快办结。{{ url }}",
    ),
    (
        "case.escalated",
        "en",
        "Overdue: case {{ case_number }} is escalated",
        "Case {{ case_number }} ({{ service_name }}) passed its deadline of {{ deadline }} and "
        "is escalated to you. Please see that it is finished. {{ url }}",
    ),
    (
        "case.ready_for_decision",
        "zh-hans",
        "办件 {{ case_number }} 审查完毕，待作出决定",
        "“{{ service_name }}”办件 {{ case_number }} 各部门审查已完成，请牵头部门作出决定。{{ url }}",
    ),
    (
        "case.ready_for_decision",
        "en",
        "Case {{ case_number }} is ready for a decision",
        "Every review of case {{ case_number }} ({{ service_name }}) is in. The lead department "
        "can now decide. {{ url }}",
    ),
    (
        "case.extension_requested",
        "zh-hans",
        "办件 {{ case_number }} 申请延期",
        "“{{ service_name }}”办件 {{ case_number }} 申请延期，请审批。{{ url }}",
    ),
    (
        "case.extension_requested",
        "en",
        "Extension asked for case {{ case_number }}",
        "An extension is asked for case {{ case_number }} ({{ service_name }}). Please decide. "
        "{{ url }}",
    ),
    (
        "case.extended",
        "zh-hans",
        "办件 {{ case_number }} 办理期限已延长",
        "您申请的“{{ service_name }}”（办件编号 {{ case_number }}）办理期限延长至 "
        "{{ deadline }}。{% if reason %}原因：{{ reason }}。{% endif %}办理进度请查看：{{ url }}",
    ),
    (
        "case.extended",
        "en",
        "More time for case {{ case_number }}",
        "The time to decide your application for {{ service_name }} (case number "
        "{{ case_number }}) is extended to {{ deadline }}.{% if reason %} Reason: {{ reason }}."
        "{% endif %} Follow it at {{ url }}",
    ),
]


def load(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, language, subject, body in WORKFLOW_TEMPLATES:
        NotificationTemplate.objects.get_or_create(
            event=event, language=language, defaults={"subject": subject, "body": body}
        )


def unload(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, language, _subject, _body in WORKFLOW_TEMPLATES:
        NotificationTemplate.objects.filter(event=event, language=language).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_default_templates")]

    operations = [migrations.RunPython(load, unload)]
