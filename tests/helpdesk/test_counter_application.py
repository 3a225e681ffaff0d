"""DONE: a resident with no email or password applies at the counter, the case is approved, and
the decision letter is in the next print batch of that service point; the audit shows actor and
on_behalf_of on every step; the resident's timeline says who did it, where."""

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.cases import services as case_services
from apps.cases.models import Case
from apps.helpdesk import services
from apps.helpdesk.models import PrintBatch
from apps.notifications.models import Notification
from apps.signatures.models import SignatureRecord
from tests.cases.test_workflow import decide
from tests.documents.pdftext import pdf_text
from tests.helpdesk.conftest import STEP1, pdf_upload, staff_code

pytestmark = pytest.mark.django_db


def test_counter_application_to_decision_letter_in_print_batch(
    service,
    counter_clerk,
    assisted_resident,
    mandate,
    clerk,
    lead,
    service_point,
    login,
    django_capture_on_commit_callbacks,
):
    resident = assisted_resident
    assert resident.email is None and not resident.has_usable_password()

    # given the clerk acts for the resident under the mandate, at the counter
    with django_capture_on_commit_callbacks(execute=True):
        case = services.acting_case_create(
            staff=counter_clerk, resident=resident, mandate=mandate, service=service
        )
        services.acting_answers_update(
            case=case,
            staff=counter_clerk,
            mandate=mandate,
            answers={**STEP1, "needs": ["bath"]},
        )
        services.acting_attachment_add(
            case=case,
            staff=counter_clerk,
            mandate=mandate,
            field_key="id_scan",
            upload=pdf_upload(),
        )
        case = services.assisted_case_submit(
            case=case, staff=counter_clerk, mandate=mandate, code=staff_code(counter_clerk)
        )

    # then the case is the resident's, submitted at the counter, signed "assisted"
    assert case.state == Case.State.SUBMITTED and case.applicant == resident
    assert case.channel == Case.Channel.COUNTER
    signature = SignatureRecord.objects.get(pk=case.signature_id)
    assert signature.method == SignatureRecord.Method.ASSISTED
    assert signature.signer == resident and signature.assisted_by == counter_clerk
    assert signature.mandate_ref == mandate.reference

    # and every audited step names the clerk as actor and the resident as on_behalf_of
    steps = AuditEvent.objects.filter(target_id=str(case.pk), target_type="cases.case")
    actions = set(steps.values_list("action", flat=True))
    assert {
        "cases.case.create",
        "cases.case.update_answers",
        "cases.attachment.add",
        "cases.case.submit",
    } <= actions
    for event in steps:
        assert event.actor == counter_clerk and event.on_behalf_of == resident, event.action
    take = AuditEvent.objects.get(action="signatures.signature.take")
    assert take.actor == counter_clerk and take.on_behalf_of == resident
    assert take.data["mandate_ref"] == mandate.reference

    # the department accepts and reviews; its lead, who did neither, approves (审批分离)
    case = case_services.case_accept(case=case, actor=clerk)
    task = case.review_tasks.get()
    case_services.task_approve(task=task, actor=clerk, opinion="材料齐全")
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, lead, reasons="准予办理", granted_until=timezone.localdate())
    case.refresh_from_db()
    assert case.state == Case.State.APPROVED
    letter = case.case_documents.get(document__kind="decision_letter").document
    decided = Notification.objects.get(recipient=resident, event="case.decided", channel="letter")
    assert decided.service_point == service_point and decided.status == "queued"

    # when the counter makes the next print batch
    batch = services.print_batch_generate(service_point=service_point, actor=counter_clerk)

    # then one PDF holds every letter, the decision letter named by its verification code
    assert isinstance(batch, PrintBatch) and batch.letter_count >= 2
    assert decided.pk in batch.notification_ids
    with batch.document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "李秀英" in text
    assert letter.verification_code in text
    decided.refresh_from_db()
    assert decided.status == "sent"
    assert services.print_batch_generate(service_point=service_point) is None

    # and the resident's timeline says who did it for them, and where
    signature_event = case.events.get(verb="submit")
    assert signature_event.actor == counter_clerk and signature_event.on_behalf_of == resident
    assert str(service_point) in signature_event.note


def test_desk_pages_apply_for_the_resident_and_show_the_banner(
    service, counter_clerk, assisted_resident, mandate, login, service_point
):
    client = login(counter_clerk)
    page = client.get(f"/desk/residents/{assisted_resident.pk}/")
    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        action="helpdesk.resident.view", actor=counter_clerk, on_behalf_of=assisted_resident
    ).exists()
    # the ID number is masked for staff without the right
    body = page.content.decode()
    assert "1101**********0027" in body and "110101194003070027" not in body

    response = client.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})
    assert response.status_code == 302
    home = client.get("/desk/act/").content.decode()
    assert "正在代 李秀英 办理" in home

    response = client.post(f"/desk/act/apply/{service.code}/")
    case = Case.objects.get(applicant=assisted_resident)
    assert response["Location"].endswith(f"/desk/act/cases/{case.ref}/steps/1/")
    step = client.post(f"/desk/act/cases/{case.ref}/steps/1/", STEP1)
    assert step.status_code == 302
    client.post(
        f"/desk/act/cases/{case.ref}/steps/2/",
        {"needs": ["bath"], "id_scan": pdf_upload()},
    )
    assert client.get(f"/desk/act/cases/{case.ref}/check/").status_code == 200
    response = client.post(f"/desk/act/cases/{case.ref}/sign/", {"code": staff_code(counter_clerk)})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED

    # the resident's own view of the case (here: rendered for them) names the helper
    resident_client = login(assisted_resident)
    detail = resident_client.get(f"/cases/{case.number}/").content.decode()
    assert str(counter_clerk) in detail and str(service_point) in detail

    client.post("/desk/act/stop/")
    assert client.get("/desk/act/").status_code == 302
