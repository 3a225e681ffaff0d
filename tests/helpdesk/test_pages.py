"""Every desk and family page renders (with the acting banner where it belongs)."""

import pytest

from apps.helpdesk import services
from tests.helpdesk.conftest import STEP1, pdf_upload, staff_code

pytestmark = pytest.mark.django_db


def test_pages_render(counter_clerk, assisted_resident, resident, mandate, service, login):
    case = services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=mandate, service=service
    )
    services.acting_answers_update(
        case=case, staff=counter_clerk, mandate=mandate, answers={**STEP1, "needs": ["bath"]}
    )
    services.acting_attachment_add(
        case=case, staff=counter_clerk, mandate=mandate, field_key="id_scan", upload=pdf_upload()
    )
    case = services.assisted_case_submit(
        case=case, staff=counter_clerk, mandate=mandate, code=staff_code(counter_clerk)
    )
    desk = login(counter_clerk)
    assert desk.get("/desk/").status_code == 200
    assert desk.get("/desk/print/").status_code == 200
    desk.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})
    page = desk.get(f"/desk/act/cases/{case.number}/")
    assert page.status_code == 200 and "/desk/act/stop/" in page.content.decode()
    letter = desk.post(f"/desk/act/cases/{case.number}/letter/")
    assert letter["Content-Type"] == "application/pdf"
    assert desk.get("/desk/").status_code == 200

    link = services.family_invite(
        actor=assisted_resident, resident=assisted_resident, member=resident
    )
    services.family_confirm(link=link, actor=resident)
    family = login(resident)
    assert family.get("/family/").status_code == 200
    assert case.number in family.get(f"/family/for/{assisted_resident.pk}/").content.decode()
    assert family.get("/family/claim/").status_code == 200
    assert family.get(f"/family/cases/{case.number}/sign/").status_code == 302  # submitted
    assert login(assisted_resident).get("/family/").status_code == 200
