"""Texts for the help desk: family proxies (亲情账号) asked, bound and unbound (each told to the
resident and to the member); mandates (委托) recorded and revoked.

Installed by this app's migrations `0002_notification_texts` and `0004_family_member_texts`
(see `apps.notifications.texts`)."""

TEXTS = [
    (
        "family.invited",
        "zh-hans",
        "亲情账号绑定待您确认",
        "{% if relationship %}{{ relationship }}：{% endif %}{{ resident }}与{{ member }}"
        "申请绑定亲情账号。绑定后，{{ member }}可以查看并代为办理{{ resident }}的办件。"
        "如您同意，请在“亲情账号”页面确认：{{ url }}",
    ),
    (
        "family.invited",
        "en",
        "A family account binding waits for you to confirm",
        "{{ resident }} and {{ member }}{% if relationship %} ({{ relationship }}){% endif %} are "
        "asked to be bound as family accounts. Once bound, {{ member }} can see and act on "
        "{{ resident }}'s cases. If you agree, confirm on your Family page: {{ url }}",
    ),
    (
        "family.bound",
        "zh-hans",
        "亲情账号已绑定：{{ member }}",
        "{{ member }}{% if relationship %}（{{ relationship }}）{% endif %}已绑定为您的亲情账号，"
        "可以查看并代为办理您的办件。您可以随时解除绑定：{{ url }}",
    ),
    (
        "family.bound",
        "en",
        "{{ member }} is bound to your account",
        "{{ member }}{% if relationship %} ({{ relationship }}){% endif %} is now bound to your "
        "account and can see and act on your cases. You can unbind them at any time: {{ url }}",
    ),
    (
        "family.unbound",
        "zh-hans",
        "亲情账号已解除：{{ member }}",
        "{{ member }}与您的亲情账号绑定已解除，其不能再查看或办理您的办件。{{ url }}",
    ),
    (
        "family.unbound",
        "en",
        "{{ member }} is no longer bound to your account",
        "The binding between your account and {{ member }} has ended: they can no longer see or "
        "act on your cases. {{ url }}",
    ),
    (
        "family.bound_member",
        "zh-hans",
        "亲情账号已绑定：{{ resident }}",
        "您已绑定为{{ resident }}{% if relationship %}（{{ relationship }}）{% endif %}的亲情账号，"
        "可以查看并代为办理其办件。绑定可由任一方随时解除：{{ url }}",
    ),
    (
        "family.bound_member",
        "en",
        "You are bound to {{ resident }}'s account",
        "You are now bound to the account of {{ resident }}{% if relationship %} "
        "({{ relationship }}){% endif %} and can see and act on their cases. Either of you can "
        "end the binding at any time: {{ url }}",
    ),
    (
        "family.unbound_member",
        "zh-hans",
        "亲情账号已解除：{{ resident }}",
        "您与{{ resident }}的亲情账号绑定已解除，您不能再查看或代为办理其办件。{{ url }}",
    ),
    (
        "family.unbound_member",
        "en",
        "You are no longer bound to {{ resident }}'s account",
        "The binding between you and {{ resident }} has ended: you can no longer see or act on "
        "their cases. {{ url }}",
    ),
    (
        "mandate.created",
        "zh-hans",
        "委托已登记：{{ reference }}",
        "您在{{ service_point }}签署的委托 {{ reference }} 已登记，有效期 {{ valid_from }} 至 "
        "{{ valid_until }}。窗口工作人员可在委托范围内代您办理。您可以随时撤销委托：{{ url }}",
    ),
    (
        "mandate.created",
        "en",
        "Mandate {{ reference }} is recorded",
        "The mandate {{ reference }} you signed at {{ service_point }} is recorded, valid from "
        "{{ valid_from }} to {{ valid_until }}. Counter staff may act for you within it. You can "
        "revoke it at any time: {{ url }}",
    ),
    (
        "mandate.revoked",
        "zh-hans",
        "委托已撤销：{{ reference }}",
        "委托 {{ reference }}（{{ service_point }}）已撤销，窗口工作人员不能再据此代您办理。"
        "{% if reason %}原因：{{ reason }}。{% endif %}{{ url }}",
    ),
    (
        "mandate.revoked",
        "en",
        "Mandate {{ reference }} is revoked",
        "The mandate {{ reference }} ({{ service_point }}) is revoked: counter staff can no "
        "longer act for you under it.{% if reason %} Reason: {{ reason }}.{% endif %} {{ url }}",
    ),
]
