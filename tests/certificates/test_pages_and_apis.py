"""The staff pages and APIs of certificates: the issuing lead revokes and replaces, nobody else."""

import pytest

from apps.certificates.models import Certificate
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_issuing_lead_revokes_on_the_staff_page_and_the_holder_is_told(
    issued, lead, resident, login
):
    client = login(lead)
    page = client.get(f"/staff/certificates/{issued.number}/").content.decode()
    assert "吊销证照" in page and "王秀兰" in page

    # a revocation without a reason is refused beside the form, nothing changes
    refused = client.post(
        f"/staff/certificates/{issued.number}/", {"action": "revoke", "revoke-reason": ""}
    )
    assert refused.status_code == 200
    issued.refresh_from_db()
    assert issued.state == Certificate.State.VALID

    response = client.post(
        f"/staff/certificates/{issued.number}/",
        {"action": "revoke", "revoke-reason": "经营场所已注销"},
    )
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.state == Certificate.State.REVOKED
    assert Notification.objects.filter(recipient=resident, event="certificate.revoked").exists()
    listing = client.get("/staff/certificates/").content.decode()
    assert issued.number in listing and "已吊销" in listing


def test_the_issuing_departments_clerk_sees_it_but_may_not_revoke(issued, clerk, login):
    client = login(clerk)
    page = client.get(f"/staff/certificates/{issued.number}/").content.decode()
    assert "吊销证照" not in page
    response = client.post(
        f"/staff/certificates/{issued.number}/", {"action": "revoke", "revoke-reason": "越权"}
    )
    assert response.status_code == 200
    issued.refresh_from_db()
    assert issued.state == Certificate.State.VALID


def test_another_departments_staff_neither_see_nor_revoke_it(issued, housing_lead, login):
    client = login(housing_lead)
    assert client.get(f"/staff/certificates/{issued.number}/").status_code == 404
    api = client.post(
        f"/api/v1/staff/certificates/{issued.number}/revoke/",
        {"reason": "越权"},
        content_type="application/json",
    )
    assert api.status_code == 404
    issued.refresh_from_db()
    assert issued.state == Certificate.State.VALID


def test_the_staff_api_revokes_for_the_lead_and_refuses_the_clerk(issued, lead, clerk, login):
    url = f"/api/v1/staff/certificates/{issued.number}/revoke/"
    refused = login(clerk).post(url, {"reason": "越权"}, content_type="application/json")
    assert refused.status_code == 403
    done = login(lead).post(url, {"reason": "注销"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "revoked"


def test_the_staff_api_replaces_with_changed_fields(issued, lead, login):
    response = login(lead).post(
        f"/api/v1/staff/certificates/{issued.number}/replace/",
        {"reason": "变更经营场所", "fields": {"premises": "朝阳区 9 号"}},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["fields"]["premises"] == "朝阳区 9 号" and body["status"] == "valid"
    issued.refresh_from_db()
    assert issued.replaced_by.number == body["number"]


def test_the_wallet_pdf_is_the_holders_only(issued, resident, login):
    from tests.conftest import make_resident

    response = login(resident).get(f"/certificates/{issued.number}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    other = make_resident(
        email="other@example.cn", phone="13900139000", id_number="110101194003070027"
    )
    assert login(other).get(f"/certificates/{issued.number}/pdf/").status_code == 404
