"""What residents and staff are told as an application moves: submitted, accepted, refused,
returned for correction, decided; and for staff: a task assigned, a deadline near, a case ready
for the decision, an extension asked or granted, an escalation (督办).

Installed by this app's migration `0007_notification_texts` (see `apps.notifications.texts`)."""

TEXTS = [
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
        "督办：办件 {{ case_number }} {% if stage_department %}审查环节{% endif %}已超期",
        "{% if stage_department %}“{{ service_name }}”办件 {{ case_number }} 在"
        "{{ stage_department }}的审查环节已超过环节期限（{{ stage_due_date }}），"
        "办件办理期限为 {{ deadline }}。{% else %}“{{ service_name }}”办件 {{ case_number }} "
        "已超过办理期限（{{ deadline }}），{% endif %}现予督办，请督促尽快办结。{{ url }}",
    ),
    (
        "case.escalated",
        "en",
        "Overdue: {% if stage_department %}a review stage of {% endif %}case "
        "{{ case_number }} is escalated",
        "{% if stage_department %}The review by {{ stage_department }} of case {{ case_number }} "
        "({{ service_name }}) passed its stage deadline of {{ stage_due_date }}; the case is due "
        "on {{ deadline }}.{% else %}Case {{ case_number }} ({{ service_name }}) passed its "
        "deadline of {{ deadline }}.{% endif %} It is escalated to you. Please see that it is "
        "finished. {{ url }}",
    ),
    (
        "case.ready_for_decision",
        "zh-hans",
        "办件 {{ case_number }} 审查完毕，待作出决定",
        "“{{ service_name }}”办件 {{ case_number }} 各部门审查已完成，"
        "请牵头部门作出决定。{{ url }}",
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
