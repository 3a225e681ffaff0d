"""What a holder is told when the issuing department revokes or replaces a certificate, and
before one expires.

Installed by this app's migrations `0002_notification_texts` and, for the expiry notice added
later, `0004_expiry_notification_texts` (see `apps.notifications.texts`)."""

TEXTS = [
    (
        "certificate.revoked",
        "zh-hans",
        "您的电子证照 {{ number }} 已被吊销",
        "{{ department }}已吊销您的“{{ type_name }}”（证照编号 {{ number }}）。"
        "{% if reason %}原因：{{ reason }}。{% endif %}"
        "该证照不能再用于办事。查看您的证照：{{ url }}",
    ),
    (
        "certificate.revoked",
        "en",
        "Your certificate {{ number }} has been revoked",
        "{{ department }} has revoked your {{ type_name }} (number {{ number }})."
        "{% if reason %} Reason: {{ reason }}.{% endif %}"
        " It can no longer be used for applications. See your certificates at {{ url }}",
    ),
    (
        "certificate.replaced",
        "zh-hans",
        "您的电子证照 {{ number }} 已换发",
        "{{ department }}已将您的“{{ type_name }}”（证照编号 {{ number }}）换发为新证照 "
        "{{ successor }}。{% if reason %}原因：{{ reason }}。{% endif %}"
        "旧证照不能再使用。查看您的证照：{{ url }}",
    ),
    (
        "certificate.replaced",
        "en",
        "Your certificate {{ number }} has been replaced",
        "{{ department }} has replaced your {{ type_name }} (number {{ number }}) with "
        "certificate {{ successor }}.{% if reason %} Reason: {{ reason }}.{% endif %}"
        " The old one can no longer be used. See your certificates at {{ url }}",
    ),
    (
        "certificate.expiring",
        "zh-hans",
        "您的电子证照 {{ number }} 将于 {{ valid_until|date:'Y年n月j日' }} 到期",
        "您的“{{ type_name }}”（证照编号 {{ number }}，{{ department }}核发）有效期至 "
        "{{ valid_until|date:'Y年n月j日' }}，还有 {{ days_left }} 天到期。"
        "到期后不能再用于办事，如需继续使用，请及时申请延续或换发。查看您的证照：{{ url }}",
    ),
    (
        "certificate.expiring",
        "en",
        "Your certificate {{ number }} expires on {{ valid_until|date:'j F Y' }}",
        "Your {{ type_name }} (number {{ number }}, issued by {{ department }}) is valid until "
        "{{ valid_until|date:'j F Y' }}: {{ days_left }} days left. After that it can no "
        "longer be used for applications; apply to renew it in time. "
        "See your certificates at {{ url }}",
    ),
]
