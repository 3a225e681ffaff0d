"""The API's contract tells the truth: it validates, every operation documents the error answers
it can give in the one error shape, lists are described as pages (and refuse a page or page size
that is not a number), and docs/openapi.yaml is what the code says."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

ROOT = Path(__file__).resolve().parents[2]
ERROR_REF = "#/components/schemas/ApiError"
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_validates_against_openapi_3(schema):
    validate_schema(schema)  # raises on an invalid document
    assert len(list(operations(schema))) > 50


def test_the_error_shape_is_one_component(schema):
    error = schema["components"]["schemas"]["ApiError"]
    assert error["required"] == ["code", "detail", "errors"]
    assert error["properties"]["errors"]["additionalProperties"]["type"] == "array"


def test_every_operation_documents_its_error_answers(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        # A wrong or expired bearer token is refused wherever credentials are read.
        reads_credentials = any(scheme for scheme in operation.get("security", []))
        expected = {"401"} if reads_credentials else set()
        if method in WRITES:
            expected |= {"400", "403", "404", "409", "429"}
        if "{" in path:
            expected.add("404")
        missing = expected - responses.keys()
        assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"
        for code, response in responses.items():
            if code >= "400":
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == ERROR_REF, f"{method.upper()} {path} {code}"


def test_a_staff_only_read_documents_403_and_an_anonymous_read_429(schema):
    tasks = schema["paths"]["/api/v1/tasks/"]["get"]["responses"]
    assert {"401", "403"} <= tasks.keys()
    services = schema["paths"]["/api/v1/services/"]["get"]["responses"]
    assert "429" in services and "Retry-After" in services["429"]["headers"]


@pytest.mark.parametrize(
    ("path", "component", "position"),
    [
        ("/api/v1/cases/", "PaginatedCaseSummaryList", "cursor"),  # keyset pages
        ("/api/v1/tasks/", "PaginatedStaffTaskList", "cursor"),
        ("/api/v1/feedback/rectifications/", "PaginatedFeedbackRectificationList", "cursor"),
    ],
)
def test_paginated_lists_are_described_as_pages(schema, path, component, position):
    operation = schema["paths"][path]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": f"#/components/schemas/{component}"}
    page = schema["components"]["schemas"][component]
    assert {"next", "previous", "results"} <= page["properties"].keys()
    assert page["properties"]["results"]["type"] == "array"
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert position in parameters
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert {"400", "404"} <= operation["responses"].keys()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["null", "0", "-3", "2.5", "201", "١"])
def test_a_page_size_that_is_not_a_whole_number_in_range_is_refused(login, resident, value):
    answer = login(resident).get("/api/v1/cases/", {"page_size": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["page_size"]


def test_no_list_pages_by_number(schema):
    """Keyset pages everywhere (issue 11): no `?page=` is offered, so no OFFSET is run."""
    offered = {
        (path, p["name"])
        for path, item in schema["paths"].items()
        for operation in item.values()
        for p in operation.get("parameters", [])
    }
    assert not [path for path, name in offered if name == "page"]
    assert ("/api/v1/notifications/", "cursor") in offered


@pytest.mark.django_db
def test_a_cursor_that_does_not_parse_is_the_first_page(login, resident):
    client = login(resident)
    assert client.get("/api/v1/notifications/", {"cursor": "null"}).status_code == 200
    ok = client.get("/api/v1/cases/", {"page_size": "200"})
    assert ok.status_code == 200
    assert ok.json()["results"] == []


@pytest.mark.django_db
def test_the_notification_list_refuses_page_size_null_too(login, resident):
    answer = login(resident).get("/api/v1/notifications/", {"page_size": "null"})
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["page_size"]


def test_docs_openapi_yaml_is_what_the_code_says(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--file", str(generated))
    checked_in = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    assert yaml.safe_load(generated.read_text()) == checked_in, "run make openapi"


@pytest.mark.django_db
def test_the_page_size_refusal_is_translated(login, resident):
    answer = login(resident).get(
        "/api/v1/cases/", {"page_size": "500"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert answer.json()["errors"]["page_size"] == ["请输入 1 到 200 之间的整数。"]


# --- what schemathesis found: every refusal in the one shape ------------------------------------


@pytest.mark.django_db
def test_an_api_path_that_matches_nothing_answers_the_error_shape_in_json(client, settings):
    settings.DEBUG = False
    answer = client.get("/api/v1/tasks/not-a-number/claim/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "Not found.", "code": "not_found", "errors": {}}
    assert "text/html" in client.get("/no-such-page/")["Content-Type"]


@pytest.mark.django_db
def test_a_selectors_404_answers_the_error_shape(login, resident):
    answer = login(resident).get("/api/v1/cases/NO-SUCH-REF/")
    assert answer.status_code == 404
    assert set(answer.json()) == {"detail", "code", "errors"}
    assert answer.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_unknown_category_nearby_answers_the_error_shape(client):
    answer = client.get("/api/v1/complaints/nearby/", {"category": "no-such-category"})
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


@pytest.mark.django_db
def test_a_month_that_is_not_a_month_names_the_field(client):
    answer = client.get("/api/v1/metrics/", {"start": "soon"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["start"]
    assert all(isinstance(message, str) for message in answer.json()["errors"]["start"])
