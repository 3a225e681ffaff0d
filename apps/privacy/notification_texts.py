"""Texts for a resident's data: the export is ready; the account is closed.

Installed by this app's migration `0002_notification_texts` (see `apps.notifications.texts`)."""

TEXTS = [
    (
        "privacy.export_ready",
        "zh-hans",
        "您的个人数据副本已准备好",
        "您申请的个人数据副本（ZIP 文件）已准备好，可在 {{ days }} 天内下载（至 {{ expires }}）："
        "{{ url }}",
    ),
    (
        "privacy.export_ready",
        "en",
        "A copy of your data is ready",
        "The copy of your data you asked for (a ZIP file) is ready. You can download it for "
        "{{ days }} days (until {{ expires }}): {{ url }}",
    ),
]
