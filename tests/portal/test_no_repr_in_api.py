"""Every GET of the API, as each audience reads it with data present (a fresh intake with its
reviewers unassigned, a decided case with a bad rating, its rectification and an appeal, a
draft, a complaint, a mandate, notifications), answers JSON without a Python repr anywhere:
nulls are `null`, never `<... object at 0x...>` or `<method-wrapper ...>`.

The test also fails when a GET route is added that no audience here reaches with a 200: extend
the data or the parameters below so that it is read too."""

import itertools
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.cases.models import CaseDocument
from apps.helpdesk import services as helpdesk_services
from tests.cases.conftest import submit_case
from tests.catalog.factories import make_service
from tests.complaints.conftest import category, file_complaint  # noqa: F401
from tests.conftest import make_resident
from tests.feedback.conftest import decide_case
from tests.helpdesk.conftest import make_mandate

pytestmark = pytest.mark.django_db

REPR = re.compile(
    r"<[^<>]* object at 0x|<method-wrapper|<bound method|<built-in method|<function |"
    r"<class '|<lambda>|<django\.|<QuerySet|<Manager|<generator"
)
# query strings the routes need to answer anything
QUERY = {"api-complaint-nearby": {"category": "noise", "address": "建国门内大街 5 号"}}


def get_routes() -> list[tuple[str, URLPattern]]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern

    routes = []
    for route, pattern in walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if route.startswith("api/v1/") and view_class is not None and hasattr(view_class, "get"):
            routes.append((route, pattern))
    return routes


def urls_of(route: str, values: dict[str, list]) -> list[str]:
    """Every URL of `route` with its parameters filled from `values`."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    urls = []
    for combo in itertools.product(*(values[name] for name in names)):
        url = route
        for name, value in zip(names, combo, strict=True):
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
        urls.append("/" + url)
    return urls


def strings_in(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def test_no_api_answer_carries_a_python_repr(
    department,
    service_point,
    resident,
    assisted_resident,
    clerk,
    lead,
    supervisor,
    counter_clerk,
    category,  # noqa: F811
    login,
    django_capture_on_commit_callbacks,
):
    service = make_service(department=department)
    daughter = make_resident(
        email="daughter@example.cn",
        phone="13700137000",
        real_name="王芳",
        id_number="110101199001010015",
    )
    link = helpdesk_services.family_invite(actor=resident, resident=resident, login=daughter.email)
    helpdesk_services.family_confirm(link=link, actor=daughter)

    intake = submit_case(service, resident)  # just after intake: nobody assigned, nothing decided
    decided = decide_case(submit_case(service, resident), clerk, django_capture_on_commit_callbacks)
    from apps.feedback.services import appeal_file, rating_submit

    rating = rating_submit(
        case=decided, rater=resident, level=1, sub_scores={}, comment="太慢", channel="web"
    )
    appeal_file(rating=rating, actor=lead, reason="误评")
    from apps.cases.services import case_create_draft

    draft = case_create_draft(service=service, applicant=resident, actor=resident)
    complaint, _code = file_complaint(category, reporter=resident)
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    acting = helpdesk_services.acting_case_create(
        staff=counter_clerk, resident=assisted_resident, mandate=mandate, service=service
    )
    batch = helpdesk_services.print_batch_generate(service_point=service_point, actor=counter_clerk)
    from apps.privacy.services import data_export_build, data_export_request

    export = data_export_request(resident=resident, actor=resident)
    data_export_build(export_id=export.pk)
    from apps.certificates.models import CertificateType
    from apps.certificates.services import certificate_issue

    licence_type = CertificateType.objects.create(
        code="licence", name_zh="许可证", issuing_department=department, validity_days=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(
            certificate_type=licence_type, holder=resident, fields={"name": "张三"}, actor=clerk
        )
    # and one the counter asked for the assisted resident under her mandate
    desk_export = data_export_request(resident=assisted_resident, actor=counter_clerk)
    data_export_build(export_id=desk_export.pk)

    values = {
        "ref": [intake.ref, decided.ref, draft.ref, complaint.ref, acting.ref],
        "code": [service.code, category.code],
        "resident_id": [resident.pk, assisted_resident.pk],
        "number": [certificate.number],
        "pk": [
            *CaseDocument.objects.filter(case=decided).values_list("document_id", flat=True),
            batch.pk,
            mandate.pk,
            export.pk,
            desk_export.pk,
        ],
    }
    from apps.systems.services import department_system_register
    from tests.systems.conftest import access_token

    system, secret = department_system_register(
        name="审批系统",
        department=department,
        scopes=("cases:read", "tasks:act", "certificates:manage"),
        actor=lead,
    )
    token = access_token(Client(), system, secret)
    audiences = {
        "anonymous": Client(),
        "department system": Client(HTTP_AUTHORIZATION=f"Bearer {token}"),
        "resident": login(resident),
        "family proxy": login(daughter),
        "clerk": login(clerk),
        "lead": login(lead),
        "supervisor": login(supervisor),
        "counter": login(counter_clerk),
    }
    read: dict[str, set[str]] = {}
    json_answers = 0
    for route, pattern in get_routes():
        for url in urls_of(route, values):
            for audience, client in audiences.items():
                response = client.get(url, QUERY.get(pattern.name, {}))
                assert response.status_code < 500, (audience, url)
                if response.status_code != 200:
                    continue
                read.setdefault(route, set()).add(audience)
                if not response["Content-Type"].startswith("application/json"):
                    continue
                json_answers += 1
                for text in strings_in(json.loads(response.content)):
                    assert not REPR.search(text), (audience, url, text)

    unread = [route for route, _pattern in get_routes() if route not in read]
    assert unread == []
    assert json_answers > 50
    # each audience read something of its own
    for audience in audiences:
        assert any(audience in who for who in read.values()), audience
