"""Every timeline line a service writes has a label people can read, in their language."""

import re
from pathlib import Path

from django.utils import translation

from apps.cases.timeline import STAFF_VERB_LABELS, VERB_LABELS

APPS = Path(__file__).resolve().parents[2] / "apps"
# Lines passing verb="…" to case_event_add, or transition="…" (its name is the verb); a line
# may choose between two (`verb="a" if x else "b"`).
WRITES = re.compile(r'\b(?:verb|transition)="')
LITERAL = re.compile(r'(?:\b(?:verb|transition)=|\belse )"([a-z][a-z_]+)"')


def verbs_written_by_the_code() -> set[str]:
    verbs = set()
    for path in APPS.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if WRITES.search(line):
                verbs.update(LITERAL.findall(line))
    return verbs


def test_every_verb_the_code_writes_has_a_label():
    verbs = verbs_written_by_the_code()
    assert {"submit", "dispatch", "reply", "complaint_return", "task_approve"} <= verbs
    missing = sorted(verbs - set(VERB_LABELS) - set(STAFF_VERB_LABELS))
    assert missing == []


def test_labels_are_translated():
    labels = {**VERB_LABELS, **STAFF_VERB_LABELS}
    with translation.override("en"):
        english = {verb: str(label) for verb, label in labels.items()}
    with translation.override("zh-hans"):
        untranslated = [verb for verb, label in labels.items() if str(label) == english[verb]]
    assert untranslated == []
