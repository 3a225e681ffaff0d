"""An expired or revoked mandate blocks action on behalf with a clear message."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from apps.accounts.models import ServicePoint, StaffMembership
from apps.cases.models import Case
from apps.core.exceptions import ApplicationError
from apps.helpdesk import services
from apps.helpdesk.models import Mandate
from tests.catalog.factories import make_service
from tests.conftest import make_staff
from tests.helpdesk.conftest import PDF_BYTES, make_mandate, staff_code

pytestmark = pytest.mark.django_db


def test_no_mandate_refuses(service, counter_clerk, assisted_resident):
    with override("en"), pytest.raises(services.MandateRefused) as refused:
        services.mandate_check(
            mandate=None, resident=assisted_resident, staff=counter_clerk, service=service
        )
    assert "There is no mandate from 李秀英" in refused.value.message


def test_expired_mandate_refuses_with_its_date(service, counter_clerk, assisted_resident):
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    past = timezone.localdate() - timedelta(days=1)
    Mandate.objects.filter(pk=mandate.pk).update(
        valid_from=past - timedelta(days=10), valid_until=past
    )
    mandate.refresh_from_db()
    with override("en"), pytest.raises(services.MandateRefused) as refused:
        services.acting_case_create(
            staff=counter_clerk, resident=assisted_resident, mandate=mandate, service=service
        )
    assert f"Mandate {mandate.reference} expired on" in refused.value.message
    assert refused.value.extra["reason"] == "expired"
    assert not Case.objects.filter(applicant=assisted_resident).exists()


def test_revoked_mandate_blocks_signing_and_says_by_whom(service, counter_clerk, assisted_resident):
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    case = services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=mandate, service=service
    )
    services.mandate_revoke(mandate=mandate, actor=assisted_resident, reason="不再需要")
    mandate.refresh_from_db()
    with override("en"), pytest.raises(services.MandateRefused) as refused:
        services.assisted_case_submit(
            case=case, staff=counter_clerk, mandate=mandate, code=staff_code(counter_clerk)
        )
    assert "was revoked on" in refused.value.message and "李秀英" in refused.value.message
    case.refresh_from_db()
    assert case.state == Case.State.DRAFT


def test_scope_refusals_name_the_case_or_service(
    service, department, counter_clerk, assisted_resident
):
    other = make_service(department=department, code="other-service", name_en="Other")
    only_service = make_mandate(
        counter_clerk=counter_clerk, resident=assisted_resident, scope="service", service=other
    )
    with override("en"), pytest.raises(services.MandateRefused) as refused:
        services.acting_case_create(
            staff=counter_clerk, resident=assisted_resident, mandate=only_service, service=service
        )
    assert "covers only the service" in refused.value.message

    case = services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=only_service, service=other
    )
    only_case = make_mandate(
        counter_clerk=counter_clerk, resident=assisted_resident, scope="case", case=case
    )
    second = services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=only_service, service=other
    )
    with override("en"), pytest.raises(services.MandateRefused) as refused:
        services.acting_answers_update(
            case=second, staff=counter_clerk, mandate=only_case, answers={"full_name": "李秀英"}
        )
    assert f"covers only case {case.ref}" in refused.value.message


def test_desk_refuses_on_screen_after_revocation(service, counter_clerk, assisted_resident, login):
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    client = login(counter_clerk)
    client.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})
    client.post(f"/desk/act/apply/{service.code}/")
    case = Case.objects.get(applicant=assisted_resident)
    services.mandate_revoke(mandate=mandate, actor=counter_clerk)
    response = client.post(f"/desk/act/cases/{case.ref}/steps/1/", {"full_name": "李"})
    assert response.status_code == 403
    assert mandate.reference in response.content.decode()


def test_mandate_evidence_is_checked_by_content(counter_clerk, assisted_resident):
    today = timezone.localdate()
    fake = SimpleUploadedFile("form.pdf", b"not really a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        services.mandate_create(
            actor=counter_clerk,
            resident=assisted_resident,
            scope="all",
            valid_from=today,
            valid_until=today,
            upload=fake,
        )
    assert "evidence" in refused.value.errors
    with pytest.raises(ApplicationError):
        services.mandate_create(
            actor=counter_clerk,
            resident=assisted_resident,
            scope="all",
            valid_from=today,
            valid_until=today,
        )
    scan = SimpleUploadedFile("form.pdf", PDF_BYTES, content_type="application/pdf")
    mandate = services.mandate_create(
        actor=counter_clerk,
        resident=assisted_resident,
        scope="all",
        valid_from=today,
        valid_until=today,
        upload=scan,
    )
    assert mandate.evidence_kind == Mandate.Evidence.SCAN and mandate.status == "valid"


def test_mandate_form_with_scanned_upload_works_without_js(counter_clerk, assisted_resident, login):
    client = login(counter_clerk)
    today = timezone.localdate()
    page = client.get(f"/desk/residents/{assisted_resident.pk}/mandates/new/")
    assert b"helpdesk-signature.js" in page.content
    response = client.post(
        f"/desk/residents/{assisted_resident.pk}/mandates/new/",
        {
            "scope": "all",
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=90)).isoformat(),
            "evidence": SimpleUploadedFile("form.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    assert Mandate.objects.filter(resident=assisted_resident).count() == 1


def test_counter_staff_of_another_help_point_cannot_act_on_the_mandate(
    service, department, counter_clerk, assisted_resident
):
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    elsewhere = ServicePoint.objects.create(
        code="east", name_zh="东区便民服务站", address="东大街 9 号", department=department
    )
    stranger = make_staff(
        username="counter-east",
        department=department,
        role=StaffMembership.Role.COUNTER,
        service_point=elsewhere,
    )
    with override("en"), pytest.raises(services.MandateRefused) as refused:
        services.acting_start(staff=stranger, resident=assisted_resident, mandate=mandate)
    assert refused.value.extra["reason"] == "other_service_point"
    assert "Only its counter staff may act on it" in refused.value.message
    with pytest.raises(services.MandateRefused):
        services.acting_case_create(
            staff=stranger, resident=assisted_resident, mandate=mandate, service=service
        )
    assert not Case.objects.filter(applicant=assisted_resident).exists()
    # The help point's own counter staff still act on it.
    assert (
        services.acting_start(staff=counter_clerk, resident=assisted_resident, mandate=mandate)
        == mandate
    )
