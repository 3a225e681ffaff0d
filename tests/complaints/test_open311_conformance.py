"""Open311 GeoReport v2 driven the way a published client does it: the API key in the query
string, form-encoded POSTs, `.json` and `.xml`. Every JSON answer is checked against the spec's
schemas in open311_schemas/ (written from https://wiki.open311.org/GeoReport_v2), and the XML
answers, parsed with the standard library, carry the same fields."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path
from urllib.parse import urlencode, urlparse
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from django.test import Client
from django.utils import timezone

from apps.cases.models import Case
from apps.cases.services.transitions import case_transition
from apps.catalog.models import ServiceItem
from apps.complaints import services
from apps.complaints.models import MediaLink
from apps.complaints.services import open311_client_create

from .conftest import file_complaint, jpeg_with_gps

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "open311_schemas"
JURISDICTION = "city.example.cn"
BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def conforms(name: str, data: object) -> object:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=FORMATS).validate(data)
    return data


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml"), response.content
    return ET.fromstring(response.content)  # noqa: S314 - the portal's own answer


def xml_error(response, status: int) -> str:
    root = xml(response)
    assert root.tag == "errors" and response.status_code == status
    (error,) = root.findall("error")
    assert error.findtext("code") == str(status)
    assert error.findtext("description")
    return error.findtext("description")


def json_error(response, status: int) -> list[str]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    errors = conforms("errors", response.json())
    assert {e["code"] for e in errors} == {status}
    return [e["description"] for e in errors]


@pytest.fixture(autouse=True)
def jurisdiction(settings):
    settings.OPEN311_JURISDICTION_ID = JURISDICTION


@pytest.fixture
def key(db):
    return open311_client_create(name="City app")[1]


@pytest.fixture
def quiet_category(department):
    return ServiceItem.objects.create(
        code="streetlight",
        kind=ServiceItem.Kind.COMPLAINT,
        name_zh="路灯不亮",
        name_en="Street light out",
        lead_department=department,
        statutory_days=5,
        promised_days=5,
        urgent_hours=24,
    )


def post(client: Client, fmt: str, key: str, **data):
    """As a published client posts: the key in the query string, the body form-encoded."""
    return client.post(
        f"{BASE}/requests.{fmt}?{urlencode({'api_key': key})}",
        urlencode(data, doseq=True),
        content_type=FORM,
    )


# --- GET services, service definitions ---------------------------------------------------------


def test_the_service_list_says_which_categories_ask_questions(questions, quiet_category, client):
    listed = conforms(
        "services", client.get(f"{BASE}/services.json?jurisdiction_id={JURISDICTION}").json()
    )
    by_code = {s["service_code"]: s for s in listed}
    assert by_code["noise"]["metadata"] is True
    assert by_code["streetlight"]["metadata"] is False

    root = xml(client.get(f"{BASE}/services.xml?jurisdiction_id={JURISDICTION}"))
    assert root.tag == "services"
    services_xml = {s.findtext("service_code"): s for s in root.findall("service")}
    assert services_xml["noise"].findtext("metadata") == "true"
    assert services_xml["streetlight"].findtext("metadata") == "false"
    for field in ("service_name", "type", "group"):
        assert services_xml["noise"].findtext(field) == by_code["noise"][field]


def test_a_service_definition_lists_the_questions_as_attributes(questions, client):
    definition = conforms(
        "service_definition",
        client.get(f"{BASE}/services/noise.json", HTTP_ACCEPT_LANGUAGE="en").json(),
    )
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert list(attributes) == ["source", "when", "floor", "since", "detail"]  # no file
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3, 4, 5]
    assert {code: a["datatype"] for code, a in attributes.items()} == {
        "source": "singlevaluelist",
        "when": "multivaluelist",
        "floor": "number",
        "since": "datetime",
        "detail": "text",
    }
    source = attributes["source"]
    assert source["required"] is True and source["variable"] is True
    assert source["description"] == "Source of the noise"
    assert source["values"] == [
        {"key": "building", "name": "Building work"},
        {"key": "music", "name": "Music"},
    ]
    assert attributes["floor"]["required"] is False
    assert "YYYY-MM-DD" in attributes["since"]["datatype_description"]

    root = xml(client.get(f"{BASE}/services/noise.xml", HTTP_ACCEPT_LANGUAGE="en"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "noise"
    attributes_xml = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes_xml] == list(attributes)
    first = attributes_xml[0]
    assert first.findtext("datatype") == "singlevaluelist"
    assert first.findtext("required") == "true" and first.findtext("order") == "1"
    assert [(v.findtext("key"), v.findtext("name")) for v in first.findall("values/value")] == [
        ("building", "Building work"),
        ("music", "Music"),
    ]


def test_a_category_without_questions_has_an_empty_definition(quiet_category, client):
    definition = conforms(
        "service_definition", client.get(f"{BASE}/services/streetlight.json").json()
    )
    assert definition == {"service_code": "streetlight", "attributes": []}
    assert xml(client.get(f"{BASE}/services/streetlight.xml")).find("attributes") is not None


# --- POST requests ------------------------------------------------------------------------------


def test_a_published_client_files_with_the_key_in_the_query_string(
    questions, key, client, dispatcher, login, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.complaints.services import filing

    monkeypatch.setattr(filing, "_tracking_code_new", lambda: "482913")
    sms_outbox: list[str] = []
    monkeypatch.setattr(
        filing, "tracking_code_sms_send", lambda *, phone, text, number: sms_outbox.append(text)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            "json",
            key,
            jurisdiction_id=JURISDICTION,
            service_code="noise",
            lat="39.91",
            long="116.39",
            address_string="建国门内大街 5 号",
            description="工地夜间施工",
            first_name="Li",
            last_name="Lei",
            phone="13700137000",
            media_url="https://photos.example.net/p/123.jpg",
            **{
                "attribute[source]": "building",
                "attribute[when][]": ["night", "morning"],
                "attribute[floor]": "12",
                "attribute[since]": "2026-11-20",
            },
        )
    assert response.status_code == 201, response.content
    (created,) = conforms("post_response", response.json())
    case = Case.objects.get(number=created["service_request_id"])
    assert case.channel == Case.Channel.OPEN311 and case.reporter_name == "Li Lei"
    assert case.answers == {
        "source": "building",
        "when": ["night", "morning"],
        "floor": "12",
        "since": "2026-11-20",
        "detail": "",
    }
    # the extraction code is the reporter's secret: it goes by SMS, never into Open311
    assert created["service_notice"]
    assert "482913" not in response.content.decode()
    assert sms_outbox and "482913" in sms_outbox[-1]
    # the posted media_url is kept as a link and shown to the staff as one
    assert [link.url for link in MediaLink.objects.filter(case=case)] == [
        "https://photos.example.net/p/123.jpg"
    ]
    page = login(dispatcher).get(f"/staff/complaints/{case.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="https://photos.example.net/p/123.jpg"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "Building work" in html or "施工" in html  # the answers, as the staff read them

    # XML: the same answer
    again = post(
        client,
        "xml",
        key,
        service_code="noise",
        lat="39.9",
        long="116.4",
        description="再次",
        **{"attribute[source]": "music"},
    )
    assert again.status_code == 201, again.content
    root = xml(again)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id").startswith("TS-")
    assert root.findtext("request/service_notice")
    assert root.find("request/account_id") is None  # null in JSON: no element


def test_the_key_in_the_form_body_works_too_and_none_is_403(quiet_category, key, client):
    data = {"service_code": "streetlight", "address_string": "长安街 1 号", "description": "不亮"}
    ok = client.post(
        f"{BASE}/requests.json", urlencode({**data, "api_key": key}), content_type=FORM
    )
    assert ok.status_code == 201, ok.content
    json_error(client.post(f"{BASE}/requests.json", urlencode(data), content_type=FORM), 403)
    json_error(post(client, "json", "wrong", **data), 403)
    xml_error(post(client, "xml", "wrong", **data), 403)


def test_the_answers_are_checked_like_the_web_form(questions, key, client):
    base = {"service_code": "noise", "lat": "39.9", "long": "116.4", "description": "吵"}
    missing = json_error(post(client, "json", key, **base), 400)
    assert any(d.startswith("attribute[source]:") for d in missing)
    wrong = json_error(
        post(
            client, "json", key, **base, **{"attribute[source]": "aliens", "attribute[floor]": "99"}
        ),
        400,
    )
    assert {d.split(":")[0] for d in wrong} == {"attribute[source]", "attribute[floor]"}
    assert xml_error(post(client, "xml", key, **base), 400).startswith("attribute[source]:")
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_a_posted_media_url_is_stored_never_fetched(quiet_category, key, client, monkeypatch):
    contacted = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        contacted.append(address)
        if address and address[0] in ("198.51.100.7",):
            raise AssertionError("the server fetched the posted media_url")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        contacted.append(host)
        raise AssertionError("the server resolved the posted media_url")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    base = {"service_code": "streetlight", "address_string": "长安街 1 号", "description": "x"}
    response = post(client, "json", key, **base, media_url="http://198.51.100.7/internal.jpg")
    assert response.status_code == 201, response.content
    assert "198.51.100.7" not in [a[0] if isinstance(a, tuple) else a for a in contacted]
    assert MediaLink.objects.get().url == "http://198.51.100.7/internal.jpg"
    # not published again: the portal vouches only for the pictures it serves itself
    (item,) = client.get(f"{BASE}/requests/{response.json()[0]['service_request_id']}.json").json()
    assert item["media_url"] is None
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "ftp://x.example/a.jpg"):
        assert json_error(post(client, "json", key, **base, media_url=bad), 400)[0].startswith(
            "media_url:"
        )
    assert MediaLink.objects.count() == 1


# --- GET requests -------------------------------------------------------------------------------


def test_requests_are_listed_and_filtered(category, quiet_category, dispatcher, department, client):
    noisy, _code = file_complaint(category, latitude="39.9", longitude="116.4")
    dark, _code = file_complaint(quiet_category, address="长安街 1 号")
    services.complaint_dispatch(case=noisy, actor=dispatcher, department=department)

    everything = conforms("requests", client.get(f"{BASE}/requests.json").json())
    assert {r["service_request_id"] for r in everything} == {noisy.number, dark.number}
    by_id = {r["service_request_id"]: r for r in everything}
    # numbers when present, null when absent (never "")
    assert by_id[noisy.number]["lat"] == 39.9 and by_id[noisy.number]["long"] == 116.4
    assert by_id[dark.number]["lat"] is None and by_id[dark.number]["long"] is None
    assert by_id[dark.number]["expected_datetime"] is None  # not dispatched: no due time yet

    only = client.get(f"{BASE}/requests.json?service_code=noise&status=open").json()
    assert [r["service_request_id"] for r in conforms("requests", only)] == [noisy.number]
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []
    both = client.get(f"{BASE}/requests.json?status=open,closed").json()
    assert len(conforms("requests", both)) == 2
    assert json_error(client.get(f"{BASE}/requests.json?status=bogus"), 400)
    xml_error(client.get(f"{BASE}/requests.xml?status=bogus"), 400)

    now = timezone.now()
    future = (now + timezone.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(f"{BASE}/requests.json?start_date={future}").json() == []
    json_error(client.get(f"{BASE}/requests.json?start_date=yesterday"), 400)
    json_error(
        client.get(
            f"{BASE}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z"
        ),
        400,
    )
    ids = client.get(f"{BASE}/requests.json?service_request_id={noisy.number},{dark.number}")
    assert len(conforms("requests", ids.json())) == 2

    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    items = {r.findtext("service_request_id"): r for r in root.findall("request")}
    assert items[noisy.number].findtext("lat") == "39.9"
    assert items[dark.number].find("lat") is None  # null in JSON: the element is left out
    for field in ("status", "service_code", "service_name", "requested_datetime", "address"):
        assert items[noisy.number].findtext(field) == by_id[noisy.number][field]


def test_a_replied_case_stays_open_and_never_shows_the_reply(
    category, dispatcher, department, clerk, client
):
    case, code = file_complaint(category, reporter_phone="13700137000")
    services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    services.complaint_sign(case=case, actor=clerk)
    services.complaint_reply(case=case, actor=clerk, text="王先生您好，已联系施工方停工。")

    (item,) = conforms("requests", client.get(f"{BASE}/requests/{case.number}.json").json())
    assert item["status"] == "open"
    assert "王先生" not in item["status_notes"] and "停工" not in json.dumps(
        item, ensure_ascii=False
    )
    assert item["status_notes"]
    assert code not in json.dumps(item)
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []

    case_transition(case=Case.objects.get(pk=case.pk), transition="close", actor=None)
    (closed,) = conforms("requests", client.get(f"{BASE}/requests/{case.number}.json").json())
    assert closed["status"] == "closed"
    root = xml(client.get(f"{BASE}/requests/{case.number}.xml"))
    assert root.findtext("request/status") == "closed"
    assert root.findtext("request/status_notes") == closed["status_notes"]


# --- media_url out ------------------------------------------------------------------------------


def test_a_photo_is_published_without_metadata_unless_the_reporter_hid_their_identity(
    category, client
):
    from PIL import Image

    shown, _code = file_complaint(category, photos=[jpeg_with_gps()])
    hidden, _code = file_complaint(category, photos=[jpeg_with_gps()], hide_identity=True)
    listed = conforms("requests", client.get(f"{BASE}/requests.json").json())
    by_id = {r["service_request_id"]: r for r in listed}
    assert by_id[hidden.number]["media_url"] is None
    url = by_id[shown.number]["media_url"]
    assert url.startswith("http://testserver/open311/v2/media/")
    token = url.rsplit("/", 1)[-1]
    assert str(shown.attachments.get().pk) != token  # not an id to count through

    picture = client.get(urlparse(url).path)
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/jpeg"
    assert picture["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in picture["Content-Security-Policy"]
    assert picture["Content-Disposition"] == 'inline; filename="photo.jpg"'
    body = b"".join(picture.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert not image.getexif() and "exif" not in image.info
    assert b"PhoneMaker" not in body

    json_error(client.get(f"{BASE}/media/{token[:-2]}xx"), 404)
    other = hidden.attachments.get()
    from apps.complaints.open311_selectors import open311_media_token

    # even a correctly signed name of a hidden reporter's photo is refused
    json_error(client.get(f"{BASE}/media/{open311_media_token(attachment_id=other.pk)}"), 404)
    # hiding later takes effect at once
    Case.objects.filter(pk=shown.pk).update(hide_identity=True)
    json_error(client.get(urlparse(url).path), 404)


# --- errors -------------------------------------------------------------------------------------


def test_every_error_is_an_open311_error_list(quiet_category, key, settings):
    client = Client(enforce_csrf_checks=True)  # as a browser-less client meets the portal
    deleted = client.delete(f"{BASE}/requests.json")
    json_error(deleted, 405)
    assert "GET" in deleted["Allow"] and "POST" in deleted["Allow"]
    json_error(client.post(f"{BASE}/services.json", urlencode({"a": 1}), content_type=FORM), 405)
    xml_error(client.post(f"{BASE}/services.xml"), 405)
    json_error(client.put(f"{BASE}/requests/TS-1.json"), 405)

    base = {"lat": "39.9", "long": "116.4", "description": "x"}
    assert "service_code" in json_error(post(client, "json", key, **base), 400)[0]
    json_error(post(client, "json", key, service_code="nope", **base), 404)
    xml_error(post(client, "xml", key, service_code="nope", **base), 404)
    located = json_error(
        post(client, "json", key, service_code="streetlight", description="x"), 400
    )
    assert located[0].startswith("lat:")

    json_error(client.get(f"{BASE}/requests/TS-0000.json"), 404)
    xml_error(client.get(f"{BASE}/requests/TS-0000.xml"), 404)
    json_error(client.get(f"{BASE}/services/nope.json"), 404)
    json_error(client.get(f"{BASE}/nothing-here"), 404)
    # text the database cannot store is refused at the edge, in the format asked for
    xml_error(post(client, "xml", key, service_code="streetlight", description="a\x00b"), 400)
    json_error(post(client, "json", key, service_code="streetlight", description="a\x00b"), 400)
    xml_error(client.get(f"{BASE}/requests.csv.xml"), 404)

    # the one jurisdiction this endpoint serves; another is 404, as the spec says
    assert client.get(f"{BASE}/services.json?jurisdiction_id={JURISDICTION}").status_code == 200
    json_error(client.get(f"{BASE}/services.json?jurisdiction_id=elsewhere"), 404)
    xml_error(client.get(f"{BASE}/requests.xml?jurisdiction_id=elsewhere"), 404)
    json_error(
        post(client, "json", key, service_code="streetlight", jurisdiction_id="elsewhere", **base),
        404,
    )
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()
