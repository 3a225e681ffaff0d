"""Every web action of a family proxy (亲情账号) through the API, under the same checks: start an
application for the resident, withdraw it, rate it; refused once unbound or never bound."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.cases.models import Case
from apps.feedback.models import Rating
from apps.feedback.services import rating_submit
from apps.helpdesk import services
from tests.cases.conftest import submit_case
from tests.conftest import make_resident
from tests.feedback.conftest import decide_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def daughter(db):
    return make_resident(
        email="daughter@example.cn",
        phone="13700137000",
        real_name="王芳",
        id_number="110101199001010015",
    )


@pytest.fixture
def stranger(db):
    return make_resident(
        email="stranger@example.cn",
        phone="13600136000",
        real_name="赵六",
        id_number="110101198001010013",
    )


@pytest.fixture
def link(resident, daughter):
    link = services.family_invite(actor=resident, resident=resident, login=daughter.email)
    return services.family_confirm(link=link, actor=daughter)


def rate(client, case, level=5):
    return client.post(
        f"/api/v1/cases/{case.number}/rating/", {"level": level}, content_type="application/json"
    )


def test_a_family_proxy_rates_through_the_api_as_on_the_web(
    link,
    resident,
    daughter,
    stranger,
    clerk,
    lead,
    service,
    login,
    django_capture_on_commit_callbacks,
):
    case = decide_case(submit_case(service, resident), clerk, django_capture_on_commit_callbacks)

    assert rate(login(stranger), case).status_code == 404
    # the department that decided reads the case on the staff side only: the resident's rating
    # door does not open for it
    assert rate(login(clerk), case).status_code == 404

    response = rate(login(daughter), case, level=4)
    assert response.status_code == 201, response.content
    rating = Rating.objects.get(case=case)
    assert rating.rater == resident and rating.entered_by == daughter
    assert rating.channel == Rating.Channel.API
    assert response.json()["level"] == 4


def test_an_unbound_proxy_cannot_rate(
    link, resident, daughter, clerk, lead, service, login, django_capture_on_commit_callbacks
):
    case = decide_case(submit_case(service, resident), clerk, django_capture_on_commit_callbacks)
    services.family_unbind(link=link, actor=resident)
    assert rate(login(daughter), case).status_code == 404
    # and the service itself refuses a proxy without the grant, whatever the door
    daughter = type(daughter).objects.get(pk=daughter.pk)  # fresh permission cache
    with pytest.raises(PermissionDenied):
        rating_submit(
            case=case,
            rater=resident,
            level=5,
            sub_scores={},
            comment="",
            channel=Rating.Channel.WEB,
            entered_by=daughter,
        )
    assert not Rating.objects.exists()


def test_a_family_proxy_applies_for_the_resident_and_withdraws(
    link, resident, daughter, stranger, service, login
):
    client = login(daughter)
    url = f"/api/v1/family/residents/{resident.pk}/cases/"
    assert login(stranger).post(url, {"service": service.code}).status_code == 404
    assert login(stranger).get(url).status_code == 404

    response = client.post(url, {"service": service.code})
    assert response.status_code == 201, response.content
    draft = Case.objects.get(reference=response.json()["number"])
    assert draft.applicant == resident and draft.created_by == daughter
    assert draft.channel == Case.Channel.API
    # the member edits the draft through the cases API, as on the web
    patched = client.patch(
        f"/api/v1/cases/{draft.ref}/", {"answers": {}}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert [c["number"] for c in client.get(url).json()] == [draft.ref]

    submitted = submit_case(service, resident)
    assert login(stranger).post(f"/api/v1/cases/{submitted.number}/withdraw/").status_code == 404
    response = client.post(f"/api/v1/cases/{submitted.number}/withdraw/", {"reason": "不办了"})
    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert submitted.state == Case.State.WITHDRAWN
    event = submitted.events.get(verb="withdraw")
    assert event.actor == daughter and event.on_behalf_of == resident

    # once unbound, the member reaches nothing
    services.family_unbind(link=link, actor=daughter)
    assert client.post(url, {"service": service.code}).status_code == 404
