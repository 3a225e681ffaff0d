"""Hidden identity, tracking without an account, photos and time limits."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from apps.cases.models import Case
from apps.complaints import services
from apps.core.exceptions import ApplicationError

from .conftest import file_complaint, jpeg_with_gps

pytestmark = pytest.mark.django_db

NAME, PHONE = "赵六", "13500135000"


def test_a_hidden_identity_never_reaches_the_department(
    category, dispatcher, clerk, lead, department, login
):
    # given a caller who asked to hide their identity, filed by the hotline
    case, _code = services.complaint_file(
        service=category,
        actor=dispatcher,
        complaint_type="complaint",
        description="举报餐馆油烟",
        address="东四北大街 10 号",
        hide_identity=True,
        channel=Case.Channel.HOTLINE,
        reporter_name=NAME,
        reporter_phone=PHONE,
    )
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    # the dispatcher still sees who called
    page = login(dispatcher).get(f"/staff/complaints/{case.number}/").content.decode()
    assert NAME in page and PHONE in page
    for user in (clerk, lead):
        client = login(user)
        pages = [
            client.get(f"/staff/complaints/{case.number}/"),
            client.get(f"/staff/cases/{case.number}/"),
            client.get("/staff/complaints/"),
            client.get("/staff/cases/"),
            client.get(f"/api/v1/complaints/{case.number}/"),
            client.get(f"/api/v1/staff/cases/{case.number}/"),
            client.get("/staff/metrics/export.csv"),
        ]
        for response in pages:
            text = response.content.decode()
            assert response.status_code in (200, 403), (response.request, response.status_code)
            assert NAME not in text and PHONE not in text, response.request["PATH_INFO"]
        assert "举报餐馆油烟" in pages[0].content.decode()
        assert pages[4].json()["reporter_name"] != NAME
        assert pages[4].json()["reporter_phone"] == ""


def test_tracking_by_number_and_code_without_an_account(
    category, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case, code = file_complaint(category, reporter_phone="13700137000")
    from apps.core.sms import LocmemSmsBackend

    assert code in LocmemSmsBackend.outbox[-1]["body"]
    assert len(code) == 6 and code not in case.tracking_code_hash
    # a wrong code is refused
    response = client.post("/complaints/track/", {"number": case.number, "code": "AAAAAA"})
    assert response.status_code == 200 and "/track/TS-" not in response.get("Location", "")
    assert client.get(f"/complaints/track/{case.number}/").status_code == 404
    # the right one opens the public page
    response = client.post("/complaints/track/", {"number": case.number, "code": code.lower()})
    assert response.status_code == 302
    page = client.get(f"/complaints/track/{case.number}/").content.decode()
    assert case.number in page and "深夜施工噪声扰民" in page
    # and the API view
    api = client.post(
        "/api/v1/complaints/track/",
        {"number": case.number, "code": code},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "received"
    bad = client.post(
        "/api/v1/complaints/track/",
        {"number": case.number, "code": "BBBBBB"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_tracking_attempts_are_rate_limited(category, client):
    from django.core.cache import cache

    cache.clear()
    case, code = file_complaint(category)
    for _attempt in range(5):
        client.post("/complaints/track/", {"number": case.number, "code": "WRONG1"})
    response = client.post("/complaints/track/", {"number": case.number, "code": code})
    assert response.status_code == 429
    page = response.content.decode()
    # the page says how long to wait (till the end of the 15 minutes window) and
    # keeps the number typed
    assert re.search(r"此案件编号的尝试次数过多。请在 \d+ (秒|分钟)后再试。", page)
    assert f'value="{case.number}"' in page
    api = client.post(
        "/api/v1/complaints/track/",
        {"number": case.number, "code": code},
        content_type="application/json",
    )
    assert api.status_code == 429
    body = api.json()
    assert body["code"] == "throttled" and "后再试" in body["detail"]
    assert 0 < body["retry_after"] <= 15 * 60 and api["Retry-After"] == str(body["retry_after"])
    cache.clear()


def test_exif_gps_and_camera_data_are_stripped(category):
    upload = jpeg_with_gps()
    with Image.open(upload) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry GPS
    upload.seek(0)
    case, _code = file_complaint(category, photos=[upload])
    photo = case.attachments.get(field_key="photo")
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x010F not in exif and 0x0110 not in exif
        assert "exif" not in image.info and image.size == (40, 30)
    assert photo.content_type == "image/jpeg"


def test_at_most_six_photos_checked_by_content(category):
    with pytest.raises(ApplicationError):
        file_complaint(category, photos=[jpeg_with_gps(f"{i}.jpg") for i in range(7)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ApplicationError):
        file_complaint(category, photos=[fake])
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_urgent_complaints_count_hours_others_working_days(category, dispatcher, department):
    from apps.core.calendar import add_working_days

    urgent, _c = file_complaint(category, urgency="urgent")
    before = timezone.now()
    urgent = services.complaint_dispatch(case=urgent, actor=dispatcher, department=department)
    assert before + timedelta(hours=24) <= urgent.due_at <= timezone.now() + timedelta(hours=24)
    help_, _c = file_complaint(category, complaint_type="help")
    help_ = services.complaint_dispatch(case=help_, actor=dispatcher, department=department)
    assert help_.deadline == add_working_days(timezone.localdate(), 5)
    assert timezone.localtime(help_.due_at).date() == help_.deadline
