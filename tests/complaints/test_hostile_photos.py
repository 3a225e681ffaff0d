"""Hostile complaint photos on the web form, the API and Open311: refused with their reason in
each channel's own way, everything else the reporter typed kept, nothing filed; good photos
kept re-encoded and served sandboxed."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.cases.models import Case
from apps.complaints.services import open311_client_create
from tests.core import sample_files as files

from .conftest import file_complaint

pytestmark = pytest.mark.django_db

FORM = {
    "category": "noise",
    "complaint_type": "complaint",
    "urgency": "normal",
    "description": "工地夜间施工，噪声很大",
    "address": "朝阳路 1 号",
    "reporter_name": "赵六",
    "reporter_phone": "13500135000",
    "file": "1",
}


def photo(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_the_web_form_says_why_the_bomb_is_refused_and_keeps_the_answers(category, client):
    # given a reporter who attaches a good photo and a decompression bomb
    client.cookies["django_language"] = "en"
    response = client.post(
        "/complaints/",
        {**FORM, "photos": [photo("ok.jpg", files.jpeg()), photo("bomb.png", files.png_bomb())]},
    )
    # then the form comes back with the reason beside the photos, and in the summary at the top
    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(r'<p class="field__error" id="id_photos_error">(.*?)</p>', page, re.S)
    assert error, "no message beside the photos"
    assert "“bomb.png”: the picture is too large to open safely (900 megapixels, at most 40)" in (
        error.group(1)
    )
    assert "Choose the files again" in error.group(1)
    assert 'href="#id_photos"' in page
    # and everything typed is still there; nothing was filed
    assert "工地夜间施工，噪声很大" in page and 'value="朝阳路 1 号"' in page
    assert 'value="赵六"' in page and 'value="13500135000"' in page
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_the_web_form_refuses_a_photo_with_a_script_after_its_end(category, client):
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        "/complaints/", {**FORM, "photos": [photo("现场.jpg", files.jpeg_with_script())]}
    )
    page = response.content.decode()
    assert "“现场.jpg”在文件结尾之后还有多余内容。" in page
    assert "工地夜间施工，噪声很大" in page
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_the_web_form_says_photos_are_not_kept_when_nearby_reports_are_shown(category, client):
    # given an open report of the same kind nearby
    file_complaint(category, latitude="39.900000", longitude="116.400000")
    client.cookies["django_language"] = "en"
    # when a second reporter sends one with a photo at the same place
    response = client.post(
        "/complaints/",
        {
            **FORM,
            "latitude": "39.900100",
            "longitude": "116.400100",
            "photos": [photo("ok.jpg", files.jpeg())],
        },
    )
    # then the nearby report is shown, and the page says the photo must be chosen again
    assert response.status_code == 200
    assert "Someone may have reported this already" in response.text
    assert "Choose the files again" in response.text


def test_the_api_refuses_a_hostile_photo_in_the_error_shape(category, client):
    response = client.post(
        "/api/v1/complaints/",
        {
            "category": "noise",
            "complaint_type": "help",
            "description": "路灯不亮",
            "reporter_phone": "13700137000",
            "photos": [photo("lamp.jpg", files.jpeg_with_script())],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == "trailing_content"
    assert body["errors"] == {"photos": [body["detail"]]}
    assert "“lamp.jpg” has extra content after its end" in body["detail"]
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_open311_refuses_hostile_media_in_its_own_error_list(category, client):
    _client, key = open311_client_create(name="City app")
    data = {
        "api_key": key,
        "service_code": "noise",
        "lat": "39.91",
        "long": "116.39",
        "description": "广场舞音响太吵",
        "phone": "13700137000",
    }
    response = client.post(
        "/open311/v2/requests.json",
        {**data, "media": photo("bomb.png", files.png_bomb())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    ((error,),) = [response.json()]
    assert error["code"] == 400
    assert error["description"].startswith(
        "media: “bomb.png”: the picture is too large to open safely (900 megapixels"
    )
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()
    # and a good picture is filed with the request
    response = client.post(
        "/open311/v2/requests.json", {**data, "media": photo("square.jpg", files.jpeg())}
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.attachments.get().content_type == "image/jpeg"


def test_the_hotline_page_refuses_a_hostile_photo_and_keeps_the_call(category, dispatcher, login):
    client = login(dispatcher)
    client.cookies["django_language"] = "en"
    response = client.post(
        "/staff/complaints/new/",
        {
            **FORM,
            "channel": Case.Channel.HOTLINE,
            "photos": [photo("caller.jpg", files.truncated_jpeg())],
        },
    )
    assert response.status_code == 200
    assert "“caller.jpg” could not be read as a picture" in response.text
    assert "工地夜间施工，噪声很大" in response.text
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_photos_are_served_sandboxed_from_their_checked_type(category, client, dispatcher, login):
    # given a complaint filed with a photo
    case, _code = file_complaint(category, photos=[photo("现场.jpg", files.jpeg(exif=True))])
    attachment = case.attachments.get()
    # when the reporter (with the extraction code) and the dispatcher open it
    session = client.session  # as after entering the code (without using up tracking tries)
    session["complaints-tracked"] = [case.number]
    session.save()
    public = client.get(f"/complaints/track/{case.number}/photos/{attachment.pk}/")
    staff = login(dispatcher).get(f"/staff/complaints/{case.number}/photos/{attachment.pk}/")
    # then each gets a picture that runs nothing
    for response in (public, staff):
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
