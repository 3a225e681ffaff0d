"""The city the cases happen in: departments and services (the demo catalogue and more), staff
in every department with known sign-in secrets, and residents written in bulk.

Staff are few and go through the models (a membership puts its user in the department's group,
as in production). Residents are many and go through `writer.Table`, all with one password hash
(one PBKDF2 run instead of hundreds of thousands)."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, ResidentProfile, ServicePoint, StaffMembership, User
from apps.catalog.models import FieldDefinition, ReviewStage, ServiceItem, ServiceVersion
from apps.catalog.services import service_version_publish
from apps.demo.loader import seed_accounts, seed_catalog, seed_complaint_categories

from .writer import Table

PASSWORD = "load-pass-2026"  # noqa: S105 - the seeded accounts' password, printed by the command
BACKUP_CODES = 20
Role = StaffMembership.Role

# Departments beyond the demo's six, each with three services and two complaint categories.
EXTRA_DEPARTMENTS = [
    ("public-security", "公安局", "Public Security Bureau"),
    ("hr-social", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("transport", "交通运输局", "Transport Bureau"),
    ("health", "卫生健康委员会", "Health Commission"),
    ("education", "教育局", "Education Bureau"),
    ("natural-resources", "规划和自然资源局", "Planning and Natural Resources Bureau"),
    ("water", "水务局", "Water Authority"),
    ("culture", "文化和旅游局", "Culture and Tourism Bureau"),
    ("medical-insurance", "医疗保障局", "Healthcare Security Bureau"),
    ("emergency", "应急管理局", "Emergency Management Bureau"),
]
SERVICE_KINDS = [("permit", "许可", "permit"), ("certificate", "证明", "certificate")]
SERVICE_KINDS += [("registration", "登记", "registration")]
COMPLAINT_KINDS = [("service", "服务质量", "service quality"), ("facility", "设施", "facilities")]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鑫斌宇浩凯"
DISTRICTS = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "通州区", "顺义区"]
STREETS = ["建国门内大街", "东四十条", "和平里", "安定门外大街", "学院路", "中关村大街", "望京街"]


@dataclass
class ServiceInfo:
    id: int
    code: str
    kind: str
    lead_id: int
    version_id: int
    promised_days: int
    # (order, name_zh, name_en, department ids, days) per review stage
    stages: list[tuple[int, str, str, list[int], int | None]]
    fields: list[tuple[str, str]]  # (key, kind) of the version's form
    complaint_days: dict[str, int] = field(default_factory=dict)
    urgent_hours: int = 24


@dataclass
class City:
    departments: dict[int, Department]
    group_of: dict[int, int]  # department id -> auth group id
    staff: dict[tuple[int, str], list[int]]  # (department id, role) -> user ids
    applications: list[ServiceInfo]
    categories: list[ServiceInfo]
    hotline_id: int
    dispatchers: list[int]
    residents: list[int] = field(default_factory=list)
    accounts: list[dict[str, object]] = field(default_factory=list)


def otp_key(*, seed: int, username: str) -> str:
    """The seeded authenticator key (hex, 20 bytes) of a staff account: known to the benchmark."""
    # A benchmark's known key, not a secret: SHA-1 only to get 20 bytes.
    text = f"seed-load:{seed}:{username}".encode()
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()


def backup_codes(*, seed: int, username: str) -> list[str]:
    digest = hashlib.sha256(f"seed-load-backup:{seed}:{username}".encode()).hexdigest()
    return [digest[i * 3 : i * 3 + 8] for i in range(BACKUP_CODES)]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def address(rng: random.Random) -> str:
    return f"北京市{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randint(1, 300)} 号"


def build_city(*, seed: int, rng: random.Random) -> City:
    """The demo catalogue and accounts, the extra departments and services, and the staff."""
    seed_accounts()
    seed_catalog()
    seed_complaint_categories()
    template = ServiceVersion.objects.filter(service__kind=ServiceItem.Kind.APPLICATION).first()
    declaration = (template.declaration_zh, template.declaration_en) if template else ("", "")
    for index, (code, name_zh, name_en) in enumerate(EXTRA_DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en}
        )
        # The second service is also reviewed by the previous department, in a second stage.
        partner = Department.objects.filter(code=EXTRA_DEPARTMENTS[index - 1][0]).first()
        for number, (suffix, kind_zh, kind_en) in enumerate(SERVICE_KINDS):
            _extra_service(
                code=f"{code}-{suffix}",
                name_zh=f"{name_zh}{kind_zh}",
                name_en=f"{name_en} {kind_en}",
                lead=department,
                second_stage=partner if number == 1 else None,
                declaration=declaration,
            )
        for suffix, kind_zh, kind_en in COMPLAINT_KINDS:
            item, created = ServiceItem.objects.get_or_create(
                code=f"{code}-{suffix}-complaint",
                defaults={
                    "kind": ServiceItem.Kind.COMPLAINT,
                    "lead_department": department,
                    "name_zh": f"{name_zh}{kind_zh}问题",
                    "name_en": f"{name_en}: {kind_en}",
                    "statutory_days": 15,
                    "promised_days": 13,
                    "complaint_days": {"consultation": 2, "help": 5, "complaint": 13},
                },
            )
            if created:
                ServiceVersion.objects.create(service=item, number=1, published_at=timezone.now())
    departments = {d.pk: d for d in Department.objects.order_by("pk")}
    hotline = Department.objects.get(code="hotline")
    staff = _staff(seed=seed, rng=rng, departments=list(departments.values()), hotline=hotline)
    city = City(
        departments=departments,
        group_of={pk: d.group_id for pk, d in departments.items() if d.group_id},
        staff=staff,
        applications=_services(kind=ServiceItem.Kind.APPLICATION),
        categories=_services(kind=ServiceItem.Kind.COMPLAINT),
        hotline_id=hotline.pk,
        dispatchers=staff.get((hotline.pk, Role.DISPATCHER), []),
    )
    memberships = StaffMembership.objects.select_related("user", "department")
    city.accounts = [
        {"username": m.user.username, "role": m.role, "department": m.department.code}
        for m in memberships.filter(user__username__contains="-load-").order_by("pk")
    ]
    return city


def _extra_service(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    lead: Department,
    second_stage: Department | None,
    declaration: tuple[str, str],
) -> None:
    service, created = ServiceItem.objects.get_or_create(
        code=code,
        defaults={
            "kind": ServiceItem.Kind.APPLICATION,
            "lead_department": lead,
            "name_zh": name_zh,
            "name_en": name_en,
            "summary_zh": f"{name_zh}的办理。",
            "summary_en": f"Apply for {name_en.lower()}.",
            "statutory_days": 20,
            "promised_days": 10,
        },
    )
    if not created:
        return
    stage = ReviewStage.objects.create(
        service=service, order=1, name_zh="初审", name_en="First review", days=5
    )
    stage.departments.set([lead])
    if second_stage is not None:
        stage = ReviewStage.objects.create(
            service=service, order=2, name_zh="会审", name_en="Joint review", days=5
        )
        stage.departments.set([second_stage])
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        steps=[{"title_zh": "申请信息", "title_en": "Application"}],
        declaration_zh=declaration[0],
        declaration_en=declaration[1],
    )
    for order, (key, kind, label_zh, label_en) in enumerate(
        [
            ("applicant_name", FieldDefinition.Kind.TEXT, "申请人姓名", "Applicant's name"),
            ("phone", FieldDefinition.Kind.PHONE, "联系电话", "Mobile phone"),
            ("address", FieldDefinition.Kind.ADDRESS, "地址", "Address"),
            ("details", FieldDefinition.Kind.TEXTAREA, "申请事由", "What you apply for"),
            ("supporting_document", FieldDefinition.Kind.FILE, "证明材料", "Supporting document"),
        ],
        1,
    ):
        FieldDefinition.objects.create(
            version=version, order=order, key=key, kind=kind, label_zh=label_zh, label_en=label_en
        )
    service_version_publish(version=version, actor=None)


def _services(*, kind: str) -> list[ServiceInfo]:
    result = []
    items = ServiceItem.objects.filter(kind=kind, is_active=True).order_by("code")
    for item in items.prefetch_related("stages__departments", "versions__fields"):
        versions = [v for v in item.versions.all() if v.published_at is not None]
        if not versions or item.lead_department_id is None:
            continue
        version = max(versions, key=lambda v: v.number)
        result.append(
            ServiceInfo(
                id=item.pk,
                code=item.code,
                kind=kind,
                lead_id=item.lead_department_id,
                version_id=version.pk,
                promised_days=item.promised_days or item.statutory_days or 10,
                stages=[
                    (s.order, s.name_zh, s.name_en, [d.pk for d in s.departments.all()], s.days)
                    for s in sorted(item.stages.all(), key=lambda s: s.order)
                ],
                fields=[(f.key, f.kind) for f in version.fields.all()],
                complaint_days=dict(item.complaint_days or {}),
                urgent_hours=item.urgent_hours or 24,
            )
        )
    return result


def _staff(
    *, seed: int, rng: random.Random, departments: list[Department], hotline: Department
) -> dict[tuple[int, str], list[int]]:
    """Clerks and a lead in every department, counter staff at a service point, dispatchers
    and supervisors at the hotline; each with a confirmed TOTP device and backup codes."""
    password = make_password(PASSWORD)
    point = ServicePoint.objects.order_by("pk").first()
    staff: dict[tuple[int, str], list[int]] = {}
    for department in departments:
        roles = [(Role.CLERK, 3), (Role.LEAD, 1), (Role.COUNTER, 1)]
        if department.pk == hotline.pk:
            roles += [(Role.DISPATCHER, 3), (Role.SUPERVISOR, 2)]
        for role, count in roles:
            for number in range(1, count + 1):
                username = f"{department.code}-load-{role}-{number}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "email": f"{username}@load.gov",
                        "display_name": person_name(rng),
                        "password": password,
                    },
                )
                StaffMembership.objects.get_or_create(
                    user=user,
                    department=department,
                    role=role,
                    defaults={"service_point": point if role == Role.COUNTER else None},
                )
                if created:
                    TOTPDevice.objects.create(
                        user=user,
                        name="Load authenticator",
                        confirmed=True,
                        key=otp_key(seed=seed, username=username),
                    )
                    static = StaticDevice.objects.create(
                        user=user, name="Backup codes", confirmed=True
                    )
                    for token in backup_codes(seed=seed, username=username):
                        static.token_set.create(token=token)
                staff.setdefault((department.pk, role), []).append(user.pk)
    # The demo's own staff work in the queues too.
    for membership in StaffMembership.objects.exclude(user__username__contains="-load-"):
        staff.setdefault((membership.department_id, membership.role), []).append(membership.user_id)
    return staff


def write_residents(*, count: int, rng: random.Random, start: datetime) -> list[int]:
    """`count` residents with profiles, in bulk; `resident-0000001` and on, one password."""
    users = Table(
        User,
        [
            "id",
            "password",
            "username",
            "email",
            "phone",
            "display_name",
            "is_superuser",
            "is_staff",
            "is_active",
            "date_joined",
        ],
    )
    profiles = Table(
        ResidentProfile,
        [
            "id",
            "created_at",
            "updated_at",
            "user_id",
            "real_name",
            "id_number",
            "address",
            "notification_channels",
        ],
    )
    users.start_ids()
    profiles.start_ids()
    password = make_password(PASSWORD)
    channels = [
        json.dumps(["in_app"]),
        json.dumps(["in_app", "email"]),
        json.dumps(["in_app", "sms"]),
    ]
    ids = []
    for index in range(1, count + 1):
        user_id = users.new_id()
        name = person_name(rng)
        joined = start - timedelta(days=rng.uniform(0, 1500))
        username = f"resident-{index:07d}"
        users.add(
            (
                user_id,
                password,
                username,
                f"{username}@load.example" if index % 3 else None,
                f"17{index:09d}",
                name,
                False,
                False,
                True,
                joined,
            )
        )
        profiles.add(
            (
                profiles.new_id(),
                joined,
                joined,
                user_id,
                name,
                id_number(index),
                address(rng),
                channels[index % 3],
            )
        )
        ids.append(user_id)
        if len(users.rows) >= 20000:
            users.flush()
            profiles.flush()
    users.flush()
    profiles.flush()
    return ids


def id_number(index: int) -> str:
    """A well-formed ID number (GB 11643 check digit) whose birth date and sequence come from
    the index: unique for 25,000,000 residents; area 110199 is none of the demo's."""
    born = date(1940, 1, 1) + timedelta(days=index % 25000)
    body = f"110199{born:%Y%m%d}{(index // 25000) % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]
