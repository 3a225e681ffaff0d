"""The load benchmark's floor view is served only by the benchmark's URLconf with the flag on."""

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

from apps.cases.models import Case
from tests.catalog.factories import make_service
from tests.conftest import make_resident

FLOOR = "/__benchmark__/floor/{}/"


def test_the_portal_has_no_floor_view():
    with pytest.raises(Resolver404):
        resolve(FLOOR.format(1))


def test_the_benchmark_urlconf_without_the_flag_has_none_either():
    with override_settings(BENCHMARK_FLOOR=False):
        urls = importlib.reload(importlib.import_module("apps.demo.benchmark_urls"))
        with pytest.raises(Resolver404):
            resolve(FLOOR.format(1), urlconf=urls)


def test_with_the_flag_the_floor_reads_one_case_by_id(client, department):
    service = make_service(department=department)
    resident = make_resident()
    case = Case.objects.create(
        service=service, version=service.versions.get(), applicant=resident, created_by=resident
    )
    with override_settings(BENCHMARK_FLOOR=True, ROOT_URLCONF="apps.demo.benchmark_urls"):
        importlib.reload(importlib.import_module("apps.demo.benchmark_urls"))
        assert client.get(FLOOR.format(case.pk)).json() == {
            "id": case.pk,
            "reference": case.reference,
            "state": "draft",
        }
        assert client.get(FLOOR.format(case.pk + 1)).status_code == 404
        # the rest of the portal is still there
        assert client.get("/healthz").status_code == 200
