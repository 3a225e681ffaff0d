"""The scale-out switches (docs/deploy.md): a read replica and S3-compatible object storage are
turned on by environment variables only; without them one database and local files."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.portal.test_settings import PRODUCTION, run_manage

BASE_DIR = Path(__file__).resolve().parents[2]
ROUTER = "apps.core.db_router.ReplicaRouter"

CONFIG = """
import json
import portal.settings as s
print(json.dumps({
    "databases": sorted(s.DATABASES),
    "replica": s.DATABASES.get("replica", {}).get("NAME"),
    "mirror": s.DATABASES.get("replica", {}).get("TEST"),
    "routers": s.DATABASE_ROUTERS,
    "storage": s.STORAGES["default"],
}))
"""


def settings_under(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REPLICA_", "STORAGE_S3"))}
    done = subprocess.run(
        [sys.executable, "-c", CONFIG],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_ENV": "development", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_replica_and_object_storage_are_switched_on_by_environment_variables():
    plain = settings_under()
    assert plain["databases"] == ["default"]
    assert plain["routers"] == []
    assert plain["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"

    scaled = settings_under(
        REPLICA_DATABASE_URL="postgres://portal@replica.db:5432/portal",
        STORAGE_S3_BUCKET="portal-media",
        STORAGE_S3_ENDPOINT_URL="http://minio.internal:9000",
        STORAGE_S3_ACCESS_KEY_ID="portal",
        STORAGE_S3_SECRET_ACCESS_KEY="secret",
    )
    assert scaled["databases"] == ["default", "replica"]
    assert scaled["replica"] == "portal"
    assert scaled["mirror"] == {"MIRROR": "default"}
    assert scaled["routers"] == [ROUTER]
    assert scaled["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = scaled["storage"]["OPTIONS"]
    assert options["bucket_name"] == "portal-media"
    assert options["endpoint_url"] == "http://minio.internal:9000"
    assert options["access_key"] == "portal"


def test_check_deploy_stays_clean_with_a_replica_and_object_storage():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        REPLICA_DATABASE_URL="postgres://portal@127.0.0.2:5432/portal",
        STORAGE_S3_BUCKET="portal-media",
        STORAGE_S3_ENDPOINT_URL="http://127.0.0.3:9000",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
