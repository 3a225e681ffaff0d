"""A form field that names `certificate:<type>.<field>` is filled in from the applicant's valid
certificate, with consent, and says which certificate it came from."""

import pytest
from django.utils import timezone

from apps.cases.models import Case
from apps.catalog.models import FieldDefinition
from apps.certificates import services
from tests.catalog.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def prefilled_service(other_department):
    service = make_service(department=other_department, code="shop-sign-2", publish=False)
    version = service.versions.get()
    FieldDefinition.objects.filter(version=version, key="address").update(
        prefill_source="certificate:food-licence.premises"
    )
    version.published_at = timezone.now()
    version.save()
    return service


def _start(client, service):
    response = client.post(f"/cases/new/{service.code}/", {"prefill": "draft"})
    assert response.status_code == 302, response.content
    return Case.objects.filter(service=service, state=Case.State.DRAFT).latest("id")


def test_a_field_is_prefilled_from_the_applicants_valid_certificate(
    issued, prefilled_service, resident, login
):
    case = _start(login(resident), prefilled_service)
    assert case.answers["address"] == issued.fields["premises"]
    assert case.prefill["fields"]["address"]["origin"] == {
        "kind": "certificate",
        "certificate": issued.number,
    }


def test_a_revoked_certificate_prefills_nothing(issued, prefilled_service, resident, lead, login):
    services.certificate_revoke(certificate=issued, actor=lead, reason="许可已注销")
    case = _start(login(resident), prefilled_service)
    assert "address" not in case.answers
