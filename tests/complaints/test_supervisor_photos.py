"""A supervisor (督查) reads any complaint read-only, its photos included (audited); a
department the complaint was not routed to gets neither the page nor the photos."""

import pytest

from apps.accounts.models import StaffMembership
from apps.audit.models import AuditEvent
from tests.complaints.conftest import file_complaint, jpeg_with_gps
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def test_a_supervisor_opens_a_complaints_photo_and_another_department_does_not(
    login, category, other_department, housing_clerk
):
    case, _code = file_complaint(category, photos=[jpeg_with_gps()])
    photo = case.attachments.get(field_key="photo")
    url = f"/staff/complaints/{case.number}/photos/{photo.pk}/"
    supervisor = make_staff(
        username="far-supervisor",
        department=other_department,
        role=StaffMembership.Role.SUPERVISOR,
    )
    client = login(supervisor)
    assert client.get(f"/staff/complaints/{case.number}/").status_code == 200
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(
        action="cases.case.staff_view", actor=supervisor, data__file=f"attachment:{photo.pk}"
    ).exists()
    # a clerk of a department the complaint is not routed to
    other = login(housing_clerk)
    assert other.get(f"/staff/complaints/{case.number}/").status_code == 404
    assert other.get(url).status_code == 404
