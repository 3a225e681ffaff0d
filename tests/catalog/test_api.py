"""The catalogue API: open to everyone, read-only."""

import pytest
from rest_framework.test import APIClient

from .factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_and_search_without_signing_in(api, department):
    make_service(department=department)
    make_service(
        department=department,
        code="other",
        name_zh="其他事项",
        name_en="Something else",
        summary_zh="其他",
        summary_en="Other",
    )
    response = api.get("/api/v1/services/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [s["code"] for s in response.json()] == ["elderly-card", "other"]
    response = api.get("/api/v1/services/", {"q": "优待"})
    assert [s["code"] for s in response.json()] == ["elderly-card"]
    item = response.json()[0]
    assert item["promised_days"] == 5 and item["statutory_days"] == 20
    assert item["lead_department"]["code"] == "market"


def test_detail_has_steps_fields_documents_stages_and_limits(api, department):
    make_service(department=department)
    response = api.get("/api/v1/services/elderly-card/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Senior citizen card"
    assert (data["promised_days"], data["statutory_days"]) == (5, 20)
    assert data["documents"][0]["name"] == "Resident ID card"
    assert data["stages"][0]["departments"][0]["code"] == "market"
    version = data["version"]
    assert version["number"] == 1
    assert version["steps"] == [
        {"number": 1, "title": "About you"},
        {"number": 2, "title": "What you need"},
    ]
    fields = {f["key"]: f for f in version["fields"]}
    assert fields["gender"]["choices"] == [
        {"value": "f", "label": "Female"},
        {"value": "m", "label": "Male"},
    ]
    assert fields["household"]["rules"] == {"min": 1, "max": 20}
    assert fields["id_scan"]["kind"] == "file"
    assert fields["id_scan"]["document_id"] == data["documents"][0]["id"]


def test_detail_in_chinese(api, department):
    make_service(department=department)
    data = api.get("/api/v1/services/elderly-card/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert data["name"] == "老年人优待证办理"
    assert data["version"]["steps"][0]["title"] == "申请人信息"


def test_unknown_service_is_404(api):
    assert api.get("/api/v1/services/nope/").status_code == 404


def test_the_schema_names_the_catalogue_components(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "ServiceDetail" in text and "ServiceField" in text
