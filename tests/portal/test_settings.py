"""Production settings refuse unsafe starts, and `check --deploy` is clean under them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    full_env.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3J9-vQ2z!Lp8wX4rT6yN1mB5cF7hD0sG2aE9uR4iO6pW8qZ3xC",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "ALLOWED_HOSTS": "portal.example.gov",
    "PORTAL_BASE_URL": "https://portal.example.gov",
}


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr


@pytest.mark.parametrize("url", [None, "sqlite:////tmp/portal.sqlite3"])
def test_production_refuses_to_start_without_postgresql(url):
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    if url:
        env["DATABASE_URL"] = url
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "needs a PostgreSQL DATABASE_URL" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
