"""Texts for complaints (12345 工单): receipt, dispatch, return, question, reply, reopen, merge,
and the clock's 签收 reminder, 催办 and 督办.

Installed by this app's migration `0002_notification_texts` (see `apps.notifications.texts`);
the notifications app's 0005 migration, which created them before, is a no-op now."""

from apps.cases.notification_texts import TEXTS as CASE_TEXTS

TEXTS = [
    (
        "complaint.received",
        "zh-hans",
        "诉求已受理：{{ case_number }}",
        "您反映的“{{ service_name }}”诉求已受理，工单编号 {{ case_number }}。"
        "办理进度请查看：{{ url }}",
    ),
    (
        "complaint.received",
        "en",
        "We received your request {{ case_number }}",
        "Your request about {{ service_name }} is received as case {{ case_number }}. Follow it at "
        "{{ url }}",
    ),
    (
        "complaint.new",
        "zh-hans",
        "新诉求待派单：{{ case_number }}",
        "新的“{{ service_name }}”诉求 {{ case_number }} 待分拨派单。{{ url }}",
    ),
    (
        "complaint.new",
        "en",
        "New request to dispatch: {{ case_number }}",
        "A new request about {{ service_name }} ({{ case_number }}) is waiting to be dispatched. "
        "{{ url }}",
    ),
    (
        "complaint.dispatched",
        "zh-hans",
        "新工单待签收：{{ case_number }}",
        "“{{ service_name }}”工单 {{ case_number }} 已派至{{ department }}，请在 1 个工作日内签收，"
        "并于 {{ due_at }} 前办结。{{ url }}",
    ),
    (
        "complaint.dispatched",
        "en",
        "New work order to sign for: {{ case_number }}",
        "Work order {{ case_number }} ({{ service_name }}) is dispatched to {{ department }}. Sign "
        "for it within one working day and answer by {{ due_at }}. {{ url }}",
    ),
    (
        "complaint.dispatched_resident",
        "zh-hans",
        "工单 {{ case_number }} 已转交办理",
        "您的诉求（工单编号 {{ case_number }}）已转交{{ department }}办理。{{ url }}",
    ),
    (
        "complaint.dispatched_resident",
        "en",
        "Case {{ case_number }} is with the department",
        "Your request (case {{ case_number }}) is passed to {{ department }}. {{ url }}",
    ),
    (
        "complaint.returned",
        "zh-hans",
        "工单退单待审核：{{ case_number }}",
        "{{ department }}退回工单 {{ case_number }}，理由：{{ reason }}。"
        "请审核后重新派单。{{ url }}",
    ),
    (
        "complaint.returned",
        "en",
        "Work order returned: {{ case_number }}",
        "{{ department }} returned work order {{ case_number }}: {{ reason }}. Review it and "
        "dispatch it again. {{ url }}",
    ),
    (
        "complaint.question",
        "zh-hans",
        "工单 {{ case_number }}：承办部门向您提问",
        "关于工单 {{ case_number }}，承办部门想了解：{{ question }} "
        "请在 {{ due_date }} 前凭工单编号和提取码回复：{{ url }}",
    ),
    (
        "complaint.question",
        "en",
        "Case {{ case_number }}: the department asks you a question",
        "About case {{ case_number }} the department asks: {{ question }} Please answer by "
        "{{ due_date }} with your case number and extraction code at {{ url }}",
    ),
    (
        "complaint.answered",
        "zh-hans",
        "工单 {{ case_number }}：诉求人已回复",
        "诉求人已回复工单 {{ case_number }} 的提问：{{ reason }} {{ url }}",
    ),
    (
        "complaint.answered",
        "en",
        "Case {{ case_number }}: the reporter answered",
        "The reporter answered the question on case {{ case_number }}: {{ reason }} {{ url }}",
    ),
    (
        "complaint.replied",
        "zh-hans",
        "工单 {{ case_number }} 已答复",
        "您关注的“{{ service_name }}”诉求（工单编号 {{ case_number }}"
        "{% if main_number %}，与工单 {{ main_number }} 一并办理{% endif %}）已答复：{{ reply }} "
        "{% if main_number %}凭本工单编号和提取码查看答复：{% else %}查看答复并评价：{% endif %}"
        "{{ url }}",
    ),
    (
        "complaint.replied",
        "en",
        "Case {{ case_number }} is answered",
        "The request about {{ service_name }} (case {{ case_number }}"
        "{% if main_number %}, handled together with case {{ main_number }}{% endif %}) is "
        "answered: {{ reply }} "
        "{% if main_number %}See the answer with this case number and your extraction code: "
        "{% else %}See the answer and rate it: {% endif %}{{ url }}",
    ),
    (
        "complaint.reopened",
        "zh-hans",
        "重办：工单 {{ case_number }}",
        "诉求人对工单 {{ case_number }} 的办理结果不满意，现退回重新办理：{{ reason }} "
        "办理期限 {{ due_at }}。{{ url }}",
    ),
    (
        "complaint.reopened",
        "en",
        "Reopened: work order {{ case_number }}",
        "The reporter is not satisfied with work order {{ case_number }} and it is to be handled "
        "again: {{ reason }} Due by {{ due_at }}. {{ url }}",
    ),
    (
        "complaint.merged",
        "zh-hans",
        "工单 {{ case_number }} 已并入 {{ into }}",
        "您反映的问题已有人反映，工单 {{ case_number }} 已并入工单 {{ into }} 一并办理，"
        "办理结果将同时告知您。",
    ),
    (
        "complaint.merged",
        "en",
        "Case {{ case_number }} joined {{ into }}",
        "Someone reported the same problem earlier: case {{ case_number }} is handled together "
        "with case {{ into }}, and you will be told its outcome.",
    ),
    (
        "complaint.sign_reminder",
        "zh-hans",
        "请签收工单 {{ case_number }}",
        "工单 {{ case_number }} 已超过签收时限，请尽快签收或退单。{{ url }}",
    ),
    (
        "complaint.sign_reminder",
        "en",
        "Please sign for work order {{ case_number }}",
        "Work order {{ case_number }} is past its time to sign for. Sign for it or return it. "
        "{{ url }}",
    ),
    (
        "complaint.reminder",
        "zh-hans",
        "催办通知：工单 {{ case_number }} 已超期",
        "工单 {{ case_number }}（{{ service_name }}）已于 {{ due_at }} 到期未办结，"
        "请立即办理并答复诉求人。"
        "{{ url }}",
    ),
    (
        "complaint.reminder",
        "en",
        "Reminder: work order {{ case_number }} is overdue",
        "Work order {{ case_number }} ({{ service_name }}) was due on {{ due_at }} and is not "
        "answered. Handle it and answer the reporter now. {{ url }}",
    ),
    (
        "complaint.escalated",
        "zh-hans",
        "督办：工单 {{ case_number }} 已超期",
        "{{ department }}承办的工单 {{ case_number }}（{{ service_name }}）"
        "已超过办理时限（{{ due_at }}），"
        "现予督办。{{ url }}",
    ),
    (
        "complaint.escalated",
        "en",
        "Overdue: work order {{ case_number }} is escalated",
        "Work order {{ case_number }} ({{ service_name }}) with {{ department }} passed its time "
        "limit of {{ due_at }} and is escalated to you. {{ url }}",
    ),
]

# Sent by the complaint extensions too (the one extension service of cases): the applications'
# words, taken from cases rather than copied (one row per event and language).
TEXTS += [text for text in CASE_TEXTS if text[0] in {"case.extension_requested", "case.extended"}]
