"""Complaints sit on top of cases: nothing below imports them; the clock has its own beat."""

import re
from pathlib import Path

import pytest
from django.conf import settings

APPS = Path(__file__).resolve().parents[2] / "apps"
BELOW = (
    "cases",
    "catalog",
    "documents",
    "signatures",
    "notifications",
    "accounts",
    "audit",
    "core",
)
IMPORT = re.compile(r"^\s*(?:from|import)\s+apps\.complaints\b", re.MULTILINE)
ORM = re.compile(r"\.objects\.")


def test_no_app_below_complaints_imports_them():
    offenders = [
        str(path.relative_to(APPS))
        for app in BELOW
        for path in (APPS / app).rglob("*.py")
        if IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_complaint_views_and_apis_load_through_selectors():
    root = APPS / "complaints"
    modules = [*root.glob("views/*.py"), *root.glob("api/*.py"), root / "open311.py"]
    offenders = [str(p.relative_to(APPS)) for p in modules if ORM.search(p.read_text("utf-8"))]
    assert offenders == []


@pytest.mark.django_db
def test_the_complaint_clock_has_its_own_beat_task():
    from apps.complaints.tasks import complaint_clock_sweep_task

    entry = settings.CELERY_BEAT_SCHEDULE["complaints-clock-sweep"]
    assert entry["task"] == complaint_clock_sweep_task.name
    assert complaint_clock_sweep_task.apply().get() == {
        "sign_reminded": 0,
        "complaints_escalated": 0,
        "reminded": 0,
    }
