"""Small builders for catalogue tests: a service with a published two-step version."""

from apps.accounts.models import Department
from apps.catalog.models import (
    FieldDefinition,
    RequiredDocument,
    ReviewStage,
    ServiceItem,
    ServiceVersion,
)

Kind = FieldDefinition.Kind

GENDERS = [
    {"value": "f", "label_zh": "女", "label_en": "Female"},
    {"value": "m", "label_zh": "男", "label_en": "Male"},
]
NEEDS = [
    {"value": "meals", "label_zh": "助餐", "label_en": "Meals"},
    {"value": "bath", "label_zh": "助浴", "label_en": "Bathing"},
    {"value": "medical", "label_zh": "助医", "label_en": "Medical"},
]


def make_service(
    *, department: Department, code="elderly-card", publish=True, **extra
) -> ServiceItem:
    service = ServiceItem.objects.create(
        code=code,
        name_zh=extra.pop("name_zh", "老年人优待证办理"),
        name_en=extra.pop("name_en", "Senior citizen card"),
        summary_zh=extra.pop("summary_zh", "年满60周岁的本市户籍老年人可申领优待证。"),
        summary_en=extra.pop(
            "summary_en", "Residents aged 60 or over can apply for a senior card."
        ),
        lead_department=department,
        statutory_days=extra.pop("statutory_days", 20),
        promised_days=extra.pop("promised_days", 5),
        **extra,
    )
    id_scan = RequiredDocument.objects.create(
        service=service, order=1, name_zh="居民身份证", name_en="Resident ID card"
    )
    stage = ReviewStage.objects.create(service=service, order=1, name_zh="审核", name_en="Review")
    stage.departments.add(department)
    version = ServiceVersion.objects.create(
        service=service,
        number=1,
        declaration_zh="本人承诺所填信息真实有效。",
        declaration_en="I declare that the information I give is true.",
        steps=[
            {"title_zh": "申请人信息", "title_en": "About you"},
            {"title_zh": "服务需求", "title_en": "What you need"},
        ],
    )
    fields = [
        dict(
            key="full_name",
            kind=Kind.TEXT,
            label_zh="姓名",
            label_en="Full name",
            rules={"max_length": 20},
        ),
        dict(key="id_number", kind=Kind.ID_NUMBER, label_zh="身份证号码", label_en="ID number"),
        dict(key="phone", kind=Kind.PHONE, label_zh="手机号码", label_en="Mobile phone"),
        dict(
            key="birth_date",
            kind=Kind.DATE,
            label_zh="出生日期",
            label_en="Date of birth",
            rules={"max": "today"},
        ),
        dict(key="gender", kind=Kind.CHOICE, label_zh="性别", label_en="Sex", choices=GENDERS),
        dict(key="address", kind=Kind.ADDRESS, label_zh="居住地址", label_en="Home address"),
        dict(
            key="household",
            kind=Kind.NUMBER,
            label_zh="家庭人口",
            label_en="People in household",
            rules={"min": 1, "max": 20},
        ),
        dict(
            key="needs",
            kind=Kind.MULTICHOICE,
            label_zh="服务需求",
            label_en="Services needed",
            choices=NEEDS,
            step=2,
        ),
        dict(
            key="notes",
            kind=Kind.TEXTAREA,
            label_zh="其他说明",
            label_en="Anything else",
            required=False,
            step=2,
        ),
        dict(
            key="id_scan",
            kind=Kind.FILE,
            label_zh="身份证扫描件",
            label_en="ID card scan",
            step=2,
            document=id_scan,
            rules={"max_files": 2, "max_mb": 1},
        ),
    ]
    for order, spec in enumerate(fields, start=1):
        FieldDefinition.objects.create(
            version=version, order=order, step=spec.pop("step", 1), **spec
        )
    if publish:
        from django.utils import timezone

        version.published_at = timezone.now()
        version.save()
    return service


# key → (source, resident may change it): the first step's fields of the senior card.
PREFILL_SOURCES = {
    "full_name": ("profile.name", False),
    "id_number": ("profile.id_number", False),
    "phone": ("profile.phone", True),
    "address": ("profile.address", True),
    "household": ("last_case", True),
    "gender": ("last_case", True),
}


def make_prefill_service(*, department: Department, **extra) -> ServiceItem:
    """The senior card with sources declared on its first step's fields, published."""
    from django.utils import timezone

    service = make_service(department=department, publish=False, **extra)
    version = service.versions.get()
    for key, (source, changeable) in PREFILL_SOURCES.items():
        FieldDefinition.objects.filter(version=version, key=key).update(
            prefill_source=source, prefill_changeable=changeable
        )
    version.published_at = timezone.now()
    version.save()
    return service


VALID_ANSWERS = {
    "full_name": "王秀兰",
    "id_number": "11010519491231002x",
    "phone": "138 0013 8000",
    "birth_date": "1949-12-31",
    "gender": "f",
    "address": "东城区建国门内大街 1 号",
    "household": 2,
    "needs": ["meals", "medical"],
    "notes": "",
}
