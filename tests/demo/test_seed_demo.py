import base64
import json

from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, ResidentProfile, StaffMembership, User


def seed_json(capsys) -> list[dict]:
    call_command("seed_demo", "--json")
    return json.loads(capsys.readouterr().out)


def test_seed_demo_is_idempotent_and_prints_usable_accounts(db, capsys, client):
    first = seed_json(capsys)
    counts = (User.objects.count(), StaffMembership.objects.count(), Department.objects.count())
    second = seed_json(capsys)
    assert counts == (
        User.objects.count(),
        StaffMembership.objects.count(),
        Department.objects.count(),
    )
    assert first == second

    roles = {a["role"] for a in first}
    assert {"clerk", "lead", "dispatcher", "supervisor", "counter", "resident"} <= roles
    assisted = next(a for a in first if a["role"] == "assisted resident")
    elder = User.objects.get(username=assisted["login"])
    assert elder.is_assisted and not elder.has_usable_password() and elder.email is None
    assert ResidentProfile.objects.get(user=elder).service_point is not None

    # a staff account works end to end with its password and its TOTP secret
    clerk = next(a for a in first if a["role"] == "clerk")
    assert len(clerk["backup_codes"]) == 5
    response = client.post(
        "/accounts/login/", {"username": clerk["login"], "password": clerk["password"]}
    )
    assert response["Location"].startswith("/accounts/2fa/verify/")
    key = base64.b32decode(clerk["totp_secret"] + "=" * (-len(clerk["totp_secret"]) % 8))
    device = TOTPDevice.objects.get(user__email=clerk["login"])
    assert key == device.bin_key
    client.post("/accounts/2fa/verify/", {"code": f"{totp(key):06d}"})
    assert client.get("/staff/").status_code == 200


def test_every_demo_service_can_be_walked_with_the_printed_accounts(db, capsys):
    # Separation of duties: a clerk takes the case in, a clerk of each reviewing department
    # reviews, and a lead who did neither decides; the printed accounts cover every service.
    from apps.catalog.models import ServiceItem

    printed = {(a["role"], a["department"]) for a in seed_json(capsys) if a.get("department")}
    for service in ServiceItem.objects.prefetch_related("stages__departments"):
        lead = service.lead_department.code
        assert ("clerk", lead) in printed, (service.code, "no clerk to take it in")
        assert ("lead", lead) in printed, (service.code, "no lead to decide")
        for stage in service.stages.all():
            for department in stage.departments.all():
                assert ("clerk", department.code) in printed, (service.code, department.code)


def test_a_printed_records_officer_can_approve_destruction_lists_with_their_lead(db, capsys):
    # A destruction list needs the department's records officer and its lead (four eyes).
    printed = {(a["role"], a["department"]) for a in seed_json(capsys) if a.get("department")}
    officers = {department for role, department in printed if role == "records_officer"}
    assert officers, "no records officer among the printed accounts"
    assert all(("lead", department) in printed for department in officers)
