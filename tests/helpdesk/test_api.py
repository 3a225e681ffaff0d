"""/api/v1/desk/: counter staff with 2FA find residents, open accounts, record mandates, apply and
sign for the resident, print, and issue claim codes."""

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.cases.models import Case
from tests.helpdesk.conftest import PNG_DATA_URL, STEP1, pdf_upload, staff_code

pytestmark = pytest.mark.django_db


def test_desk_api_end_to_end(counter_clerk, assisted_resident, service, login, service_point):
    client = login(counter_clerk)
    found = client.post(
        "/api/v1/desk/residents/lookup/",
        {"q": "110101194003070027", "reason": "at_counter", "reason_text": "居家养老服务"},
        content_type="application/json",
    ).json()
    assert [r["real_name"] for r in found] == ["李秀英"]
    assert found[0]["id_number"] == "1101**********0027"

    created = client.post(
        "/api/v1/desk/residents/",
        {
            "real_name": "赵大爷",
            "id_number": "110101194501010019",
            "preferred_contact": "letter",
            "identity_document": "id_card",
            "last_digits": "0019",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["email"] == "" and created.json()["is_assisted"] is True

    check = client.post(
        f"/api/v1/desk/residents/{assisted_resident.pk}/identity-checks/",
        {"identity_document": "id_card", "last_digits": "0027"},
        content_type="application/json",
    )
    assert check.status_code == 201

    today = timezone.localdate()
    mandate = client.post(
        f"/api/v1/desk/residents/{assisted_resident.pk}/mandates/",
        {
            "scope": "service",
            "service": service.code,
            "valid_from": today.isoformat(),
            "valid_until": today.isoformat(),
            "drawn_signature": PNG_DATA_URL,
        },
        content_type="application/json",
    )
    assert mandate.status_code == 201, mandate.json()
    mandate_id = mandate.json()["id"]
    listed = client.get(f"/api/v1/desk/residents/{assisted_resident.pk}/mandates/").json()
    assert listed[0]["status"] == "valid"

    started = client.post(
        f"/api/v1/desk/residents/{assisted_resident.pk}/applications/",
        {"mandate": mandate_id, "service": service.code, "answers": {**STEP1, "needs": ["bath"]}},
        content_type="application/json",
    )
    assert started.status_code == 201, started.json()
    ref = started.json()["reference"]
    case = Case.objects.get(reference=ref)
    from apps.helpdesk import services
    from apps.helpdesk.models import Mandate

    services.acting_attachment_add(
        case=case,
        staff=counter_clerk,
        mandate=Mandate.objects.get(pk=mandate_id),
        field_key="id_scan",
        upload=pdf_upload(),
    )
    submitted = client.post(
        f"/api/v1/desk/residents/{assisted_resident.pk}/applications/{ref}/submit/",
        {"mandate": mandate_id, "code": staff_code(counter_clerk)},
        content_type="application/json",
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"

    revoked = client.post(
        f"/api/v1/desk/mandates/{mandate_id}/revoke/",
        {"reason": "本人要求"},
        content_type="application/json",
    )
    assert revoked.json()["status"] == "revoked"
    refused = client.post(
        f"/api/v1/desk/residents/{assisted_resident.pk}/applications/",
        {"mandate": mandate_id, "service": service.code},
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["reason"] == "revoked"

    batch = client.post("/api/v1/desk/print-batches/")
    assert batch.status_code == 201 and batch.json()["letter_count"] >= 1
    claim = client.post(f"/api/v1/desk/residents/{assisted_resident.pk}/claim-codes/")
    assert claim.status_code == 201 and len(claim.json()["code"]) == 14
    assert AuditEvent.objects.filter(action="helpdesk.resident.view").exists()


def test_desk_api_is_for_counter_staff_with_2fa(clerk, counter_clerk, login):
    assert login(clerk).post("/api/v1/desk/residents/lookup/", {"q": "x"}).status_code == 403
    unverified = login(counter_clerk, verified=False)
    assert unverified.post("/api/v1/desk/residents/lookup/", {"q": "x"}).status_code == 403
