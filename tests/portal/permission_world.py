"""The people and objects the permission matrix (tests/portal/permission_matrix.csv) reads with.

Two worlds, built through the real services:

- "own": the objects of `resident` (张三), handled by the department `market`, whose help point
  `centre` holds a mandate for the assisted resident 李秀英; `family_proxy` is bound to
  `resident`; `counter_mandate` works at `centre`.
- "other": the objects of `other_resident`, handled by the department `housing`, whose help
  point `north` serves the assisted resident 王秀兰, who has no mandate (the help point holds one
  for another assisted resident, 赵大爷); `counter_nomandate` works at `north`.

Staff roles sit in `market` (the "own" department) except `clerk_other` (housing) and
`counter_nomandate`. A placeholder `{name}` in the table's kwargs is `World.own[name]` or
`World.other[name]`."""

from dataclasses import dataclass, field

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, ResidentProfile, ServicePoint, StaffMembership, User
from apps.cases import services as case_services
from apps.cases.models import Attachment, CaseDocument, ReviewTask
from apps.catalog.models import ServiceItem
from apps.feedback.models import RatingRequest, Rectification
from apps.helpdesk import services as helpdesk_services
from apps.notifications.models import Notification
from tests.cases.conftest import pdf_upload, submit_case
from tests.catalog.factories import make_service
from tests.complaints.conftest import jpeg_with_gps
from tests.conftest import make_resident, make_staff
from tests.helpdesk.conftest import make_mandate

ROLES = (
    "anonymous",
    "resident",
    "other_resident",
    "family_proxy",
    "counter_mandate",
    "counter_nomandate",
    "dispatcher",
    "clerk",
    "clerk_other",
    "lead",
    "supervisor",
    "records_officer",
    "admin",
)


@dataclass
class World:
    users: dict[str, User | None]
    own: dict[str, object] = field(default_factory=dict)
    other: dict[str, object] = field(default_factory=dict)
    acting: dict[str, int] = field(default_factory=dict)


def _assisted(name: str, id_number: str, point: ServicePoint, phone: str) -> User:
    user = User.objects.create_user(display_name=name, is_assisted=True)
    ResidentProfile.objects.create(
        user=user,
        real_name=name,
        id_number=id_number,
        notification_channels=["letter"],
        preferred_contact=ResidentProfile.Contact.FAMILY_PHONE,
        family_phone=phone,
        service_point=point,
    )
    return user


def _decide(case, clerk, lead, capture):
    from tests.accounts.test_two_factor import token_for

    with capture(execute=True):
        case = case_services.case_accept(case=case, actor=clerk)
        for task in ReviewTask.objects.filter(case=case, round=case.review_round):
            case_services.task_approve(task=task, actor=clerk, opinion="材料齐全")
    with capture(execute=True):
        case = case_services.case_decide(
            case=case, actor=lead, code=token_for(TOTPDevice.objects.get(user=lead)), reasons="准予"
        )
    case.refresh_from_db()
    return case


def _objects(*, n, department, resident, proxy, clerk, lead, dispatcher, assisted, capture):
    """One world's objects; `n` keeps codes and phone numbers apart."""
    from apps.complaints import services as complaint_services
    from apps.complaints.open311_selectors import open311_media_token
    from apps.feedback.services import appeal_file, rating_submit
    from apps.feedback.services.links import rating_link_token
    from apps.privacy.services import data_export_build, data_export_request

    objects: dict[str, object] = {}
    service = make_service(department=department, code=f"elderly-card-{n}")
    category = ServiceItem.objects.create(
        code=f"noise-{n}",
        kind=ServiceItem.Kind.COMPLAINT,
        name_zh="噪声扰民",
        name_en="Noise",
        lead_department=department,
        statutory_days=13,
        promised_days=13,
        urgent_hours=24,
    )
    link = helpdesk_services.family_invite(actor=resident, resident=resident, login=proxy.email)
    helpdesk_services.family_confirm(link=link, actor=proxy)

    draft = case_services.case_create_draft(service=service, applicant=resident, actor=resident)
    draft_attachment = case_services.attachment_add(
        case=draft,
        actor=resident,
        field_key="id_scan",
        upload=pdf_upload(),
    )
    with capture(execute=True):
        intake = submit_case(service, resident)
    with capture(execute=True):
        in_review = submit_case(service, resident)
        in_review = case_services.case_accept(case=in_review, actor=clerk)
    task = ReviewTask.objects.filter(case=in_review).first()
    extension = case_services.extension_request(
        case=in_review, actor=clerk, days=3, reason="需要现场核查"
    )
    with capture(execute=True):
        decided = _decide(submit_case(service, resident), clerk, lead, capture)
    with capture(execute=True):
        rating = rating_submit(
            case=decided, rater=resident, level=1, sub_scores={}, comment="太慢", channel="web"
        )
    appeal = appeal_file(rating=rating, actor=lead, reason="误评")
    rectification = Rectification.objects.filter(rating=rating).first()

    with capture(execute=True):
        complaint, code = complaint_services.complaint_file(
            service=category,
            actor=resident,
            reporter=resident,
            complaint_type="complaint",
            description="深夜施工噪声扰民",
            address="建国门内大街 5 号",
            photos=[jpeg_with_gps()],
        )
    photo = Attachment.objects.filter(case=complaint).first()
    with capture(execute=True):
        complaint_services.complaint_dispatch(
            case=complaint, actor=dispatcher, department=department
        )
        complaint_services.complaint_sign(case=complaint, actor=clerk)
    complaint_extension = complaint_services.complaint_extension_request(
        case=complaint, actor=clerk, days=2, reason="需要协调施工单位"
    )
    objects.update(
        colleague=clerk.pk,
        department=department.code,
        service=service.code,
        complaint_extension=complaint_extension.pk,
        case_attachment=Attachment.objects.filter(case=intake).first().pk,
        category=category.code,
        resident=resident.pk,
        assisted=assisted.pk,
        link=link.pk,
        draft=draft.ref,
        draft_attachment=draft_attachment.pk,
        case=intake.ref,
        in_review=in_review.ref,
        task=task.pk,
        extension=extension.pk,
        decided=decided.ref,
        decided_document=CaseDocument.objects.filter(case=decided).first().document_id,
        rating=rating.pk,
        rectification=rectification.pk if rectification else 0,
        appeal=appeal.pk,
        rating_token=rating_link_token(
            rating_request=RatingRequest.objects.filter(case=decided).first()
        ),
        complaint=complaint.ref,
        complaint_code=code,
        photo=photo.pk if photo else 0,
        media_token=open311_media_token(attachment_id=photo.pk if photo else 0),
        notification=Notification.objects.filter(recipient=resident, channel="in_app").first().pk,
    )
    export = data_export_request(resident=resident, actor=resident)
    data_export_build(export_id=export.pk)
    objects["export"] = export.pk
    return objects


def build_world(capture) -> World:
    market = Department.objects.create(code="market", name_zh="市场监督管理局", name_en="Market")
    housing = Department.objects.create(
        code="housing", name_zh="住房和城乡建设局", name_en="Housing"
    )
    centre = ServicePoint.objects.create(
        code="centre", name_zh="政务服务中心", address="建国门内大街 1 号", department=market
    )
    north = ServicePoint.objects.create(
        code="north", name_zh="北区服务站", address="和平里 9 号", department=housing
    )
    Role = StaffMembership.Role
    resident = make_resident()
    other_resident = make_resident(
        email="other@example.cn",
        phone="13800138001",
        real_name="李四",
        id_number="110101199003074514",
    )
    proxy = make_resident(
        email="daughter@example.cn",
        phone="13700137000",
        real_name="王芳",
        id_number="110101199001010015",
    )
    other_proxy = make_resident(
        email="son@example.cn",
        phone="13700137001",
        real_name="李明",
        id_number="11010519900101003X",
    )
    staff = {
        "counter_mandate": make_staff(
            username="counter", department=market, role=Role.COUNTER, service_point=centre
        ),
        "counter_nomandate": make_staff(
            username="counter-north", department=housing, role=Role.COUNTER, service_point=north
        ),
        "dispatcher": make_staff(username="dispatcher", department=market, role=Role.DISPATCHER),
        "clerk": make_staff(username="clerk", department=market, role=Role.CLERK),
        "clerk_other": make_staff(username="clerk-housing", department=housing, role=Role.CLERK),
        "lead": make_staff(username="lead", department=market, role=Role.LEAD),
        "supervisor": make_staff(username="supervisor", department=market, role=Role.SUPERVISOR),
        "records_officer": make_staff(
            username="records", department=market, role=Role.RECORDS_OFFICER
        ),
    }
    other_lead = make_staff(username="lead-housing", department=housing, role=Role.LEAD)
    admin = User.objects.create_superuser(
        username="admin", email="admin@city.gov", password="correct-horse-battery-9"
    )
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)

    assisted = _assisted("李秀英", "110101194003070027", centre, "13900139000")
    other_assisted = _assisted("王秀兰", "110101194505050021", north, "13900139001")
    mandated_elsewhere = _assisted("赵大爷", "110101194202020018", north, "13900139002")

    world = World(
        users={
            "anonymous": None,
            "resident": resident,
            "other_resident": other_resident,
            "family_proxy": proxy,
            **staff,
            "admin": admin,
        }
    )
    world.own = _objects(
        n=1,
        department=market,
        resident=resident,
        proxy=proxy,
        clerk=staff["clerk"],
        lead=staff["lead"],
        dispatcher=staff["dispatcher"],
        assisted=assisted,
        capture=capture,
    )
    world.other = _objects(
        n=2,
        department=housing,
        resident=other_resident,
        proxy=other_proxy,
        clerk=staff["clerk_other"],
        lead=other_lead,
        dispatcher=staff["dispatcher"],
        assisted=other_assisted,
        capture=capture,
    )
    # the help points' mandates, drafts on behalf and print batches
    mandate = make_mandate(counter_clerk=staff["counter_mandate"], resident=assisted)
    elsewhere = make_mandate(counter_clerk=staff["counter_nomandate"], resident=mandated_elsewhere)
    own_service = ServiceItem.objects.get(code=world.own["service"])
    acting = helpdesk_services.acting_case_create(
        staff=staff["counter_mandate"], resident=assisted, mandate=mandate, service=own_service
    )
    # 王秀兰's own draft (no mandate: nobody at the counter may touch it)
    unmandated = case_services.case_create_draft(
        service=ServiceItem.objects.get(code=world.other["service"]),
        applicant=other_assisted,
        actor=other_assisted,
    )
    world.own.update(
        mandate=mandate.pk, acting_case=acting.ref, merge_into=world.other["complaint"]
    )
    world.other.update(merge_into=world.own["complaint"])
    world.other.update(mandate=elsewhere.pk, acting_case=unmandated.ref)
    for objects, counter, point in (
        (world.own, staff["counter_mandate"], centre),
        (world.other, staff["counter_nomandate"], north),
    ):
        batch = helpdesk_services.print_batch_generate(service_point=point, actor=counter)
        objects["batch"] = batch.pk if batch else 0
    world.acting = {"resident": assisted.pk, "mandate": mandate.pk}
    return world


def client_for(world: World, role: str) -> Client:
    """A client signed in as `role` (2FA passed for staff); the counter with a mandate is acting
    for the assisted resident of the own world, as after "act for this resident"."""
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is None:
        return client
    client.force_login(user, backend="apps.accounts.backends.EmailOrPhoneBackend")
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if role == "counter_mandate":
        from apps.helpdesk.views.desk.common import ACTING_SESSION_KEY

        session[ACTING_SESSION_KEY] = world.acting
    session.save()
    # a signed-cookie session (the matrix's) lives in the cookie: give the client the new one
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def totp(world: World, role: str) -> str:
    """The role's current authenticator code ("" for those without one)."""
    from tests.accounts.test_two_factor import token_for

    device = TOTPDevice.objects.filter(user=world.users[role], confirmed=True).first()
    return token_for(device) if device is not None else ""
