"""A family proxy can track (and apply) but loses access when unbound; binding is two-sided,
limited to five, and audited."""

import pytest

from apps.audit.models import AuditEvent
from apps.cases.models import Case
from apps.core.exceptions import ApplicationError
from apps.helpdesk import services
from apps.helpdesk.models import FamilyLink
from tests.cases.conftest import last_sms_code, submit_case
from tests.conftest import make_resident
from tests.helpdesk.conftest import STEP1, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def daughter(db):
    return make_resident(
        email="daughter@example.cn",
        phone="13700137000",
        real_name="王芳",
        id_number="110101199001010015",
    )


def test_family_proxy_tracks_then_loses_access_when_unbound(resident, daughter, service, login):
    case = submit_case(service, resident)

    # the resident invites, the daughter accepts (two-sided)
    link = services.family_invite(actor=resident, resident=resident, login="daughter@example.cn")
    with pytest.raises(ApplicationError):
        services.family_confirm(link=link, actor=resident)
    assert not daughter.has_perm("cases.view_case", case)
    services.family_confirm(link=link, actor=daughter)

    daughter_client = login(daughter)
    assert daughter_client.get(f"/cases/{case.number}/").status_code == 200
    assert case.number in daughter_client.get("/cases/").content.decode()
    # and new cases of the resident too
    later = submit_case(service, resident)
    assert daughter_client.get(f"/cases/{later.number}/").status_code == 200
    # the resident still sees them
    assert login(resident).get(f"/cases/{case.number}/").status_code == 200

    # when the resident unbinds
    services.family_unbind(link=link, actor=resident)
    daughter = type(daughter).objects.get(pk=daughter.pk)  # fresh permission cache
    assert not daughter.has_perm("cases.view_case", case)
    assert daughter_client.get(f"/cases/{case.number}/").status_code == 404
    assert daughter_client.get(f"/cases/{later.number}/").status_code == 404
    actions = list(
        AuditEvent.objects.filter(target_type="helpdesk.familylink").values_list(
            "action", flat=True
        )
    )
    assert actions == ["helpdesk.family.invite", "helpdesk.family.bind", "helpdesk.family.unbind"]


def test_proxy_applies_and_signs_for_the_resident_online(
    resident, daughter, service, login, django_capture_on_commit_callbacks
):
    link = services.family_invite(actor=daughter, member=daughter, login=resident.email)
    services.family_confirm(link=link, actor=resident)
    client = login(daughter)
    response = client.post(f"/family/for/{resident.pk}/apply/{service.code}/")
    case = Case.objects.get(applicant=resident)
    assert response["Location"] == f"/cases/{case.ref}/step/1/"
    client.post(f"/cases/{case.ref}/step/1/", STEP1)
    client.post(f"/cases/{case.ref}/step/2/", {"needs": ["bath"], "id_scan": pdf_upload()})
    client.post(f"/family/cases/{case.ref}/sign/", {"channel": "sms", "send_code": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/family/cases/{case.ref}/sign/", {"channel": "sms", "code": last_sms_code()}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED
    submit = case.events.get(verb="submit")
    assert submit.actor == daughter and submit.on_behalf_of == resident
    assert case.signature.signer == daughter and case.signature.on_behalf_of == resident


def test_at_most_five_family_members(resident):
    for n in range(5):
        member = make_resident(
            email=f"m{n}@example.cn", phone=f"1360013600{n}", id_number=None, real_name=f"亲属{n}"
        )
        services.family_invite(actor=resident, resident=resident, login=member.email)
    sixth = make_resident(email="m6@example.cn", phone="13600136009", id_number=None)
    with pytest.raises(ApplicationError) as refused:
        services.family_invite(actor=resident, resident=resident, login=sixth.email)
    assert "5" in refused.value.message
    assert FamilyLink.objects.filter(resident=resident).count() == 5


def test_counter_binds_for_an_assisted_resident(
    assisted_resident, daughter, counter_clerk, login, service_point
):
    client = login(counter_clerk)
    client.post(
        f"/desk/residents/{assisted_resident.pk}/family/",
        {"login": "13700137000", "relationship": "女儿"},
    )
    link = FamilyLink.objects.get(resident=assisted_resident)
    assert link.confirmed_at_counter == service_point and link.state == "pending"
    login(daughter).post(f"/family/links/{link.pk}/confirm/")
    link.refresh_from_db()
    assert link.state == "active"
    assert "李秀英" in login(daughter).get("/family/").content.decode()
