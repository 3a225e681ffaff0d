"""Counter staff do both for an assisted resident under a mandate for everything (confirmed by
their own authenticator code), and cannot without one; a resident sees who at the city looked
at their case by department and role, not by name unless the city chooses to show names."""

from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import StaffMembership
from apps.audit.models import AuditEvent
from apps.privacy.models import DataExport
from apps.privacy.services import CLOSED_NAME
from tests.cases.conftest import submit_case

from .conftest import make_mandate, staff_code


def test_counter_staff_under_a_mandate_download_and_close_for_an_assisted_resident(
    counter_clerk, assisted_resident, login, django_capture_on_commit_callbacks
):
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    desk = login(counter_clerk)
    page = desk.get(reverse("desk:privacy:data", args=[assisted_resident.pk]))
    assert page.status_code == 200

    # a copy of the data, prepared and downloaded at the counter, audited on the resident's behalf
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("desk:privacy:export", args=[assisted_resident.pk]))
    export = DataExport.objects.get(resident=assisted_resident)
    assert export.state == DataExport.State.READY and export.mandate_ref == mandate.reference
    download = desk.get(
        reverse("desk:privacy:export-download", args=[assisted_resident.pk, export.pk])
    )
    assert download.status_code == 200
    assert AuditEvent.objects.filter(
        action="privacy.export.download", actor=counter_clerk, on_behalf_of=assisted_resident
    ).exists()

    # closing needs the staff member's own code
    url = reverse("desk:privacy:data", args=[assisted_resident.pk])
    assert desk.post(url, {"code": "000000", "confirm": "1"}).status_code == 400
    assisted_resident.refresh_from_db()
    assert assisted_resident.is_active
    # (django-otp makes the next try wait after a wrong one: the test does not wait)
    TOTPDevice.objects.filter(user=counter_clerk).update(throttling_failure_count=0)
    response = desk.post(url, {"code": staff_code(counter_clerk), "confirm": "1"})
    assert response.status_code == 302
    assisted_resident.refresh_from_db()
    assert not assisted_resident.is_active
    assert assisted_resident.profile.real_name == CLOSED_NAME
    assert assisted_resident.profile.id_number is None
    assert AuditEvent.objects.filter(
        action="privacy.account.close", actor=counter_clerk, on_behalf_of=assisted_resident
    ).exists()


def _no_mandate() -> str:
    from django.utils.translation import gettext

    return gettext(
        "There is no mandate from %(name)s. Ask them to sign a mandate before you act for them."
    ) % {"name": "李秀英"}


def test_counter_staff_without_a_mandate_can_do_neither(
    counter_clerk, assisted_resident, login, django_capture_on_commit_callbacks
):
    # the assisted resident belongs to the clerk's service point, but gave no mandate
    desk = login(counter_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("desk:privacy:export", args=[assisted_resident.pk]))
    assert not DataExport.objects.exists()
    url = reverse("desk:privacy:data", args=[assisted_resident.pk])
    refused = desk.post(url, {"code": staff_code(counter_clerk), "confirm": "1"})
    assert refused.status_code == 400
    with translation.override("zh-hans"):
        assert str(_no_mandate()) in refused.content.decode()
    assisted_resident.refresh_from_db()
    assert assisted_resident.is_active and assisted_resident.profile.real_name == "李秀英"


def test_the_resident_sees_staff_views_by_department_and_role(
    service, resident, clerk, login, settings, django_capture_on_commit_callbacks
):
    clerk.display_name = "王芳"
    clerk.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(service, resident)
    assert (
        login(clerk).get(reverse("staff:staff_cases:detail", args=[case.number])).status_code == 200
    )

    client = login(resident)
    assert (
        reverse("privacy:case-views", args=[case.number])
        in client.get(reverse("cases:detail", args=[case.number])).content.decode()
    )
    page = client.get(reverse("privacy:case-views", args=[case.number])).content.decode()
    assert "市场监督管理局" in page
    with translation.override("zh-hans"):
        assert str(StaffMembership.Role.CLERK.label) in page
    assert "王芳" not in page
    api = client.get(reverse("api-case-staff-views", args=[case.number])).json()
    assert api[0]["role"] and api[0]["department"] and api[0]["name"] == ""

    # a city that chooses to show names
    settings.CASE_VIEWS_SHOW_NAMES = True
    assert "王芳" in client.get(reverse("privacy:case-views", args=[case.number])).content.decode()

    # another resident sees nothing of it
    from tests.conftest import make_resident

    other = login(make_resident(email="li@example.cn", phone="13600136000", id_number=None))
    assert other.get(reverse("privacy:case-views", args=[case.number])).status_code == 404
