"""`seed_load` on the test database: a small load with every state, which the pages read as
they read real work, and an audit chain that verifies."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.oath import totp

from apps.accounts.models import User
from apps.audit.models import AuditChainHead, AuditEvent
from apps.cases.models import Case, CaseEvent, ReviewTask
from apps.cases.selectors import case_list_for_user, intake_list_for_user, task_list_for_user
from apps.demo.load.people import PASSWORD, otp_key
from apps.demo.load.seed import states_planned

UNTIL = "2026-03-02T16:00:00+08:00"
pytestmark = pytest.mark.django_db(transaction=False)


def seed(capsys, *extra: str) -> dict:
    call_command("seed_load", "--cases", "200", "--seed", "7", "--until", UNTIL, "--json", *extra)
    return json.loads(capsys.readouterr().out)


def fingerprint() -> list[tuple]:
    cases = Case.objects.order_by("id").values_list(
        "reference", "number", "kind", "state", "created_at", "deadline", "lead_department__code"
    )
    events = CaseEvent.objects.order_by("id").values_list("case__reference", "verb", "created_at")
    tasks = ReviewTask.objects.order_by("id").values_list("case__reference", "state", "due_date")
    return [*cases, *events, *tasks]


def sign_in_staff(client, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/verify/")
    key = bytes.fromhex(otp_key(seed=7, username=username))
    client.post("/accounts/2fa/verify/", {"code": f"{totp(key):06d}"})


def test_seed_load_writes_every_state_that_the_pages_show(capsys, client):
    report = seed(capsys)
    assert report["cases"] == Case.objects.count() == 200
    in_db = {
        f"{kind}:{state}": Case.objects.filter(kind=kind, state=state).count()
        for kind, state in states_planned()
    }
    assert in_db == {key: report["by_state"].get(key, 0) for key in in_db}
    assert all(count >= 1 for count in in_db.values()), in_db
    assert User.objects.filter(username__startswith="resident-").count() == 40

    # the audit chain verifies, and its head counts every event
    call_command("verify_audit_chain")
    assert "Audit chain intact" in capsys.readouterr().out
    assert AuditChainHead.objects.get(pk=1).event_count == AuditEvent.objects.count()

    # a resident sees their cases, on the page and in the API
    applicant = User.objects.get(
        pk=Case.objects.filter(kind="application").latest("id").applicant_id
    )
    mine = Case.objects.filter(applicant=applicant)
    assert set(case_list_for_user(user=applicant)) == set(mine)
    client.post("/accounts/login/", {"username": applicant.username, "password": PASSWORD})
    page = client.get("/cases/").content.decode()
    assert all(case.ref in page for case in mine)
    api = client.get("/api/v1/cases/").json()
    listed = api["results"] if isinstance(api, dict) else api
    assert {row["number"] for row in listed} >= {case.ref for case in mine[:10]}
    client.post("/accounts/logout/")

    # a clerk of a department with active review work finds it in the queue
    task = ReviewTask.objects.filter(state="active").select_related("department", "case").first()
    clerk = User.objects.get(username=f"{task.department.code}-load-clerk-1")
    assert task in task_list_for_user(user=clerk)
    submitted = Case.objects.filter(kind="application", state="submitted").first()
    lead_clerk = User.objects.get(username=f"{submitted.lead_department.code}-load-clerk-1")
    assert submitted in intake_list_for_user(user=lead_clerk)
    sign_in_staff(client, clerk.username)
    queue = client.get("/staff/cases/")
    assert queue.status_code == 200
    assert task.case.number in queue.content.decode()

    # not twice into the same database
    with pytest.raises(CommandError, match="already holds cases"):
        seed(capsys)


def test_the_same_seed_gives_the_same_load(capsys):
    with transaction.atomic():
        seed(capsys)
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Case.objects.exists()
    seed(capsys)
    assert fingerprint() == first
