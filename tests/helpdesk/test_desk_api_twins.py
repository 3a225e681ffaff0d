"""Everything the desk pages do has an API twin under the same checks: a draft's answers and
documents, the assisted signature and submission, a complaint and a status letter for the
resident, print batches with their PDF. A counter with a mandate succeeds; without one (none,
revoked, another resident's) the services refuse with the reason; another help point's counter
does not reach the resident at all."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import ServicePoint, StaffMembership
from apps.cases.models import Attachment, Case
from apps.helpdesk import services
from apps.helpdesk.models import FamilyLink, PrintBatch
from tests.conftest import make_staff
from tests.helpdesk.conftest import STEP1, make_mandate, pdf_upload, staff_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_counter(department):
    """Counter staff of another help point, with no business with the resident."""
    point = ServicePoint.objects.create(
        code="north", name_zh="北区便民服务站", address="北四环 9 号", department=department
    )
    return make_staff(
        username="counter-north",
        department=department,
        role=StaffMembership.Role.COUNTER,
        service_point=point,
    )


@pytest.fixture
def noise(department):
    from apps.catalog.models import ServiceItem

    return ServiceItem.objects.create(
        code="noise",
        kind=ServiceItem.Kind.COMPLAINT,
        name_zh="噪声扰民",
        name_en="Noise",
        lead_department=department,
        statutory_days=13,
        promised_days=13,
        urgent_hours=24,
    )


@pytest.fixture
def mandate(counter_clerk, assisted_resident):
    return make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)


@pytest.fixture
def draft(counter_clerk, assisted_resident, mandate, service):
    return services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=mandate, service=service
    )


def base(resident, case=None):
    url = f"/api/v1/desk/residents/{resident.pk}/"
    return url + (f"applications/{case.ref}/" if case is not None else "")


def test_a_counter_finishes_an_application_through_the_api(
    counter_clerk, assisted_resident, mandate, draft, login, django_capture_on_commit_callbacks
):
    client = login(counter_clerk)
    url = base(assisted_resident, draft)

    listed = client.get(base(assisted_resident) + "applications/")
    assert [c["reference"] for c in listed.json()] == [draft.reference]
    shown = client.get(url)
    assert shown.status_code == 200, shown.content
    assert shown.json()["is_editable"] is True and "id_scan" in shown.json()["missing"]

    answered = client.patch(
        url,
        {"mandate": mandate.pk, "answers": {**STEP1, "needs": ["bath"]}},
        content_type="application/json",
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["answers"]["needs"] == ["bath"]

    added = client.post(
        url + "attachments/", {"mandate": mandate.pk, "field": "id_scan", "file": pdf_upload()}
    )
    assert added.status_code == 201, added.content
    assert [a["field"] for a in added.json()["attachments"]] == ["id_scan"]
    assert added.json()["missing"] == {}
    attachment = Attachment.objects.get(case=draft, field_key="id_scan")
    assert attachment.uploaded_by == counter_clerk

    # the assisted signature: the counter's own authenticator code, naming the mandate
    with django_capture_on_commit_callbacks(execute=True):  # the receipt is rendered on commit
        submitted = client.post(
            url + "submit/",
            {"mandate": mandate.pk, "code": staff_code(counter_clerk)},
            content_type="application/json",
        )
    assert submitted.status_code == 200, submitted.content
    draft.refresh_from_db()
    assert draft.state == Case.State.SUBMITTED and draft.number
    assert draft.signature.assisted_by == counter_clerk
    assert draft.signature.mandate_ref == mandate.reference
    event = draft.events.get(verb="submit")
    assert event.actor == counter_clerk and event.on_behalf_of == assisted_resident

    # and the page after: its timeline, documents and a status letter on paper
    after = client.get(base(assisted_resident, draft)).json()
    assert after["number"] == draft.number and after["missing"] == {}
    assert after["timeline"] and after["documents"]
    letter = client.post(
        base(assisted_resident, draft) + "letter/",
        {"mandate": mandate.pk},
        content_type="application/json",
    )
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")


def test_without_a_mandate_the_counter_is_refused_with_the_reason(
    counter_clerk, assisted_resident, mandate, draft, noise, login
):
    client = login(counter_clerk)
    url = base(assisted_resident, draft)
    # the counter reaches the assisted resident of its own point, but acting needs a mandate
    assert client.get(url).status_code == 200
    nothing = client.post(
        url + "attachments/", {"mandate": 0, "field": "id_scan", "file": pdf_upload()}
    )
    assert nothing.status_code == 403 and nothing.json()["reason"]
    services.mandate_revoke(mandate=mandate, actor=counter_clerk, reason="本人要求")
    for response in (
        client.post(
            url + "attachments/", {"mandate": mandate.pk, "field": "id_scan", "file": pdf_upload()}
        ),
        client.patch(
            url, {"mandate": mandate.pk, "answers": STEP1}, content_type="application/json"
        ),
        client.post(
            url + "submit/",
            {"mandate": mandate.pk, "code": staff_code(counter_clerk)},
            content_type="application/json",
        ),
        client.post(
            base(assisted_resident) + "complaints/",
            {
                "mandate": mandate.pk,
                "category": "noise",
                "complaint_type": "complaint",
                "description": "楼下噪声",
            },
            content_type="application/json",
        ),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["reason"] == "revoked"
    assert not Attachment.objects.filter(case=draft).exists()
    draft.refresh_from_db()
    assert draft.state == Case.State.DRAFT


def test_another_help_points_counter_does_not_reach_the_resident(
    other_counter, assisted_resident, mandate, draft, noise, clerk, login
):
    client = login(other_counter)
    url = base(assisted_resident, draft)
    assert client.get(url).status_code == 404
    assert client.get(base(assisted_resident) + "applications/").status_code == 404
    assert (
        client.post(
            url + "attachments/", {"mandate": mandate.pk, "field": "id_scan", "file": pdf_upload()}
        ).status_code
        == 404
    )
    assert (
        client.patch(
            url, {"mandate": mandate.pk, "answers": STEP1}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(url + "letter/").status_code == 404
    assert (
        client.post(
            base(assisted_resident) + "complaints/",
            {
                "mandate": mandate.pk,
                "category": "noise",
                "complaint_type": "complaint",
                "description": "楼下噪声",
            },
            content_type="application/json",
        ).status_code
        == 404
    )
    assert not Attachment.objects.filter(case=draft).exists()
    # department staff are not counter staff
    assert login(clerk).get(url).status_code == 403


def test_a_counter_files_a_complaint_for_the_resident(
    counter_clerk, assisted_resident, mandate, noise, login
):
    response = login(counter_clerk).post(
        base(assisted_resident) + "complaints/",
        {
            "mandate": mandate.pk,
            "category": "noise",
            "complaint_type": "complaint",
            "description": "楼下深夜施工",
            "address": "建国门内大街 5 号",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store" and response.json()["extraction_code"]
    case = Case.objects.get(number=response.json()["number"])
    assert case.applicant == assisted_resident and case.channel == Case.Channel.COUNTER
    assert case.created_by == counter_clerk


def test_print_batches_are_listed_and_their_pdf_downloaded(
    counter_clerk, other_counter, assisted_resident, mandate, clerk, login
):
    client = login(counter_clerk)
    assert client.get("/api/v1/desk/print-batches/").json() == []
    made = client.post("/api/v1/desk/print-batches/")  # the mandate letter waits to be printed
    assert made.status_code == 201, made.content
    batch = PrintBatch.objects.get()

    listed = client.get("/api/v1/desk/print-batches/")
    assert listed.status_code == 200
    assert [b["id"] for b in listed.json()] == [batch.pk]
    assert listed.json()[0]["letter_count"] == batch.letter_count >= 1
    pdf_url = listed.json()[0]["pdf"]
    assert pdf_url == f"/api/v1/desk/print-batches/{batch.pk}/pdf/"
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    # another help point's counter sees none of them; department staff are not counter staff
    assert login(other_counter).get("/api/v1/desk/print-batches/").json() == []
    assert login(other_counter).get(pdf_url).status_code == 404
    assert login(clerk).get("/api/v1/desk/print-batches/").status_code == 403
    assert login(clerk).get(pdf_url).status_code == 403


def test_a_status_letter_is_printed_only_under_the_residents_mandate(
    counter_clerk, assisted_resident, mandate, draft, login
):
    """Found by the permission matrix: the API twin printed the sealed letter, with the
    resident's name and address, for any counter of the resident's help point, mandate or not
    (the page prints it only while acting under one)."""
    from apps.audit.models import AuditEvent
    from apps.documents.models import Document

    # given a counter of the resident's own help point
    client = login(counter_clerk)
    letter = base(assisted_resident, draft) + "letter/"
    # when it asks for the letter naming no mandate, then a revoked one
    nothing = client.post(letter, {"mandate": 0}, content_type="application/json")
    services.mandate_revoke(mandate=mandate, actor=counter_clerk, reason="本人要求")
    revoked = client.post(letter, {"mandate": mandate.pk}, content_type="application/json")
    # then both are refused with the reason, and nothing is printed or recorded as printed
    assert nothing.status_code == 403 and nothing.json()["reason"] == "no_mandate"
    assert revoked.status_code == 403 and revoked.json()["reason"] == "revoked"
    assert not Document.objects.filter(kind="status_letter").exists()
    assert not AuditEvent.objects.filter(action="helpdesk.letter.print").exists()


def test_a_mandate_for_another_resident_does_not_cover_this_one(
    counter_clerk, assisted_resident, mandate, draft, login
):
    from tests.conftest import make_resident

    other = make_resident(
        email="other@example.cn",
        phone="13600136000",
        real_name="赵六",
        id_number="110101198001010013",
    )
    today = timezone.localdate()
    others = make_mandate(
        counter_clerk=counter_clerk, resident=other, valid_until=today + timedelta(days=3)
    )
    response = login(counter_clerk).post(
        base(assisted_resident, draft) + "attachments/",
        {"mandate": others.pk, "field": "id_scan", "file": pdf_upload()},
    )
    assert response.status_code == 403
    assert not Attachment.objects.filter(case=draft).exists()


def test_family_bindings_and_mandate_evidence_through_the_desk_api(
    counter_clerk, other_counter, assisted_resident, mandate, login
):
    from apps.notifications.models import Notification
    from tests.conftest import make_resident

    daughter = make_resident(
        email="daughter@example.cn",
        phone="13700137000",
        real_name="王芳",
        id_number="110101199001010015",
    )
    client = login(counter_clerk)
    links_url = base(assisted_resident) + "family-links/"
    assert login(other_counter).post(links_url, {"login": daughter.email}).status_code == 404

    made = client.post(links_url, {"login": daughter.email, "relationship": "女儿"})
    assert made.status_code == 201, made.content
    assert made.json()["state"] == "pending" and made.json()["relationship"] == "女儿"
    assert Notification.objects.filter(recipient=daughter, event="family.invited").exists()
    link = services.family_confirm(
        link=FamilyLink.objects.get(pk=made.json()["id"]), actor=daughter
    )
    assert [entry["state"] for entry in client.get(links_url).json()] == ["active"]
    assert login(other_counter).get(links_url).status_code == 404

    unbind_url = f"/api/v1/desk/family-links/{link.pk}/unbind/"
    assert login(other_counter).post(unbind_url).status_code == 404
    ended = client.post(unbind_url)
    assert ended.status_code == 200 and ended.json()["state"] == "ended"
    assert Notification.objects.filter(recipient=daughter, event="family.unbound_member").exists()
    assert Notification.objects.filter(recipient=assisted_resident, event="family.unbound").exists()

    evidence_url = f"/api/v1/desk/mandates/{mandate.pk}/evidence/"
    evidence = client.get(evidence_url)
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content).startswith(b"\x89PNG")
    assert login(other_counter).get(evidence_url).status_code == 404
