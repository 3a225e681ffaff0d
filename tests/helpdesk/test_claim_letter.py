"""The claim-code letter (领取码) for an assisted resident, printed from the desk page or fetched
through its desk API twin: the same letter, under the same checks of who may reach the resident,
with a code that works and the counter as the way that needs no computer."""

import re

import pytest

from apps.accounts.models import ServicePoint, StaffMembership
from apps.audit.models import AuditEvent
from apps.helpdesk import services
from apps.helpdesk.models import ClaimCode
from tests.conftest import make_staff
from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


@pytest.fixture
def other_counter(department):
    point = ServicePoint.objects.create(
        code="north", name_zh="北区便民服务站", address="北四环 9 号", department=department
    )
    return make_staff(
        username="counter-north",
        department=department,
        role=StaffMembership.Role.COUNTER,
        service_point=point,
    )


def _letter_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    return pdf_text(response.content)


@pytest.mark.parametrize(
    "path",
    ["/desk/residents/{id}/claim-code/", "/api/v1/desk/residents/{id}/claim-codes/letter/"],
    ids=["desk-page", "desk-api"],
)
def test_the_counter_prints_a_claim_letter_whose_code_works(
    path, login, counter_clerk, assisted_resident, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.city.cn"]
    # given counter staff of the resident's own service point
    client = login(counter_clerk)

    # when they print her claim-code letter
    response = client.post(path.format(id=assisted_resident.pk), HTTP_HOST="portal.city.cn")

    # then the letter names her, carries a code that claims her account, says how to claim it
    # online at the portal's absolute address and, for those who are not online, at the counter
    assert response.status_code in (200, 201)
    text = _letter_text(response)
    assert "李秀英" in text
    (code,) = set(CODE.findall(text))
    assert services.claim_code_check(code=code, id_number="110101194003070027")
    assert "http://portal.city.cn/family/claim/" in text
    assert "服务网点" in text or "service point" in text
    assert AuditEvent.objects.filter(
        action="helpdesk.claim.issue", actor=counter_clerk, on_behalf_of=assisted_resident
    ).exists()


def test_a_new_letter_voids_the_code_of_the_last_one(login, counter_clerk, assisted_resident):
    client = login(counter_clerk)
    first = client.post(f"/desk/residents/{assisted_resident.pk}/claim-code/")
    second = client.post(f"/api/v1/desk/residents/{assisted_resident.pk}/claim-codes/letter/")
    (old,) = set(CODE.findall(_letter_text(first)))
    (new,) = set(CODE.findall(_letter_text(second)))
    assert old != new
    assert ClaimCode.objects.filter(resident=assisted_resident, voided_at__isnull=True).count() == 1
    assert services.claim_code_check(code=new, id_number="110101194003070027")


def test_another_help_points_counter_gets_no_letter(login, other_counter, assisted_resident):
    client = login(other_counter)
    assert client.post(f"/desk/residents/{assisted_resident.pk}/claim-code/").status_code == 404
    api = client.post(f"/api/v1/desk/residents/{assisted_resident.pk}/claim-codes/letter/")
    assert api.status_code == 404
    assert not ClaimCode.objects.filter(resident=assisted_resident).exists()


def test_an_online_account_gets_no_claim_letter_and_is_told_why(
    login, counter_clerk, assisted_resident
):
    # given a resident who has since claimed their account online
    type(assisted_resident).objects.filter(pk=assisted_resident.pk).update(is_assisted=False)
    client = login(counter_clerk)
    response = client.post(
        f"/api/v1/desk/residents/{assisted_resident.pk}/claim-codes/letter/",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert response.json()["detail"] == "This account is already an online account."
    assert not ClaimCode.objects.filter(resident=assisted_resident).exists()
