"""Each app ships the default words of the notifications it sends, in its own
`notification_texts.py`, and installs them with one data migration of its own:
`migrations.RunPython(*texts_installer(TEXTS))`.

A text is `(event, language, subject, body)`, Django template syntax over the event's context.
Installing never overwrites words an administrator has edited since.
"""

from collections.abc import Callable, Sequence
from typing import Any

NotificationText = tuple[str, str, str, str]
MigrationFunction = Callable[[Any, Any], None]


def texts_installer(
    texts: Sequence[NotificationText],
) -> tuple[MigrationFunction, MigrationFunction]:
    """The forward and backward functions of a data migration that installs `texts`."""

    def install(apps: Any, schema_editor: Any) -> None:
        template_model = apps.get_model("notifications", "NotificationTemplate")
        for event, language, subject, body in texts:
            template_model.objects.get_or_create(
                event=event, language=language, defaults={"subject": subject, "body": body}
            )

    def remove(apps: Any, schema_editor: Any) -> None:
        template_model = apps.get_model("notifications", "NotificationTemplate")
        for event, language, _subject, _body in texts:
            template_model.objects.filter(event=event, language=language).delete()

    return install, remove
