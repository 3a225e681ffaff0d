"""Resident pages: browse and search the catalogue, read a service's guide."""

import pytest
from django.utils import translation

from apps.accounts.models import Department
from apps.catalog.models import ReviewStage
from apps.catalog.selectors import service_list

from .factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(department, other_department):
    card = make_service(department=department)
    permit = make_service(
        department=other_department,
        code="road-permit",
        name_zh="占道施工许可",
        name_en="Road works permit",
        summary_zh="临时占用城市道路施工。",
        summary_en="Dig up or occupy a city road for works.",
        statutory_days=20,
        promised_days=10,
    )
    joint = ReviewStage.objects.create(service=permit, order=2, name_zh="并联审查", name_en="Joint")
    joint.departments.set([department, other_department])
    draft_only = make_service(department=department, code="draft-only", publish=False)
    return card, permit, draft_only


def codes(queryset):
    return sorted(s.code for s in queryset)


def test_search_finds_by_chinese_and_english_words(services):
    assert codes(service_list(q="优待证")) == ["elderly-card"]
    assert codes(service_list(q="施工")) == ["road-permit"]
    assert codes(service_list(q="road")) == ["road-permit"]
    assert codes(service_list(q="SENIOR card")) == ["elderly-card"]
    assert codes(service_list(q="road senior")) == []
    assert codes(service_list(q="elderly")) == ["elderly-card"]


def test_drafts_and_inactive_services_are_not_listed(services):
    card, permit, _ = services
    permit.is_active = False
    permit.save()
    assert codes(service_list()) == ["elderly-card"]


def test_filter_by_department_includes_reviewing_departments(services, other_department):
    assert codes(service_list(department="housing")) == ["road-permit"]
    assert codes(service_list(department="market")) == ["elderly-card", "road-permit"]


def test_the_list_page_searches(client, services):
    with translation.override("en"):
        response = client.get("/services/", {"q": "优待证"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/services/elderly-card/" in body
    assert "/services/road-permit/" not in body


def test_the_list_page_says_when_nothing_matches(client, services):
    response = client.get("/services/", {"q": "护照"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert 'class="notice"' in response.content.decode()


def test_the_guide_page_shows_both_time_limits_and_the_reviewers(client, services):
    # when a resident opens the guide of the road permit
    response = client.get("/services/road-permit/")
    # then both limits, the documents, the departments and the apply link are there
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-promised-days="10"' in body
    assert 'data-statutory-days="20"' in body
    assert "居民身份证" in body
    assert "市场监督管理局" in body and "住房和城乡建设局" in body
    assert 'href="/cases/new/road-permit/"' in body
    assert response.context["parallel"] is True


def test_the_guide_page_in_english(client, services):
    client.cookies["django_language"] = "en"
    response = client.get("/services/road-permit/")
    body = response.content.decode()
    assert "Road works permit" in body
    assert "10 working days" in body and "20 working days" in body


def test_an_unpublished_or_unknown_service_is_404(client, services):
    assert client.get("/services/draft-only/").status_code == 404
    assert client.get("/services/nothing-here/").status_code == 404


def test_the_department_filter_lists_departments_with_services(client, services):
    Department.objects.create(code="empty", name_zh="无事项局")
    response = client.get("/services/")
    assert [d.code for d in response.context["departments"]] == ["housing", "market"]
