"""Create the demo from the files in `data/` through the domain's models and services.

Every seed is idempotent: it creates what is missing and refreshes the demo's own texts, and
never changes a published service version or an account's password or 2FA devices."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, ResidentProfile, ServicePoint, StaffMembership, User
from apps.accounts.services import totp_secret_base32
from apps.catalog.models import (
    FieldDefinition,
    RequiredDocument,
    ReviewStage,
    ServiceItem,
    ServiceVersion,
)
from apps.catalog.services import service_version_publish
from apps.certificates.models import CertificateType

DATA_DIR = Path(__file__).resolve().parent / "data"
BACKUP_CODES_SHOWN = 5

Spec = dict[str, Any]


@dataclass
class DemoAccount:
    login: str
    password: str | None
    role: str
    department: str = ""
    name: str = ""
    totp_secret: str = ""
    backup_codes: list[str] = field(default_factory=list)


def load(*, name: str) -> Any:
    """The parsed data file `data/<name>.yaml`."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def _department(*, code: str) -> Department:
    # get_or_create, so that the catalogue also seeds on a database without seed_accounts().
    spec = {d["code"]: d for d in load(name="departments")}[code]
    department, _ = Department.objects.get_or_create(code=code, defaults=spec)
    return department


def _user(*, login: str, name: str, password: str | None, **fields: Any) -> User:
    """The account with this login's username, created with the password if it is missing."""
    username = login.split("@")[0]
    user: User | None = User.objects.filter(username=username).first()
    if user is None:
        email = login if "@" in login else None
        user = User.objects.create_user(
            username=username, email=email, password=password, display_name=name, **fields
        )
    return user


def _two_factor(*, user: User) -> tuple[str, list[str]]:
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
    return totp_secret_base32(device=totp), unused


@transaction.atomic
def seed_accounts() -> list[DemoAccount]:
    """Departments, service points, staff for each role with 2FA, administrators and residents."""
    for spec in load(name="departments"):
        Department.objects.update_or_create(code=spec.pop("code"), defaults=spec)
    points: dict[str, ServicePoint] = {}
    for spec in load(name="service_points"):
        code = spec.pop("code")
        spec["department"] = _department(code=spec["department"])
        points[code], _ = ServicePoint.objects.get_or_create(code=code, defaults=spec)

    data = load(name="accounts")
    password: str = data["password"]
    accounts: list[DemoAccount] = []
    for spec in data["staff"]:
        user = _user(login=spec["login"], name=spec["name"], password=password)
        role = StaffMembership.Role(spec["role"])
        point = points[spec["service_point"]] if "service_point" in spec else None
        StaffMembership.objects.get_or_create(
            user=user,
            department=_department(code=spec["department"]),
            role=role,
            defaults={"service_point": point},
        )
        secret, codes = _two_factor(user=user)
        accounts.append(
            DemoAccount(
                spec["login"], password, str(role), spec["department"], spec["name"], secret, codes
            )
        )
    for spec in data["administrators"]:
        user = _user(**spec, password=password, is_staff=True, is_superuser=True)
        secret, codes = _two_factor(user=user)
        accounts.append(DemoAccount(spec["login"], password, "admin", "", str(user), secret, codes))
    for spec in data["residents"]:
        resident_password = password if spec.get("has_password", True) else None
        user = _user(
            login=spec["login"], name=spec["name"], password=resident_password, **spec["user"]
        )
        profile = spec["profile"]
        if "service_point" in profile:
            profile["service_point"] = points[profile["service_point"]]
        ResidentProfile.objects.get_or_create(user=user, defaults=profile)
        accounts.append(
            DemoAccount(spec["login"], resident_password, spec["role"], name=spec["name"])
        )
    accounts += _seed_systems(specs=data.get("systems", []), registrar=data["administrators"][0])
    return accounts


def _seed_systems(*, specs: list[Spec], registrar: Spec) -> list[DemoAccount]:
    """Departments' systems with the demo's client ids and secrets (registered once)."""
    from apps.systems.selectors import department_system_for_client_id
    from apps.systems.services import department_system_register

    admin = User.objects.get(username=registrar["login"].split("@")[0])
    accounts = []
    for spec in specs:
        if department_system_for_client_id(client_id=spec["client_id"]) is None:
            department_system_register(
                name=spec["name"],
                department=_department(code=spec["department"]),
                scopes=spec["scopes"],
                actor=admin,
                client_id=spec["client_id"],
                secret=spec["secret"],
            )
        accounts.append(
            DemoAccount(
                spec["client_id"],
                spec["secret"],
                "department system",
                spec["department"],
                spec["name"],
            )
        )
    return accounts


def _seed_certificate_types() -> dict[str, CertificateType]:
    types: dict[str, CertificateType] = {}
    for spec in load(name="certificate_types"):
        code = spec.pop("code")
        spec["issuing_department"] = _department(code=spec["issuing_department"])
        types[code], _ = CertificateType.objects.update_or_create(code=code, defaults=spec)
    return types


def _seed_service(
    *, spec: Spec, declaration: Spec, types: dict[str, CertificateType]
) -> ServiceItem:
    code, lead = spec.pop("code"), spec.pop("lead")
    if "certificate_type" in spec:
        spec["certificate_type"] = types[spec["certificate_type"]]
    documents, stages = spec.pop("documents"), spec.pop("stages")
    steps, fields = spec.pop("steps"), spec.pop("fields")
    service, _ = ServiceItem.objects.update_or_create(
        code=code,
        defaults={
            "kind": ServiceItem.Kind.APPLICATION,
            "lead_department": _department(code=lead),
            "allows_deemed_consent": False,
            **spec,
        },
    )
    document_by_number: dict[int, RequiredDocument] = {}
    for order, document in enumerate(documents, 1):
        if "certificate_type" in document:
            document = {**document, "certificate_type": types[document["certificate_type"]]}
        document_by_number[order], _ = RequiredDocument.objects.update_or_create(
            service=service, order=order, defaults=document
        )
    for order, stage_spec in enumerate(stages, 1):
        departments = [_department(code=c) for c in stage_spec.pop("departments")]
        stage, _ = ReviewStage.objects.update_or_create(
            service=service, order=order, defaults=stage_spec
        )
        stage.departments.set(departments)

    if not service.versions.exists():
        version = ServiceVersion.objects.create(
            service=service, number=1, steps=steps, **declaration
        )
        for order, field_spec in enumerate(fields, 1):
            field_spec = dict(field_spec)  # an alias (*id_card_scan) is one dict in many services
            number = field_spec.pop("document", None)
            FieldDefinition.objects.create(
                version=version,
                order=order,
                kind=FieldDefinition.Kind(field_spec.pop("kind")),
                document=document_by_number[number] if number else None,
                **field_spec,
            )
        service_version_publish(version=version, actor=None)
    return service


@transaction.atomic
def seed_catalog() -> list[ServiceItem]:
    """The demo certificate types and services (applications) with version 1 published; safe
    to run again."""
    types = _seed_certificate_types()
    data = load(name="services")
    declaration = {key: data[key] for key in ("declaration_zh", "declaration_en")}
    return [
        _seed_service(spec=spec, declaration=declaration, types=types) for spec in data["services"]
    ]


@transaction.atomic
def seed_complaint_categories() -> list[ServiceItem]:
    """The demo complaint categories (kind COMPLAINT, no form); safe to run again."""
    data = load(name="complaint_categories")
    items: list[ServiceItem] = []
    for spec in data["categories"]:
        questions = spec.pop("questions", [])
        item, _ = ServiceItem.objects.update_or_create(
            code=spec.pop("code"),
            defaults={
                "kind": ServiceItem.Kind.COMPLAINT,
                "lead_department": _department(code=spec.pop("lead")),
                **data["limits"],
                **spec,
            },
        )
        current = item.current_version()
        if current is None or (questions and not current.fields.exists()):
            # A complaint has no form of its own; a category that asks questions has them as
            # the fields of its published version (a new one: published versions never change).
            version = ServiceVersion.objects.create(
                service=item, number=(current.number + 1) if current else 1
            )
            for order, question in enumerate(questions, 1):
                question = dict(question)
                FieldDefinition.objects.create(
                    version=version,
                    order=order,
                    kind=FieldDefinition.Kind(question.pop("kind")),
                    **question,
                )
            if questions:
                service_version_publish(version=version, actor=None)
            else:
                ServiceVersion.objects.filter(pk=version.pk).update(published_at=timezone.now())
        items.append(item)
    return items
