# ruff: noqa: E501 - the texts are kept verbatim, one line each, to match installed rows
"""督办 names what is overdue: when only a review stage is late, the escalation names that
stage's department and its own due date, not the case deadline; rows an administrator edited
are kept."""

from django.db import migrations

from apps.notifications.texts import texts_updater

CHANGES = [
    (
        "case.escalated",
        "zh-hans",
        (
            "督办：办件 {{ case_number }} 已超期",
            "“{{ service_name }}”办件 {{ case_number }} 已超过办理期限（{{ deadline }}），现予督办，请督促尽快办结。{{ url }}",
        ),
        (
            "督办：办件 {{ case_number }} {% if stage_department %}审查环节{% endif %}已超期",
            "{% if stage_department %}“{{ service_name }}”办件 {{ case_number }} 在{{ stage_department }}的审查环节已超过环节期限（{{ stage_due_date }}），办件办理期限为 {{ deadline }}。{% else %}“{{ service_name }}”办件 {{ case_number }} 已超过办理期限（{{ deadline }}），{% endif %}现予督办，请督促尽快办结。{{ url }}",
        ),
    ),
    (
        "case.escalated",
        "en",
        (
            "Overdue: case {{ case_number }} is escalated",
            "Case {{ case_number }} ({{ service_name }}) passed its deadline of {{ deadline }} and is escalated to you. Please see that it is finished. {{ url }}",
        ),
        (
            "Overdue: {% if stage_department %}a review stage of {% endif %}case {{ case_number }} is escalated",
            "{% if stage_department %}The review by {{ stage_department }} of case {{ case_number }} ({{ service_name }}) passed its stage deadline of {{ stage_due_date }}; the case is due on {{ deadline }}.{% else %}Case {{ case_number }} ({{ service_name }}) passed its deadline of {{ deadline }}.{% endif %} It is escalated to you. Please see that it is finished. {{ url }}",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_metrics_indexes")]

    operations = [migrations.RunPython(*texts_updater(CHANGES))]
