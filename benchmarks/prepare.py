"""The load benchmark's set-up in the database (Django set up): who signs in, which pages and
rows are read, drafts to submit and review tasks to approve, and the queries per page.

Trusted tooling on a benchmark database: it adds backup codes, authenticators, API tokens,
drafts and attachment rows through the models and services, as an operator could."""

import os
import secrets

from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import StaffMembership, User
from apps.accounts.services import api_token_issue
from apps.cases.models import Attachment, Case, ReviewTask
from apps.cases.services import case_create_draft
from apps.catalog.models import ServiceItem
from apps.demo.load.people import PASSWORD, otp_key
from apps.demo.load.records import SHARED_PDF

BACKEND = "apps.accounts.backends.EmailOrPhoneBackend"
SUBMIT = "submit an application (API, no PDF)"
APPROVE = "a clerk approves a review task (API, 1 clerk)"
APPROVALS = "audited approvals, clerks at once (API)"


def fresh_code(user: User) -> str:
    """A new backup code for `user` (each works once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Backup codes", defaults={"confirmed": True}
    )
    token = secrets.token_hex(4)
    device.token_set.create(token=token)
    return token


def prepare(*, seed: int, clerks: int, writes: int) -> dict:
    approved = Case.objects.filter(kind="application", state="approved").order_by("-id").first()
    if approved is None:
        raise SystemExit("No seeded load here: run without --reuse.")
    resident = approved.applicant
    busiest = list(
        ReviewTask.objects.filter(state="active")
        .values("department_id", "department__code")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    department = busiest[0]["department__code"]
    users = 8
    staff = {
        "clerk": f"{department}-load-clerk-1",
        "lead": f"{department}-load-lead-1",
        "supervisor": "hotline-load-supervisor-1",
        "dispatcher": "hotline-load-dispatcher-1",
    }
    accounts = {"resident": {"username": resident.username, "codes": [""] * users}}
    for role, username in staff.items():
        user = User.objects.get(username=username)
        # The first session signs in with a TOTP code from the seeded key (a code works once
        # per 30 s), the others with fresh backup codes.
        # (computed when it is typed: "totp:<key>").
        codes = [f"totp:{otp_key(seed=seed, username=username)}"]
        codes += [fresh_code(user) for _ in range(users - 1)]
        accounts[role] = {"username": username, "codes": codes}
    ref = approved.ref
    pages = [
        ("resident: my cases page", "resident", "/cases/"),
        ("resident: my cases API", "resident", "/api/v1/cases/"),
        ("resident: case page", "resident", f"/cases/{ref}/"),
        ("resident: case API", "resident", f"/api/v1/cases/{ref}/"),
        ("clerk: queue page", "clerk", "/staff/cases/"),
        ("clerk: queue API (tasks)", "clerk", "/api/v1/tasks/"),
        ("clerk: rectifications API", "clerk", "/api/v1/feedback/rectifications/"),
        ("lead: overdue list", "lead", "/staff/cases/overdue/"),
        ("supervisor: overdue list", "supervisor", "/staff/cases/overdue/"),
        ("supervisor: metrics dashboard", "supervisor", "/staff/metrics/"),
        ("dispatcher: complaint triage list", "dispatcher", "/staff/complaints/"),
        ("open-data JSON", "anonymous", "/open-data/metrics.json"),
        ("Open311 requests.json", "anonymous", "/open311/v2/requests.json"),
    ]
    mine = Case.objects.filter(applicant=resident).count()
    ids = list(Case.objects.order_by("?").values_list("id", flat=True)[:2000])
    return {
        "password": PASSWORD,
        "accounts": accounts,
        "pages": pages,
        "floor_ids": ids,
        "drafts": _drafts(count=writes + 1, exclude=resident.pk),
        "clerks": _clerks(busiest=busiest, count=clerks, writes=writes),
        "load": os.getloadavg()[0],
        "summary": f"resident {resident.username} ({mine} cases), clerk {staff['clerk']}",
    }


def _token(user: User) -> str:
    key, _token = api_token_issue(user=user, otp=fresh_code(user))
    return key


def _drafts(*, count: int, exclude: int) -> list[tuple[str, str, str]]:
    """Drafts ready to sign, of residents given an authenticator: (ref, API token, TOTP key)."""
    service = ServiceItem.objects.get(code="transport-permit")
    residents = (
        User.objects.filter(username__startswith="resident-", totpdevice__isnull=True)
        .exclude(pk=exclude)
        .order_by("-id")[:count]
    )
    drafts = []
    for user in residents:
        device = TOTPDevice.objects.create(user=user, name="Load benchmark", confirmed=True)
        case = case_create_draft(
            service=service,
            applicant=user,
            actor=user,
            answers={
                "applicant_name": "张三",
                "phone": "13800138000",
                "address": "北京市东城区建国门内大街 1 号",
                "details": "因经营需要，特此申请。",
            },
        )
        Attachment.objects.create(
            case=case,
            field_key="supporting_document",
            file=SHARED_PDF,
            original_name="材料.pdf",
            content_type="application/pdf",
            size=1024,
            sha256="0" * 64,
            uploaded_by=user,
        )
        drafts.append((case.ref, _token(user), device.key))
    return drafts


def _clerks(*, busiest: list[dict], count: int, writes: int) -> list[tuple[str, list[int]]]:
    """`count` clerks (one per department with active tasks, then second and third clerks),
    each with an API token and the active tasks of their department they will approve."""
    memberships = []
    for number in (1, 2, 3):
        for row in busiest:
            memberships.append(
                (row["department_id"], f"{row['department__code']}-load-clerk-{number}")
            )
    memberships = memberships[:count]
    per_department: dict[int, int] = {}
    for department, _name in memberships:
        per_department[department] = per_department.get(department, 0) + 1
    pools: dict[int, list[int]] = {
        department: list(
            ReviewTask.objects.filter(department_id=department, state="active")
            .order_by("?")
            .values_list("id", flat=True)[: writes * per_department[department]]
        )
        for department in per_department
    }
    result = []
    for department, username in memberships:
        user = User.objects.get(username=username)
        assert StaffMembership.objects.filter(user=user, department_id=department).exists()
        share = len(pools[department]) // per_department[department]
        mine, pools[department] = pools[department][:share], pools[department][share:]
        result.append((_token(user), mine))
    return result


def count_queries(plan: dict) -> dict[str, int]:
    """Queries per request of each page, once (after one warm-up), in this process."""
    from django.db import connection

    counts: dict[str, int] = {}
    clients: dict[str, Client] = {"anonymous": Client()}
    for role, account in plan["accounts"].items():
        user = User.objects.get(username=account["username"])
        client = Client()
        client.force_login(user, backend=BACKEND)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        clients[role] = client
    for name, role, path in plan["pages"]:
        client = clients[role]
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        _expect(response, f"{name} ({path})")
        counts[name] = len(queries)
    from apps.demo.selectors import case_floor_row

    with CaptureQueriesContext(connection) as queries:
        case_floor_row(pk=plan["floor_ids"][0])
    counts["floor"] = len(queries)
    # the writes, once each, with one draft and one task set aside for it
    ref, token, key = plan["drafts"].pop()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    code = f"{totp(bytes.fromhex(key)):06d}"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/cases/{ref}/submit/",
            {"channel": "totp", "code": code},
            content_type="application/json",
        )
    _expect(response, "submit")
    counts[SUBMIT] = len(queries)
    token, pool = plan["clerks"][0]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/tasks/{pool.pop()}/approve/",
            {"opinion": "同意。"},
            content_type="application/json",
        )
    _expect(response, "approve")
    counts[APPROVE] = counts[APPROVALS] = len(queries)
    return counts


def _expect(response, what: str) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{what}: {response.status_code} {response.content[:300]!r}")
