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


# (event, language, (old subject, old body), (new subject, new body))
NotificationTextChange = tuple[str, str, tuple[str, str], tuple[str, str]]


def texts_updater(
    changes: Sequence[NotificationTextChange],
) -> tuple[MigrationFunction, MigrationFunction]:
    """The forward and backward functions of a data migration that changes installed default
    texts: a row is rewritten only while it still holds the old default words (an administrator's
    edit is kept), and backwards only while it holds the new ones."""

    def _swap(apps: Any, frm: int, to: int) -> None:
        template_model = apps.get_model("notifications", "NotificationTemplate")
        for event, language, *versions in changes:
            (old_subject, old_body), (new_subject, new_body) = versions[frm], versions[to]
            template_model.objects.filter(
                event=event, language=language, subject=old_subject, body=old_body
            ).update(subject=new_subject, body=new_body)

    def forward(apps: Any, schema_editor: Any) -> None:
        _swap(apps, 0, 1)

    def backward(apps: Any, schema_editor: Any) -> None:
        _swap(apps, 1, 0)

    return forward, backward
