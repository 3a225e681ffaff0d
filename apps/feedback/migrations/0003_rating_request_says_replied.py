# ruff: noqa: E501 - the texts are kept verbatim, one line each, to match installed rows
"""The invitation to rate says 已答复 for a replied complaint and 已办结 only for a closed case,
and offers the SMS reply; rows an administrator edited are kept."""

from django.db import migrations

from apps.notifications.texts import texts_updater

CHANGES = [
    (
        "case.rating_requested",
        "zh-hans",
        (
            "请评价办件 {{ case_number }} 的办理情况",
            "您的办件“{{ service_name }}”（办件编号 {{ case_number }}）已办结。请对办理情况作出评价，帮助我们改进服务：{{ url }}",
        ),
        (
            "请评价办件 {{ case_number }} 的办理情况",
            '您的办件“{{ service_name }}”（办件编号 {{ case_number }}）{% if state == "replied" %}已答复{% else %}已办结{% endif %}。请对办理情况作出评价，帮助我们改进服务：{{ url }}{% if sms_reply %} 也可直接回复短信“{{ reply_code }} 5”（5 非常满意，1 非常不满意）。{% endif %}',
        ),
    ),
    (
        "case.rating_requested",
        "en",
        (
            "How did we handle case {{ case_number }}?",
            "Your case {{ service_name }} (case number {{ case_number }}) is finished. Please rate how it was handled; it helps us improve: {{ url }}",
        ),
        (
            "How did we handle case {{ case_number }}?",
            'Your case {{ service_name }} (case number {{ case_number }}) is {% if state == "replied" %}answered{% else %}closed{% endif %}. Please rate how it was handled; it helps us improve: {{ url }}{% if sms_reply %} Or reply to this SMS with “{{ reply_code }} 5” (5 very satisfied, 1 very dissatisfied).{% endif %}',
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_notification_texts")]

    operations = [migrations.RunPython(*texts_updater(CHANGES))]
