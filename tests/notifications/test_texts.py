"""Each app ships the words of the notifications it sends, and every event the code sends has
words in both languages on a fresh database."""

import importlib
import re
from pathlib import Path

import pytest

from apps.notifications.models import NotificationTemplate

APPS_DIR = Path(__file__).resolve().parents[2] / "apps"
SENT_EVENT = re.compile(r'event="([a-z_]+\.[a-z_]+)"')


def events_sent_by(app_dir: Path) -> set[str]:
    return {
        event
        for path in app_dir.rglob("*.py")
        if "migrations" not in path.parts
        for event in SENT_EVENT.findall(path.read_text())
    }


def apps_with_texts() -> list[str]:
    return sorted(p.parent.name for p in APPS_DIR.glob("*/notification_texts.py"))


@pytest.mark.parametrize("app", apps_with_texts())
def test_an_app_ships_the_texts_of_the_events_it_sends(app):
    texts = importlib.import_module(f"apps.{app}.notification_texts").TEXTS
    shipped = {(event, language) for event, language, _subject, _body in texts}
    for event in events_sent_by(APPS_DIR / app):
        assert (event, "zh-hans") in shipped, f"{app} sends {event} without its Chinese text"
        assert (event, "en") in shipped, f"{app} sends {event} without its English text"


def test_every_event_sent_has_words_in_both_languages(db):
    sent = set().union(*(events_sent_by(app) for app in APPS_DIR.iterdir() if app.is_dir()))
    assert len(sent) > 30  # the scan really found the code's events
    found = set(NotificationTemplate.objects.values_list("event", "language"))
    missing = sorted(
        (event, language)
        for event in sent
        for language in ("zh-hans", "en")
        if (event, language) not in found
    )
    assert missing == []
