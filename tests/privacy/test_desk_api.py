"""The desk API twin of the desk's data page: counter staff under the resident's mandate ask for
and download a copy of the resident's data and close the account with their own authenticator
code; without a mandate the services refuse with the reason; another help point's counter does
not reach the resident at all."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import ServicePoint, StaffMembership
from apps.audit.models import AuditEvent
from apps.privacy.models import DataExport
from tests.conftest import make_staff

from .conftest import make_mandate, staff_code


def base(resident) -> str:
    return f"/api/v1/desk/residents/{resident.pk}/"


def test_counter_staff_under_a_mandate_export_and_close_through_the_api(
    counter_clerk, assisted_resident, login, django_capture_on_commit_callbacks
):
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    desk = login(counter_clerk)
    assert desk.get(base(assisted_resident) + "data/").json() == {"exports": [], "blockers": []}

    # a copy of the data, prepared and downloaded for the resident, audited on their behalf
    with django_capture_on_commit_callbacks(execute=True):
        asked = desk.post(base(assisted_resident) + "data/exports/")
    assert asked.status_code == 202, asked.content
    export = DataExport.objects.get(resident=assisted_resident)
    assert export.state == DataExport.State.READY and export.mandate_ref == mandate.reference
    listed = desk.get(base(assisted_resident) + "data/").json()["exports"]
    assert [e["id"] for e in listed] == [export.pk]
    download = desk.get(listed[0]["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert AuditEvent.objects.filter(
        action="privacy.export.download", actor=counter_clerk, on_behalf_of=assisted_resident
    ).exists()

    # closing needs the resident's request confirmed and the staff member's own code
    close = base(assisted_resident) + "close/"
    unconfirmed = desk.post(
        close,
        {"code": staff_code(counter_clerk), "confirm": False},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.json()["errors"]
    wrong = desk.post(close, {"code": "000000", "confirm": True}, content_type="application/json")
    assert wrong.status_code == 400
    assisted_resident.refresh_from_db()
    assert assisted_resident.is_active
    TOTPDevice.objects.filter(user=counter_clerk).update(throttling_failure_count=0)
    closed = desk.post(
        close, {"code": staff_code(counter_clerk), "confirm": True}, content_type="application/json"
    )
    assert closed.status_code == 204, closed.content
    assisted_resident.refresh_from_db()
    assert not assisted_resident.is_active and assisted_resident.profile.id_number is None
    assert AuditEvent.objects.filter(
        action="privacy.account.close", actor=counter_clerk, on_behalf_of=assisted_resident
    ).exists()


def test_without_a_mandate_the_api_refuses_with_the_reason(
    counter_clerk, assisted_resident, login, django_capture_on_commit_callbacks
):
    desk = login(counter_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        refused = desk.post(base(assisted_resident) + "data/exports/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code in (400, 403)
    assert "mandate" in refused.json()["detail"]
    assert not DataExport.objects.exists()
    closing = desk.post(
        base(assisted_resident) + "close/",
        {"code": staff_code(counter_clerk), "confirm": True},
        content_type="application/json",
    )
    assert closing.status_code in (400, 403)
    assisted_resident.refresh_from_db()
    assert assisted_resident.is_active


def test_another_help_points_counter_does_not_reach_the_resident(
    department, counter_clerk, assisted_resident, login
):
    make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    point = ServicePoint.objects.create(
        code="north", name_zh="北区便民服务站", address="北四环 9 号", department=department
    )
    other = make_staff(
        username="counter-north",
        department=department,
        role=StaffMembership.Role.COUNTER,
        service_point=point,
    )
    desk = login(other)
    assert desk.get(base(assisted_resident) + "data/").status_code == 404
    assert desk.post(base(assisted_resident) + "data/exports/").status_code == 404
    assert not DataExport.objects.exists()
