"""The demo app stays out of production."""

import ast
import os
import subprocess
import sys
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"


def test_demo_app_is_not_installed_in_production():
    # given the production environment
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
        "PORTAL_BASE_URL": "https://portal.example.gov",
    }
    # when the settings load
    result = subprocess.run(
        [sys.executable, "-c", "from portal import settings; print(settings.INSTALLED_APPS)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=APPS.parent,
    )
    # then the demo app is absent, but present in the settings the tests run with
    assert "apps.demo" not in result.stdout and "apps.catalog" in result.stdout
    from django.conf import settings

    assert "apps.demo" in settings.INSTALLED_APPS


def test_no_other_app_imports_the_demo():
    offenders = []
    for path in APPS.rglob("*.py"):
        if path.is_relative_to(APPS / "demo"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(name == "apps.demo" or name.startswith("apps.demo.") for name in names):
                offenders.append(str(path.relative_to(APPS.parent)))
    assert offenders == []
