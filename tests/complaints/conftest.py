import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.models import StaffMembership
from apps.catalog.models import ServiceItem
from tests.conftest import make_staff


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
