"""The default words of the events the portal sends; administrators edit them afterwards."""

from django.db import migrations

# (event, language, subject, body). Django template syntax over the event's context.
DEFAULT_TEMPLATES = [
    (
        "account.registered",
        "zh-hans",
        "欢迎使用市民服务门户",
        "{{ name }}，您好！您的账户已开通。您可以在网上办理事项、查看办理进度并接收通知：{{ url }}",
    ),
    (
        "account.registered",
        "en",
        "Welcome to the citizen services portal",
        "Dear {{ name }}, your account is ready. You can apply for services, follow your cases "
        "and read your notifications online: {{ url }}",
    ),
    (
        "case.submitted",
        "zh-hans",
        "您的申请 {{ case_number }} 已提交",
        "您申请的“{{ service_name }}”（办件编号 {{ case_number }}）已提交，我们将尽快审查。"
        "办理进度请查看：{{ url }}",
    ),
    (
        "case.submitted",
        "en",
        "Your application {{ case_number }} has been submitted",
        "We have received your application for {{ service_name }} (case number "
        "{{ case_number }}) and will check it soon. Follow its progress at {{ url }}",
    ),
    (
        "case.correction_requested",
        "zh-hans",
        "办件 {{ case_number }} 需要补正材料",
        "您申请的“{{ service_name }}”（办件编号 {{ case_number }}）需要补正。"
        "{% if reason %}原因：{{ reason }}。{% endif %}"
        "{% if deadline %}请于 {{ deadline }} 前补正，{% else %}请尽快补正，{% endif %}"
        "补正期间办理时限暂停计算。补正入口：{{ url }}",
    ),
    (
        "case.correction_requested",
        "en",
        "Case {{ case_number }} needs corrections",
        "Your application for {{ service_name }} (case number {{ case_number }}) needs "
        "corrections.{% if reason %} Reason: {{ reason }}.{% endif %}"
        "{% if deadline %} Please correct it by {{ deadline }}.{% else %} Please correct it "
        "soon.{% endif %} The time limit is paused until you do. Correct it at {{ url }}",
    ),
    (
        "case.accepted",
        "zh-hans",
        "办件 {{ case_number }} 已受理",
        "您申请的“{{ service_name }}”（办件编号 {{ case_number }}）已受理。"
        "{% if due_date %}承诺办结日期：{{ due_date }}。{% endif %}办理进度请查看：{{ url }}",
    ),
    (
        "case.accepted",
        "en",
        "Case {{ case_number }} has been accepted",
        "Your application for {{ service_name }} (case number {{ case_number }}) has been "
        "accepted for review.{% if due_date %} We will decide by {{ due_date }}.{% endif %} "
        "Follow its progress at {{ url }}",
    ),
    (
        "case.refused",
        "zh-hans",
        "办件 {{ case_number }} 不予受理",
        "您申请的“{{ service_name }}”（办件编号 {{ case_number }}）不予受理。"
        "{% if reason %}理由：{{ reason }}。{% endif %}如有疑问，请查看详情：{{ url }}",
    ),
    (
        "case.refused",
        "en",
        "Case {{ case_number }} was not accepted",
        "Your application for {{ service_name }} (case number {{ case_number }}) was not "
        "accepted.{% if reason %} Reason: {{ reason }}.{% endif %} See the details and what "
        "you can do next at {{ url }}",
    ),
    (
        "case.decided",
        "zh-hans",
        "办件 {{ case_number }} 已办结",
        "您申请的“{{ service_name }}”（办件编号 {{ case_number }}）已办结，结果："
        "{% if outcome == 'approved' %}准予许可{% elif outcome == 'rejected' %}不予许可"
        "{% else %}{{ outcome }}{% endif %}。决定书及救济途径请查看：{{ url }}",
    ),
    (
        "case.decided",
        "en",
        "A decision on case {{ case_number }}",
        "A decision has been made on your application for {{ service_name }} (case number "
        "{{ case_number }}): {% if outcome == 'approved' %}approved{% elif outcome == 'rejected' %}"
        "rejected{% else %}{{ outcome }}{% endif %}. Read the decision letter and how to appeal "
        "at {{ url }}",
    ),
]


def load_default_templates(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, language, subject, body in DEFAULT_TEMPLATES:
        # Never overwrite words an administrator already edited.
        NotificationTemplate.objects.get_or_create(
            event=event, language=language, defaults={"subject": subject, "body": body}
        )


def remove_default_templates(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for event, language, _subject, _body in DEFAULT_TEMPLATES:
        NotificationTemplate.objects.filter(event=event, language=language).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(load_default_templates, remove_default_templates)]
