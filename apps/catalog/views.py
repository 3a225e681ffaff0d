"""The catalogue pages, for anyone (one audience: public)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.db_router import read_from_replica

from .selectors import catalog_departments, service_get, service_list, service_version_get

PAGE_SIZE = 20


@read_from_replica()
def service_list_view(request: HttpRequest) -> HttpResponse:
    """Browse and search the catalogue (from the replica where there is one)."""
    q = request.GET.get("q", "").strip()[:100]
    department = request.GET.get("department", "").strip()[:40]
    services = service_list(q=q, department=department)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "resident/catalog/service_list.html",
        {
            "q": q,
            "department": department,
            "departments": catalog_departments(),
            "page_obj": page,
            "services": page.object_list,
            "searched": bool(q or department),
        },
    )


def service_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """The guide page of one service (办事指南)."""
    service = service_get(code=code)
    version = service_version_get(service=service)
    stages = list(service.stages.all())
    return render(
        request,
        "resident/catalog/service_detail.html",
        {
            "service": service,
            "version": version,
            "documents": list(service.documents.all()),
            "stages": stages,
            "parallel": any(len(stage.departments.all()) > 1 for stage in stages),
        },
    )
