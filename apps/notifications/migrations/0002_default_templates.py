"""The welcome text; the other default texts moved to the apps that send them
(`<app>/notification_texts.py`)."""

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
