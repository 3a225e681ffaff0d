import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import StaffMembership
from apps.catalog.models import FieldDefinition, ServiceItem, ServiceVersion
from tests.conftest import make_staff

Kind = FieldDefinition.Kind


@pytest.fixture
def category(department):
    return ServiceItem.objects.create(
        code="noise",
        kind=ServiceItem.Kind.COMPLAINT,
        name_zh="噪声扰民",
        name_en="Noise",
        lead_department=department,
        statutory_days=13,
        promised_days=13,
        urgent_hours=24,
    )


@pytest.fixture
def questions(category):
    """The noise category asks: what makes the noise (one choice, required), when (several),
    which floor (a number), since when (a date), details (long text) and a file (not an
    Open311 attribute: files come as media)."""
    version = ServiceVersion.objects.create(service=category, number=1)
    rows = [
        dict(
            key="source",
            kind=Kind.CHOICE,
            label_zh="噪声来源",
            label_en="Source of the noise",
            choices=[
                {"value": "building", "label_zh": "施工", "label_en": "Building work"},
                {"value": "music", "label_zh": "音响", "label_en": "Music"},
            ],
        ),
        dict(
            key="when",
            kind=Kind.MULTICHOICE,
            label_zh="时段",
            label_en="When",
            required=False,
            choices=[
                {"value": "night", "label_zh": "夜间", "label_en": "At night"},
                {"value": "morning", "label_zh": "清晨", "label_en": "Early morning"},
            ],
        ),
        dict(
            key="floor",
            kind=Kind.NUMBER,
            label_zh="楼层",
            label_en="Floor",
            required=False,
            rules={"min": 1, "max": 60},
        ),
        dict(
            key="since",
            kind=Kind.DATE,
            label_zh="开始日期",
            label_en="Since",
            required=False,
        ),
        dict(
            key="detail",
            kind=Kind.TEXTAREA,
            label_zh="补充",
            label_en="More",
            required=False,
        ),
        dict(
            key="evidence",
            kind=Kind.FILE,
            label_zh="录音",
            label_en="Recording",
            required=False,
        ),
    ]
    for order, row in enumerate(rows, start=1):
        FieldDefinition.objects.create(version=version, order=order, **row)
    ServiceVersion.objects.filter(pk=version.pk).update(published_at=timezone.now())
    return version


@pytest.fixture
def housing_clerk(other_department):
    return make_staff(
        username="housing-clerk", department=other_department, role=StaffMembership.Role.CLERK
    )


def jpeg_with_gps(name="photo.jpg") -> SimpleUploadedFile:
    """A JPEG carrying GPS and camera EXIF, as a phone writes it."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 15.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 29.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def file_complaint(category, *, reporter=None, **kwargs):
    from apps.complaints import services

    values = {
        "complaint_type": "complaint",
        "description": "深夜施工噪声扰民",
        "address": "建国门内大街 5 号",
        **kwargs,
    }
    return services.complaint_file(service=category, actor=reporter, reporter=reporter, **values)
