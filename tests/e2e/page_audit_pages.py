"""The pages the browser audit (test_page_audit.py) measures, read from the URL conf so that a new
page cannot escape it: every route outside the APIs and the admin that answers GET is either a
page in PAGES (who visits it, and which of the demo objects fill its parameters) or listed in
NOT_PAGES with the reason it is no page to measure (a file, a redirect). POST-only routes (the
forms' targets) are found through their `require_POST` and answer no GET.

`audit_objects()` builds what the pages show on top of `seed_demo`, through the real services:
the resident's draft and submitted application, a replied complaint (its tracking page, the
rating by link and from the tracking page), the assisted resident under a mandate with a draft
and a replied complaint filed at the counter, a family binding, a destruction list the
retention run proposed, and a certificate of the resident's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.cases import services as case_services
from apps.catalog.models import FieldDefinition, ServiceItem
from apps.certificates.services import certificate_issue
from apps.complaints import services as complaint_services
from apps.feedback.models import RatingRequest
from apps.feedback.services.links import rating_link_token
from apps.helpdesk import services as desk_services
from apps.helpdesk.models import Mandate
from apps.retention import services as retention_services
from apps.retention.models import DestructionList
from apps.signatures.services import signature_code_send
from tests.cases.conftest import PDF_BYTES
from tests.conftest import make_resident
from tests.retention.conftest import backdate

# Mounted apart from the pages, or not the portal's pages at all.
OUTSIDE = ("api/", "admin/", "open311/", "static/", "media/", "__", "benchmark")

# route → (visitor, {parameter: key of audit_objects()}); "?": the key of a query string to add.
PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "": ("anonymous", {}),
    "design/": ("anonymous", {}),
    "accounts/login/": ("anonymous", {}),
    "accounts/register/": ("anonymous", {}),
    "accounts/register/verify/": ("anonymous", {}),
    "services/": ("anonymous", {}),
    "services/<slug:code>/": ("anonymous", {"code": "service"}),
    "verify/": ("anonymous", {}),
    # with a category chosen (as its page links here): the category's own questions are asked
    "complaints/": ("anonymous", {"?": "complaint_category"}),
    "complaints/track/": ("anonymous", {}),
    "complaints/track/<str:ref>/": ("anonymous", {"ref": "complaint"}),
    "complaints/filed/<str:ref>/": ("anonymous", {"ref": "complaint"}),
    "feedback/r/<str:token>/": ("anonymous", {"token": "rating_token"}),
    "family/claim/": ("anonymous", {}),
    "family/claim/verify/": ("anonymous", {}),
    "my-data/closed/": ("anonymous", {}),
    "open-data/": ("anonymous", {}),
    "accounts/profile/": ("resident", {}),
    "notifications/": ("resident", {}),
    "cases/": ("resident", {}),
    "cases/new/<slug:code>/": ("resident", {"code": "service"}),
    "cases/<str:ref>/": ("resident", {"ref": "submitted"}),
    "cases/<str:ref>/step/<int:step>/": ("resident", {"ref": "draft", "step": "first_step"}),
    "cases/<str:ref>/check/": ("resident", {"ref": "draft"}),
    "cases/<str:ref>/sign/": ("resident", {"ref": "draft"}),
    "cases/<str:ref>/submitted/": ("resident", {"ref": "submitted"}),
    "feedback/cases/<str:ref>/rate/": ("resident", {"ref": "complaint"}),
    "family/": ("resident", {}),
    "family/for/<int:resident_id>/": ("resident", {"resident_id": "ward"}),
    "family/cases/<str:ref>/sign/": ("resident", {"ref": "ward_draft"}),
    "certificates/": ("resident", {}),
    "my-data/": ("resident", {}),
    "my-data/close/": ("resident", {}),
    "my-data/cases/<str:ref>/views/": ("resident", {"ref": "submitted"}),
    "staff/": ("clerk", {}),
    "staff/cases/": ("clerk", {}),
    "staff/cases/<str:ref>/": ("clerk", {"ref": "submitted"}),
    "staff/feedback/": ("clerk", {}),
    "staff/certificates/": ("clerk", {}),
    "staff/certificates/<str:number>/": ("clerk", {"number": "certificate"}),
    "accounts/2fa/": ("clerk", {}),
    "accounts/2fa/enrol/": ("clerk", {}),
    "accounts/2fa/verify/": ("clerk", {}),
    "accounts/2fa/backup-codes/": ("clerk", {}),
    "staff/complaints/new/": ("dispatcher", {}),
    "staff/complaints/<str:ref>/": ("dispatcher", {"ref": "complaint"}),
    "staff/cases/overdue/": ("supervisor", {}),
    "staff/complaints/": ("supervisor", {}),
    "staff/metrics/": ("supervisor", {}),
    "staff/retention/": ("lead", {}),
    "staff/retention/lists/<int:pk>/": ("lead", {"pk": "destruction_list"}),
    "desk/": ("counter", {}),
    "desk/residents/": ("counter", {}),
    "desk/residents/new/": ("counter", {}),
    "desk/residents/<int:resident_id>/": ("counter", {"resident_id": "assisted"}),
    "desk/residents/<int:resident_id>/mandates/new/": ("counter", {"resident_id": "assisted"}),
    "desk/residents/<int:resident_id>/data/": ("counter", {"resident_id": "assisted"}),
    "desk/act/": ("counter", {}),
    "desk/act/complaint/": ("counter", {}),
    "desk/act/cases/<str:ref>/": ("counter", {"ref": "acting_draft"}),
    "desk/act/cases/<str:ref>/steps/<int:step>/": (
        "counter",
        {"ref": "acting_draft", "step": "first_step"},
    ),
    "desk/act/cases/<str:ref>/check/": ("counter", {"ref": "acting_draft"}),
    "desk/act/cases/<str:ref>/sign/": ("counter", {"ref": "acting_draft"}),
    "desk/print/": ("counter", {}),
    "staff/feedback/cases/<str:ref>/counter-rating/": ("counter", {"ref": "counter_complaint"}),
}

NOT_PAGES: dict[str, str] = {
    "healthz": "plain-text health check for the load balancer",
    "i18n/setlang/": "Django's language switch: a redirect",
    "open-data/metrics.json": "JSON download",
    "open-data/metrics.csv": "CSV download",
    "staff/metrics/export.csv": "CSV download",
    "cases/<str:ref>/documents/<int:pk>/": "a PDF",
    "cases/<str:ref>/attachments/<int:pk>/": "an uploaded file",
    "staff/cases/<str:ref>/attachments/<int:pk>/": "an uploaded file",
    "staff/cases/<str:ref>/documents/<int:pk>/": "a PDF",
    "complaints/track/<str:ref>/photos/<int:pk>/": "a photo",
    "staff/complaints/<str:ref>/photos/<int:pk>/": "a photo",
    "my-data/exports/<int:pk>/download/": "a ZIP download",
    "desk/residents/<int:resident_id>/data/exports/<int:pk>/download/": "a ZIP download",
    "desk/mandates/<int:pk>/evidence/": "the mandate's evidence file",
    "desk/print/<int:pk>/": "a print batch PDF",
    "certificates/<str:number>/pdf/": "the certificate's sealed PDF",
    "staff/retention/lists/<int:pk>/report.pdf": "the destruction list's sealed report (PDF)",
    "feedback/track/<str:ref>/rate/": "a redirect to the rating link's page (feedback/r/<token>/)",
}

# Each visitor's browser session carries what the pages behind a step need.
SESSION_STATE = {
    "anonymous": lambda o: {
        "complaints-tracked": [o["complaint"]],
        "complaints-new-code": {"number": o["complaint"], "code": o["complaint_code"]},
        "pending_registration": {"channel": "email", "contact": "new@example.cn"},
        "pending_claim": {"channel": "email", "contact": "claim@example.cn"},
    },
    "counter": lambda o: {"acting_for": {"resident": o["assisted"], "mandate": o["mandate"]}},
}


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _methods(view: object) -> set[str] | None:
    """The HTTP methods a view accepts where it says so (`require_POST`, a class's
    `http_method_names`), else None (any)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names} - {"OPTIONS"}
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(
                    isinstance(m, str) and m in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
                    for m in value
                )
            ):
                return set(value)
        view = getattr(view, "__wrapped__", None)
    return None


def get_routes() -> list[str]:
    """Every route of the URL conf outside the APIs and the admin that answers GET."""
    routes = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(OUTSIDE):
            continue
        methods = _methods(pattern.callback)
        if methods is None or "GET" in methods:
            routes.append(route)
    return routes


def page_url(route: str, objects: dict) -> str:
    _visitor, parameters = PAGES[route]
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(objects[parameters[m.group(1)]]), route)
    query = objects[parameters["?"]] if "?" in parameters else ""
    return "/" + path + (f"?{query}" if query else "")


# --- the objects the pages show ------------------------------------------------------------------


def _answer(definition: FieldDefinition) -> object:
    """A valid answer for a demo form field."""
    kind, rules = definition.kind, definition.rules or {}
    Kind = FieldDefinition.Kind
    if kind == Kind.ID_NUMBER:
        return "11010519491231002X"
    if kind == Kind.PHONE:
        return "13800138000"
    if kind == Kind.NUMBER:
        return str(rules.get("min") or 1) if rules.get("min", 0) >= 1 else "1"
    if kind == Kind.DATE:
        return (timezone.localdate() + timedelta(days=1)).isoformat()
    if kind == Kind.CHOICE:
        return definition.choice_list()[0][0]
    if kind == Kind.MULTICHOICE:
        return [definition.choice_list()[0][0]]
    if kind == Kind.TEXTAREA:
        return "店面位于小区底商，经营日用百货与文具。"
    if kind == Kind.ADDRESS:
        return "北京市东城区和平里街道 3 号"
    return "张三百货"


def _filled_case(*, service: ServiceItem, applicant: User, actor: User, mandated: bool = False):
    case = case_services.case_create_draft(service=service, applicant=applicant, actor=actor)
    answers = {}
    for definition in case.version.fields.all():
        if definition.is_file:
            case_services.attachment_add(
                case=case,
                actor=actor,
                field_key=definition.key,
                upload=SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf"),
                mandated=mandated,
            )
        elif definition.required:
            answers[definition.key] = _answer(definition)
    case_services.case_answers_update(case=case, actor=actor, answers=answers, mandated=mandated)
    return case


def _replied(case, *, clerk: User, dispatcher: User):
    department = case.service.lead_department
    case = complaint_services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = complaint_services.complaint_sign(case=case, actor=clerk)
    return complaint_services.complaint_reply(
        case=case, actor=clerk, text="已联系施工单位，夜间停止施工。"
    )


def _sms_code() -> str:
    from apps.core.sms import LocmemSmsBackend

    return re.search(r"\b(\d{6})\b", LocmemSmsBackend.outbox[-1]["body"]).group(1)


def audit_objects(*, resident: User, assisted: User, counter: User, dispatcher: User) -> dict:
    """What the pages show, built through the services (see the module's docstring)."""
    service = ServiceItem.objects.get(code="individual-business-registration")
    market_clerk = User.objects.get(email="clerk@demo.gov")
    urban_clerk = User.objects.get(email="urban-clerk@demo.gov")
    noise = ServiceItem.objects.get(code="noise")
    assert market_clerk.staff_memberships.filter(department=service.lead_department).exists()
    assert Department.objects.filter(pk=noise.lead_department_id).exists()

    draft = _filled_case(service=service, applicant=resident, actor=resident)
    submitted = _filled_case(service=service, applicant=resident, actor=resident)
    signature_code_send(user=resident, channel="sms")
    submitted = case_services.case_submit(
        case=submitted, actor=resident, code=_sms_code(), channel="sms"
    )

    complaint, code = complaint_services.complaint_file(
        service=noise,
        actor=resident,
        reporter=resident,
        complaint_type="complaint",
        description="工地每晚十一点后还在打桩，影响休息。",
        address="建国门内大街 5 号",
        answers={"source": "building", "hours": ["night"]},
    )
    complaint = _replied(complaint, clerk=urban_clerk, dispatcher=dispatcher)
    rating_request = RatingRequest.objects.filter(case=complaint).first()
    assert rating_request is not None

    today = timezone.localdate()
    mandate: Mandate = desk_services.mandate_create(
        actor=counter,
        resident=assisted,
        scope="all",
        valid_from=today,
        valid_until=today + timedelta(days=30),
        drawn_signature="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAA"
        "DUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    )
    acting_draft = desk_services.acting_case_create(
        staff=counter, resident=assisted, mandate=mandate, service=service
    )
    counter_complaint, _code = desk_services.acting_complaint_file(
        staff=counter,
        resident=assisted,
        mandate=mandate,
        service=noise,
        complaint_type="complaint",
        description="楼道灯坏了一个月。",
        answers={"source": "neighbours"},
    )
    _replied(counter_complaint, clerk=urban_clerk, dispatcher=dispatcher)

    # the resident is the assisted resident's family member (bound at the counter, confirmed)
    link = desk_services.family_invite(
        actor=counter,
        resident=assisted,
        login=resident.email,
        relationship="儿子",
        at_counter=desk_services.counter_service_point(user=counter),
    )
    desk_services.family_confirm(link=link, actor=resident)
    ward_draft = _filled_case(service=service, applicant=assisted, actor=assisted)
    desk_services.family_case_grant(member=resident, case=ward_draft)

    # a former resident's withdrawn application, ended 11 years ago: the retention run proposes
    # it for destruction to the market department (its lead approves the list)
    former = make_resident(
        email="former@example.cn", phone="13600136000", real_name="钱七", id_number=None
    )
    old = case_services.case_create_draft(service=service, applicant=former, actor=former)
    backdate(case_services.case_withdraw(case=old, actor=former), years=11)
    retention_services.retention_run()
    destruction_list = DestructionList.objects.get(department=service.lead_department)

    # the resident's business licence (电子证照), issued by the market department
    certificate = certificate_issue(
        certificate_type=service.certificate_type,
        holder=resident,
        fields={"operator": "张三", "business_name": "张三百货", "premises": "和平里 3 号"},
        actor=market_clerk,
    )

    return {
        "certificate": certificate.number,
        "destruction_list": destruction_list.pk,
        "service": service.code,
        "complaint_category": f"category={noise.code}",
        "first_step": 1,
        "draft": draft.ref,
        "submitted": submitted.ref,
        "complaint": complaint.number,
        "complaint_code": code,
        "rating_token": rating_link_token(rating_request=rating_request),
        "assisted": assisted.pk,
        "mandate": mandate.pk,
        "acting_draft": acting_draft.ref,
        "counter_complaint": counter_complaint.number,
        "ward": assisted.pk,
        "ward_draft": ward_draft.ref,
    }
