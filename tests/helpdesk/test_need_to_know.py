"""Counter staff see a resident only through a need: a look-up by the full ID number or phone
with a recorded reason, a mandate to their service point, or an assisted account they serve.
No list of residents, no sequential id that opens anyone, the minimum on every card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import ResidentProfile, ServicePoint, StaffMembership, User
from apps.audit.models import AuditEvent
from apps.audit.personal import personal_digest
from apps.cases import services as case_services
from apps.helpdesk import services
from apps.helpdesk.models import ResidentLookup
from tests.catalog.factories import make_service
from tests.conftest import make_resident, make_staff
from tests.helpdesk.conftest import make_mandate

pytestmark = pytest.mark.django_db

ONLINE_ID = "11010519491231002X"
REASON = {"reason": "at_counter", "reason_text": "咨询老年人优待证"}


@pytest.fixture
def online(resident):
    """An online resident: own phone, email and home address."""
    resident.profile.address = "东城区和平里 5 号"
    resident.profile.save()
    return resident


@pytest.fixture
def other_point(department):
    return ServicePoint.objects.create(
        code="north", name_zh="北区便民服务中心", address="北区 2 号", department=department
    )


@pytest.fixture
def other_counter(department, other_point):
    return make_staff(
        username="counter-north",
        department=department,
        role=StaffMembership.Role.COUNTER,
        service_point=other_point,
    )


def _resident_urls(pk: int) -> list[tuple[str, str]]:
    """Every desk page and desk API route that takes a resident's id."""
    return [
        ("get", f"/desk/residents/{pk}/"),
        ("get", f"/desk/residents/{pk}/mandates/new/"),
        ("post", f"/desk/residents/{pk}/identity-check/"),
        ("post", f"/desk/residents/{pk}/family/"),
        ("post", f"/desk/residents/{pk}/claim-code/"),
        ("post", f"/desk/residents/{pk}/act/"),
        ("get", f"/api/v1/desk/residents/{pk}/"),
        ("get", f"/api/v1/desk/residents/{pk}/mandates/"),
        ("post", f"/api/v1/desk/residents/{pk}/identity-checks/"),
        ("post", f"/api/v1/desk/residents/{pk}/claim-codes/"),
        ("post", f"/api/v1/desk/residents/{pk}/applications/"),
    ]


def test_counter_staff_cannot_list_residents(counter_clerk, online, login):
    client = login(counter_clerk)
    # no list in the API: the collection only opens assisted accounts
    assert client.get("/api/v1/desk/residents/").status_code == 405
    # the search page searches nothing by GET, not even with a full number in the URL
    page = client.get("/desk/residents/", {"q": ONLINE_ID}).content.decode()
    assert "张三" not in page
    # an empty look-up lists nobody
    empty = client.post("/api/v1/desk/residents/lookup/", {}, content_type="application/json")
    assert empty.status_code == 400 and set(empty.json()["errors"]) == {
        "q",
        "reason",
        "reason_text",
    }
    assert not ResidentLookup.objects.exists()


def test_no_sequential_id_opens_a_resident(
    counter_clerk, online, other_point, other_counter, login, service
):
    # given an online resident, one with a mandate to another service point, and an assisted
    # resident of another service point
    mandated = make_resident(
        email="wang@example.cn",
        phone="13700137000",
        real_name="王五",
        id_number="110101195001010015",
    )
    elsewhere = make_mandate(counter_clerk=other_counter, resident=mandated)
    far_assisted = User.objects.create_user(display_name="赵六", is_assisted=True)
    ResidentProfile.objects.create(
        user=far_assisted,
        real_name="赵六",
        id_number="110101194501010019",
        service_point=other_point,
    )
    link = services.family_invite(actor=online, resident=online, login="wang@example.cn")

    client = login(counter_clerk)
    # when the counter tries every user's id and the ids next to them, on every page and API
    # route (not every id from 1: on PostgreSQL, sequences do not restart per test)
    ids = set(User.objects.values_list("pk", flat=True))
    for pk in sorted({near for own in ids for near in (own - 1, own, own + 1) if near > 0}):
        for method, url in _resident_urls(pk):
            response = getattr(client, method)(url)
            # then each is refused, and nothing of anyone is shown
            assert response.status_code in (403, 404), (url, response.status_code)
            assert "张三" not in response.content.decode()
    # nor by a mandate's or a family link's id
    assert client.get(f"/desk/mandates/{elsewhere.pk}/evidence/").status_code == 404
    assert client.post(f"/desk/mandates/{elsewhere.pk}/revoke/").status_code == 404
    assert client.post(f"/api/v1/desk/mandates/{elsewhere.pk}/revoke/").status_code == 404
    assert client.post(f"/desk/family-links/{link.pk}/unbind/").status_code == 404
    assert (
        elsewhere.revoked_at is None
        and not AuditEvent.objects.filter(
            action="helpdesk.resident.view", actor=counter_clerk
        ).exists()
    )
    # while the counter that holds the mandate opens that resident
    assert login(other_counter).get(f"/desk/residents/{mandated.pk}/").status_code == 200


def test_lookup_needs_a_reason_and_keeps_the_number_typed(counter_clerk, online, login):
    client = login(counter_clerk)
    response = client.post("/desk/residents/", {"q": ONLINE_ID})
    body = response.content.decode()
    assert response.status_code == 400
    assert "请选择查询该居民的原因。" in body
    assert "请简要说明居民需要办理什么" in body
    assert f'value="{ONLINE_ID}"' in body  # what they typed is kept
    assert "张三" not in body
    assert not ResidentLookup.objects.exists()
    assert client.get(f"/desk/residents/{online.pk}/").status_code == 404

    api = client.post(
        "/api/v1/desk/residents/lookup/", {"q": ONLINE_ID}, content_type="application/json"
    )
    assert api.status_code == 400
    assert api.json()["errors"]["reason"] == ["请选择查询该居民的原因。"]


@pytest.mark.parametrize("partial", ["1101051949", "110105*", "1380013", "138****8000", "张三"])
def test_lookup_finds_nobody_by_part_of_a_number(counter_clerk, online, login, partial):
    response = login(counter_clerk).post("/desk/residents/", {"q": partial, **REASON})
    body = response.content.decode()
    assert response.status_code == 400
    assert "只输入部分号码查不到任何人。" in body
    assert 'id="results-caption"' not in body and "1101**********002X" not in body
    assert not ResidentLookup.objects.exists()


def test_lookup_is_audited_with_its_reason_and_opens_for_a_while(
    counter_clerk, online, login, service_point, department
):
    client = login(counter_clerk)
    # when the counter looks the resident up by phone, with a reason
    body = client.post("/desk/residents/", {"q": "13800138000", **REASON}).content.decode()
    # then the result shows the minimum
    assert "张三" in body and "1101**********002X" in body and "138****8000" in body
    assert "resident@example.cn" not in body and "13800138000" not in body.replace(
        'value="13800138000"', ""
    )
    # and the look-up is on the audit chain with its reason, as keyed digests of what was
    # typed (the trail is append-only: it keeps no personal data that retention must remove)
    event = AuditEvent.objects.get(action="helpdesk.resident.lookup")
    assert event.actor == counter_clerk and event.on_behalf_of == online
    assert event.data["reason"] == "at_counter"
    assert event.data["reason_text"] == personal_digest("咨询老年人优待证")
    assert event.data["matched_by"] == "phone"
    assert event.data["query"] == personal_digest("138****8000")
    assert "8000" not in str(event.data) and "咨询" not in str(event.data)

    # the resident's page opens for this staff member, still with the minimum
    page = client.get(f"/desk/residents/{online.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "138****8000" in text and "resident@example.cn" not in text
    assert "和平里" not in text
    view = AuditEvent.objects.get(action="helpdesk.resident.view", on_behalf_of=online)
    assert view.data["access"] == "lookup"
    api = client.get(f"/api/v1/desk/residents/{online.pk}/").json()
    assert api["email"] == "" and api["address"] == "" and api["phone"] == "138****8000"
    assert api["access"] == "lookup"

    # not for a colleague who did not look them up
    colleague = make_staff(
        username="counter-2",
        department=department,
        role=StaffMembership.Role.COUNTER,
        service_point=service_point,
    )
    assert login(colleague).get(f"/desk/residents/{online.pk}/").status_code == 404
    # and not after the look-up's time
    ResidentLookup.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/desk/residents/{online.pk}/").status_code == 404
    assert client.get(f"/api/v1/desk/residents/{online.pk}/").status_code == 404


def test_a_lookup_that_finds_nobody_is_audited_too(counter_clerk, login):
    login(counter_clerk).post("/desk/residents/", {"q": "110101194501010019", **REASON})
    event = AuditEvent.objects.get(action="helpdesk.resident.lookup")
    assert event.on_behalf_of is None
    assert event.data["query"] == personal_digest("1101**********0019")
    assert event.data["reason_text"] == personal_digest("咨询老年人优待证")


def test_a_mandate_gives_access_to_what_it_covers(
    counter_clerk, online, service, department, other_counter, login
):
    other = make_service(department=department, code="other-service", name_en="Other")
    covered = case_services.case_create_draft(service=service, applicant=online, actor=online)
    uncovered = case_services.case_create_draft(service=other, applicant=online, actor=online)
    mandate = make_mandate(
        counter_clerk=counter_clerk, resident=online, scope="service", service=service
    )
    client = login(counter_clerk)

    # without any look-up, the mandate opens the resident, with their contact details
    page = client.get(f"/desk/residents/{online.pk}/").content.decode()
    assert "resident@example.cn" in page and "和平里" in page and "13800138000" in page
    # and the cases it covers, not the others
    assert covered.ref in page and uncovered.ref not in page
    api = client.get(f"/api/v1/desk/residents/{online.pk}/").json()
    assert api["access"] == "mandate" and api["email"] == "resident@example.cn"
    # the case-scope mandate form offers only what the counter may see
    assert (
        uncovered.ref
        not in client.get(f"/desk/residents/{online.pk}/mandates/new/").content.decode()
    )
    # another service point's counter has no need for this resident
    assert login(other_counter).get(f"/desk/residents/{online.pk}/").status_code == 404

    # acting under it works; once the resident revokes it, the desk lets go of them
    client.post(f"/desk/residents/{online.pk}/act/", {"mandate": mandate.pk})
    assert client.get("/desk/act/").status_code == 200
    services.mandate_revoke(mandate=mandate, actor=online, reason="不再需要")
    response = client.get("/desk/act/")
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert AuditEvent.objects.filter(action="helpdesk.acting.stop", actor=counter_clerk).exists()
    assert client.get(f"/desk/residents/{online.pk}/").status_code == 404


def test_assisted_accounts_of_the_service_point_open_without_a_lookup(
    counter_clerk, assisted_resident, other_counter, login
):
    page = login(counter_clerk).get(f"/desk/residents/{assisted_resident.pk}/")
    assert page.status_code == 200 and "139****9000" in page.content.decode()
    assert login(other_counter).get(f"/desk/residents/{assisted_resident.pk}/").status_code == 404
