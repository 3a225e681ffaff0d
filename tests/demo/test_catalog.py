"""The demo catalogue."""

import pytest

from apps.catalog.models import FieldDefinition, ServiceItem, ServiceVersion
from apps.catalog.services import answers_validate
from apps.demo.loader import seed_catalog

pytestmark = pytest.mark.django_db


def test_seed_catalog_is_idempotent_and_realistic():
    # when the demo catalogue is seeded twice
    seed_catalog()
    seed_catalog()
    # then there are at least four services, each with one published version
    services = ServiceItem.objects.all()
    assert services.count() >= 4
    assert ServiceVersion.objects.count() == services.count()
    for service in services:
        version = service.current_version()
        assert version is not None
        assert service.promised_days <= service.statutory_days
        kinds = set(version.fields.values_list("kind", flat=True))
        assert FieldDefinition.Kind.FILE in kinds
        assert 2 <= len(version.steps) <= 3
        assert set(version.fields.values_list("step", flat=True)) == set(
            range(1, len(version.steps) + 1)
        )
    # and one stage is reviewed by two departments in parallel
    parallel = [
        stage
        for service in services
        for stage in service.stages.all()
        if stage.departments.count() >= 2
    ]
    assert parallel
    all_kinds = set(FieldDefinition.objects.values_list("kind", flat=True))
    assert {"id_number", "choice", "date", "file", "multichoice", "number"} <= all_kinds


def test_demo_forms_accept_a_sensible_application():
    seed_catalog()
    version = ServiceItem.objects.get(code="senior-citizen-card").current_version()
    answers = {
        "full_name": "李秀英",
        "id_number": "110101194003070027",
        "birth_date": "1940-03-07",
        "gender": "f",
        "phone": "13900139000",
        "address": "东城区和平里街道 3 号",
        "delivery": "post",
    }
    assert answers_validate(version=version, answers=answers) == {}
