"""Texts for 好差评: a bad rating for the department, the rectification answer for the resident,
an appeal for the supervisors and its decision for the department; and the invitation to rate.

Installed by this app's migration `0002_notification_texts` (see `apps.notifications.texts`)."""

TEXTS = [
    (
        "case.rating_requested",
        "zh-hans",
        "请评价办件 {{ case_number }} 的办理情况",
        "您的办件“{{ service_name }}”（办件编号 {{ case_number }}）"
        '{% if state == "replied" %}已答复{% else %}已办结{% endif %}。'
        "请对办理情况作出评价，帮助我们改进服务：{{ url }}"
        "{% if sms_reply %} 也可直接回复短信“{{ reply_code }} 5”（5 非常满意，1 非常不满意）。"
        "{% endif %}",
    ),
    (
        "case.rating_requested",
        "en",
        "How did we handle case {{ case_number }}?",
        "Your case {{ service_name }} (case number {{ case_number }}) is "
        '{% if state == "replied" %}answered{% else %}closed{% endif %}. Please rate '
        "how it was handled; it helps us improve: {{ url }}"
        "{% if sms_reply %} Or reply to this SMS with “{{ reply_code }} 5” (5 very satisfied, "
        "1 very dissatisfied).{% endif %}",
    ),
    (
        "feedback.bad_rating",
        "zh-hans",
        "差评待整改：办件 {{ case_number }}",
        "“{{ service_name }}”办件 {{ case_number }} 收到“{{ level }}”评价，已生成整改单，"
        "请{{ department }}于 {{ rectification_deadline }} 前完成整改并答复。{{ url }}",
    ),
    (
        "feedback.bad_rating",
        "en",
        "Bad rating to rectify: case {{ case_number }}",
        "Case {{ case_number }} ({{ service_name }}) was rated “{{ level }}”. {{ department }} "
        "must rectify and answer by {{ rectification_deadline }}. {{ url }}",
    ),
    (
        "feedback.rectification_answered",
        "zh-hans",
        "办件 {{ case_number }} 的整改答复",
        "针对您对“{{ service_name }}”（办件编号 {{ case_number }}）的评价，"
        "{{ department }}答复如下：{{ answer }} 欢迎您再次评价：{{ url }}",
    ),
    (
        "feedback.rectification_answered",
        "en",
        "The department's answer to your rating of case {{ case_number }}",
        "{{ department }} answers your rating of {{ service_name }} (case number "
        "{{ case_number }}): {{ answer }} You may rate the case again: {{ url }}",
    ),
    (
        "feedback.appeal_filed",
        "zh-hans",
        "差评申诉待复核：办件 {{ case_number }}",
        "{{ department }}对办件 {{ case_number }} 的评价提出申诉，理由：{{ reason }}。"
        "请复核。{{ url }}",
    ),
    (
        "feedback.appeal_filed",
        "en",
        "Rating appeal to decide: case {{ case_number }}",
        "{{ department }} appeals the rating of case {{ case_number }}. Reason: {{ reason }}. "
        "Please decide. {{ url }}",
    ),
    (
        "feedback.appeal_decided",
        "zh-hans",
        "办件 {{ case_number }} 的评价申诉{% if upheld %}已支持{% else %}未获支持{% endif %}",
        "您对办件 {{ case_number }} 评价的申诉{% if upheld %}已获支持，该评价不再计入满意率"
        "{% else %}未获支持{% endif %}。{% if note %}复核意见：{{ note }}。{% endif %}{{ url }}",
    ),
    (
        "feedback.appeal_decided",
        "en",
        "Rating appeal for case {{ case_number }} "
        "{% if upheld %}upheld{% else %}dismissed{% endif %}",
        "Your appeal against the rating of case {{ case_number }} is "
        "{% if upheld %}upheld: the rating no longer counts for the satisfaction rate"
        "{% else %}dismissed{% endif %}.{% if note %} Note: {{ note }}.{% endif %} {{ url }}",
    ),
]
