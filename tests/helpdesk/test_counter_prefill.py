"""Counter staff acting for an assisted resident under a mandate get the same prefill as the
resident online, with the mandate as the consent: the audit names it, the page and the desk
API say where each answer came from."""

import pytest

from apps.audit.models import AuditEvent
from apps.cases.models import Case
from apps.helpdesk import services
from tests.catalog.factories import make_prefill_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(department):
    return make_prefill_service(department=department)


def test_acting_under_a_mandate_prefills_with_the_mandates_consent(
    service, counter_clerk, assisted_resident, mandate, login
):
    client = login(counter_clerk)
    client.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})
    # when the clerk starts the application for the resident
    client.post(f"/desk/act/apply/{service.code}/")
    case = Case.objects.get(applicant=assisted_resident)
    # then the resident's profile filled it in (no phone of their own: left to type)
    assert case.answers["full_name"] == "李秀英"
    assert case.answers["id_number"] == "110101194003070027"
    assert "phone" not in case.answers
    # and the acting page says where from, and under which mandate
    page = client.get(f"/desk/act/cases/{case.ref}/steps/1/").content.decode()
    assert "来自：个人资料" in page and mandate.reference in page
    # and the audit names the clerk, the resident and the mandate as the consent
    event = AuditEvent.objects.get(action="cases.case.prefill", target_id=str(case.pk))
    assert event.actor == counter_clerk and event.on_behalf_of == assisted_resident
    assert event.data["basis"] == "mandate" and event.data["mandate"] == mandate.reference
    # and the desk API's detail shows the same sources
    detail = client.get(f"/api/v1/desk/residents/{assisted_resident.pk}/applications/{case.ref}/")
    assert detail.status_code == 200, detail.content
    marks = {m["field"]: m for m in detail.json()["prefill"]}
    assert marks["full_name"]["locked"] is True and marks["full_name"]["label"] == "来自：个人资料"


def test_a_locked_answer_stays_at_the_counter_too(
    service, counter_clerk, assisted_resident, mandate
):
    case = services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=mandate, service=service
    )
    from apps.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        services.acting_answers_update(
            case=case, staff=counter_clerk, mandate=mandate, answers={"full_name": "李秀"}
        )
    assert "full_name" in refused.value.errors
    case.refresh_from_db()
    assert case.answers["full_name"] == "李秀英"
