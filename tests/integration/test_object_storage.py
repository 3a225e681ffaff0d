"""Attachments on S3-compatible object storage (django-storages), as several web nodes share
them: a resident's upload through the API lands in the bucket, not on local disk, and comes
back only through the permission-checked views. The S3 server is moto's, started in this test
on a loopback port."""

import os

import pytest

from tests.cases.conftest import (  # noqa: F401 (service: a fixture)
    PDF_BYTES,
    STEP1,
    last_sms_code,
    pdf_upload,
    service,
)
from tests.cases.staff_factories import new_resident

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BUCKET = "portal-media"


def require_moto():
    try:
        import boto3  # noqa: F401
        import storages  # noqa: F401
        from moto.server import ThreadedMotoServer  # noqa: F401
    except ImportError as exc:
        reason = f"the object-storage test needs django-storages[s3] and moto[server] ({exc})"
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def s3(settings, tmp_path, monkeypatch):
    """A moto S3 server on 127.0.0.1, a bucket, and the portal's default storage pointed at it
    the way portal/settings.py does for STORAGE_S3_BUCKET."""
    require_moto()
    import boto3
    from moto.server import ThreadedMotoServer

    # No credentials or region from the machine leak in, and nothing is sent elsewhere.
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        keys = {"aws_access_key_id": "portal-test", "aws_secret_access_key": "portal-secret"}
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
        client.create_bucket(Bucket=BUCKET)
        settings.MEDIA_ROOT = str(tmp_path / "media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "endpoint_url": endpoint,
                    "region_name": "us-east-1",
                    "access_key": keys["aws_access_key_id"],
                    "secret_key": keys["aws_secret_access_key"],
                    "file_overwrite": False,
                    "querystring_auth": True,
                },
            },
        }
        yield client
    finally:
        server.stop()


def objects_in(client) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listing
    }


def files_under(path) -> list:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def test_an_attachment_is_stored_in_the_bucket_and_served_only_to_who_may_see_it(
    s3,
    tmp_path,
    service,  # noqa: F811 (the fixture)
    clerk,
    login,
    django_capture_on_commit_callbacks,
):
    resident = new_resident("王秀兰")
    stranger = new_resident("李四")
    api = login(resident)
    # given a resident's application with their ID scan, uploaded through the API
    draft = api.post(
        "/api/v1/cases/",
        {"service": service.code, "answers": {**STEP1, "needs": ["bath"]}},
        content_type="application/json",
    )
    assert draft.status_code == 201, draft.content
    ref = draft.json()["number"]
    attached = api.post(
        f"/api/v1/cases/{ref}/attachments/", {"field": "id_scan", "file": pdf_upload()}
    )
    assert attached.status_code == 201, attached.content
    [attachment] = attached.json()["attachments"]

    # then the file sits in the bucket, and nothing was written to the local media folder
    stored = objects_in(s3)
    assert [key for key in stored if key.startswith("attachments/")]
    assert [body for key, body in stored.items() if key.startswith("attachments/")] == [PDF_BYTES]
    assert files_under(tmp_path / "media") == []

    # the resident gets the same bytes back through the permission-checked view
    url = f"/cases/{ref}/attachments/{attachment['id']}/"
    mine = api.get(url)
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF_BYTES
    # someone else does not learn that it exists
    assert login(stranger).get(url).status_code == 404

    # once submitted, the lead department's clerk reads it from the bucket too, and the
    # sealed receipt is stored there as well
    api.post(
        f"/api/v1/cases/{ref}/signature-code/", {"channel": "sms"}, content_type="application/json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(
            f"/api/v1/cases/{ref}/submit/",
            {"channel": "sms", "code": last_sms_code()},
            content_type="application/json",
        )
    assert submitted.status_code == 200, submitted.content
    number = submitted.json()["number"]
    staff_copy = login(clerk).get(f"/staff/cases/{number}/attachments/{attachment['id']}/")
    assert staff_copy.status_code == 200
    assert b"".join(staff_copy.streaming_content) == PDF_BYTES
    assert login(stranger).get(f"/cases/{number}/attachments/{attachment['id']}/").status_code == (
        404
    )
    receipts = [body for key, body in objects_in(s3).items() if not key.startswith("attach")]
    assert receipts and all(body.startswith(b"%PDF") for body in receipts)
    assert files_under(tmp_path / "media") == []
