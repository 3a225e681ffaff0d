# ruff: noqa: E501 - the texts are kept verbatim, one line each, to match installed rows
"""The reply SMS says 已答复 (replied), not 已办结, and a merged duplicate's reporter is told under
their own number; rows an administrator edited are kept."""

from django.db import migrations

from apps.notifications.texts import texts_updater

CHANGES = [
    (
        "complaint.replied",
        "zh-hans",
        (
            "工单 {{ case_number }} 已办结答复",
            "您关注的“{{ service_name }}”诉求（工单编号 {{ case_number }}）已答复：{{ reply }} 请对办理结果作出评价：{{ url }}",
        ),
        (
            "工单 {{ case_number }} 已答复",
            "您关注的“{{ service_name }}”诉求（工单编号 {{ case_number }}{% if main_number %}，与工单 {{ main_number }} 一并办理{% endif %}）已答复：{{ reply }} {% if main_number %}凭本工单编号和提取码查看答复：{% else %}查看答复并评价：{% endif %}{{ url }}",
        ),
    ),
    (
        "complaint.replied",
        "en",
        (
            "Case {{ case_number }} is answered",
            "The request about {{ service_name }} (case {{ case_number }}) is answered: {{ reply }} Please tell us what you think: {{ url }}",
        ),
        (
            "Case {{ case_number }} is answered",
            "The request about {{ service_name }} (case {{ case_number }}{% if main_number %}, handled together with case {{ main_number }}{% endif %}) is answered: {{ reply }} {% if main_number %}See the answer with this case number and your extraction code: {% else %}See the answer and rate it: {% endif %}{{ url }}",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_media_links")]

    operations = [migrations.RunPython(*texts_updater(CHANGES))]
