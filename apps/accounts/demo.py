"""Demo data for `make run` and the test personas: departments, a service point, staff for each
role with 2FA devices, and two residents (one assisted). Idempotent: running it again changes
nothing that exists."""

from dataclasses import dataclass, field

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Department, ResidentProfile, ServicePoint, StaffMembership, User
from .services import totp_secret_base32

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - demo data only, printed for the demo
BACKUP_CODES_SHOWN = 5

DEPARTMENTS = [
    ("market", "市场监督管理局", "Market Regulation Administration"),
    ("housing", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("urban", "城市管理局", "Urban Management Bureau"),
    ("environment", "生态环境局", "Ecology and Environment Bureau"),
    ("civil", "民政局", "Civil Affairs Bureau"),
    ("hotline", "12345 热线中心", "12345 Hotline Centre"),
]

# login, name, department, role
STAFF = [
    ("clerk@demo.gov", "王文书", "market", StaffMembership.Role.CLERK),
    ("clerk2@demo.gov", "赵审核", "housing", StaffMembership.Role.CLERK),
    ("lead@demo.gov", "李科长", "market", StaffMembership.Role.LEAD),
    ("dispatcher@demo.gov", "陈派单", "hotline", StaffMembership.Role.DISPATCHER),
    ("supervisor@demo.gov", "周督办", "hotline", StaffMembership.Role.SUPERVISOR),
    ("counter@demo.gov", "孙帮办", "civil", StaffMembership.Role.COUNTER),
]


@dataclass
class DemoAccount:
    login: str
    password: str | None
    role: str
    department: str = ""
    name: str = ""
    totp_secret: str = ""
    backup_codes: list[str] = field(default_factory=list)


def _department(code: str) -> Department:
    return Department.objects.get(code=code)


def _two_factor(user: User) -> tuple[str, list[str]]:
    totp, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Demo authenticator", defaults={"confirmed": True}
    )
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="Backup codes", defaults={"confirmed": True}
    )
    unused = list(static.token_set.values_list("token", flat=True)[:BACKUP_CODES_SHOWN])
    while len(unused) < BACKUP_CODES_SHOWN:
        token = StaticToken.random_token()
        static.token_set.create(token=token)
        unused.append(token)
    return totp_secret_base32(totp), unused


@transaction.atomic
def seed_demo() -> list[DemoAccount]:
    for code, name_zh, name_en in DEPARTMENTS:
        Department.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en}
        )
    point, _ = ServicePoint.objects.get_or_create(
        code="dongcheng-centre",
        defaults={
            "name_zh": "东城区政务服务中心",
            "name_en": "Dongcheng Government Service Centre",
            "address": "东城区建国门内大街 1 号",
            "opening_hours": "周一至周五 9:00–17:00",
            "phone": "010-12345678",
            "department": _department("civil"),
        },
    )
    accounts: list[DemoAccount] = []
    for login, name, department_code, role in STAFF:
        user, created = User.objects.get_or_create(
            username=login.split("@")[0], defaults={"email": login, "display_name": name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        StaffMembership.objects.get_or_create(
            user=user,
            department=_department(department_code),
            role=role,
            defaults={"service_point": point if role == StaffMembership.Role.COUNTER else None},
        )
        secret, codes = _two_factor(user)
        accounts.append(
            DemoAccount(login, DEMO_PASSWORD, str(role), department_code, name, secret, codes)
        )

    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "email": "admin@demo.gov",
            "display_name": "系统管理员",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    secret, codes = _two_factor(admin)
    accounts.append(
        DemoAccount("admin@demo.gov", DEMO_PASSWORD, "admin", "", str(admin), secret, codes)
    )

    resident, created = User.objects.get_or_create(
        username="resident",
        defaults={"email": "resident@demo.cn", "phone": "13800138000", "display_name": "张三"},
    )
    if created:
        resident.set_password(DEMO_PASSWORD)
        resident.save(update_fields=["password"])
    ResidentProfile.objects.get_or_create(
        user=resident,
        defaults={
            "real_name": "张三",
            "id_number": "11010519491231002X",
            "address": "北京市东城区东四十条 10 号",
            "notification_channels": ["in_app", "email", "sms"],
        },
    )
    accounts.append(DemoAccount("resident@demo.cn", DEMO_PASSWORD, "resident", name="张三"))

    elder = User.objects.filter(username="assisted-li").first() or User.objects.create_user(
        username="assisted-li",
        password=None,
        display_name="李秀英",
        is_assisted=True,
        care_mode=True,
    )
    ResidentProfile.objects.get_or_create(
        user=elder,
        defaults={
            "real_name": "李秀英",
            "id_number": "110101194003070027",
            "address": "北京市东城区和平里 3 号院",
            "notification_channels": ["letter"],
            "preferred_contact": ResidentProfile.Contact.FAMILY_PHONE,
            "family_phone": "13900139000",
            "service_point": point,
        },
    )
    accounts.append(DemoAccount("assisted-li", None, "assisted resident", name="李秀英"))
    return accounts
