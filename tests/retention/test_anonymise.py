"""The daily retention run on real PostgreSQL: a case past its period loses its personal data
and files, keeps its skeleton; the metrics and the audit chain do not change; a case on legal
hold is left whole; the run is idempotent and goes on after it was stopped."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection

from apps.accounts.models import ResidentProfile, User
from apps.audit.models import AuditEvent
from apps.audit.selectors import audit_chain_first_break
from apps.cases.models import Attachment, Case, CaseDocument, CaseEvent, ReviewTask
from apps.documents.models import Document
from apps.feedback.models import Rating
from apps.metrics.models import DailyFigure, MonthlyFigure
from apps.metrics.services import rollups_catch_up, rollups_rebuild
from apps.retention import services
from apps.retention.models import CaseRetention, RemovedFile, RetentionRun
from apps.retention.services import run as run_module
from apps.signatures.models import SignatureRecord

from .conftest import (
    COMPLAINT_ADDRESS,
    DESCRIPTION,
    REPLY,
    REPORTER_NAME,
    REPORTER_PHONE,
    backdate,
    decided_application,
    replied_complaint,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the retention run's row locks (SKIP LOCKED) need PostgreSQL")


def figures() -> list[tuple]:
    """Every rollup row, as the pages read them (ids left out: a recount may renumber)."""
    daily = [
        tuple(v for k, v in sorted(row.items()) if k != "id")
        for row in DailyFigure.objects.values()
    ]
    monthly = [
        tuple(v for k, v in sorted(row.items()) if k != "id")
        for row in MonthlyFigure.objects.values()
    ]
    return sorted(daily, key=repr) + sorted(monthly, key=repr)


def audit_text() -> str:
    """All that the audit rows say, as one string to search."""
    return "\n".join(
        json.dumps(e.data, ensure_ascii=False) + e.target_repr + e.user_agent
        for e in AuditEvent.objects.order_by("id")
    )


def stored_files(case: Case) -> list[str]:
    names = [a.file.name for a in Attachment.objects.filter(case=case)]
    names += [link.document.file.name for link in CaseDocument.objects.filter(case=case)]
    return names


def test_a_case_past_retention_is_anonymised_its_files_gone_metrics_and_chain_unchanged(
    service,
    category,
    resident,
    clerk,
    lead,
    dispatcher,
    department,
    django_capture_on_commit_callbacks,
):
    # given a decided application and a closed complaint, both ended 11 years ago
    capture = django_capture_on_commit_callbacks
    application = backdate(decided_application(service, resident, clerk, capture), years=11)
    complaint = backdate(
        replied_complaint(category, dispatcher, clerk, department, capture), years=11
    )
    files = stored_files(application) + stored_files(complaint)
    hashes = sorted(
        list(
            Attachment.objects.filter(case__in=[application, complaint]).values_list(
                "sha256", flat=True
            )
        )
        + list(
            CaseDocument.objects.filter(case__in=[application, complaint]).values_list(
                "document__sha256", flat=True
            )
        )
    )
    assert len(files) >= 4 and all(default_storage.exists(name) for name in files)
    reporter = User.objects.get(pk=complaint.applicant_id)
    personal = [
        "张三",
        "11010519491231002X",
        "13800138000",
        "resident@example.cn",
        "id-card.pdf",
        "张三说办得很快",
        REPORTER_NAME,
        REPORTER_PHONE,
        DESCRIPTION,
        COMPLAINT_ADDRESS,
        REPLY,
    ]
    states = (application.state, complaint.state)
    rollups_rebuild()
    before_figures = figures()
    timeline_before = {
        case.pk: list(
            CaseEvent.objects.filter(case=case).order_by("pk").values_list("verb", "to_state")
        )
        for case in (application, complaint)
    }

    # when the daily run goes
    run = services.retention_run()

    # then both cases lost their personal data and kept their skeleton
    assert run.phase == RetentionRun.Phase.DONE and run.anonymised == 2
    application.refresh_from_db()
    complaint.refresh_from_db()
    assert application.answers == {} and application.number.startswith("SQ-")
    assert (application.state, complaint.state) == states
    assert application.decided_at is not None
    assert (complaint.reporter_name, complaint.reporter_phone, complaint.description) == (
        "",
        "",
        "",
    )
    assert complaint.address == "" and complaint.latitude is None
    for case in (application, complaint):
        lines = CaseEvent.objects.filter(case=case).order_by("pk")
        assert list(lines.values_list("verb", "to_state")) == timeline_before[case.pk]
        assert not lines.exclude(note="").exists()
        assert CaseRetention.objects.get(case=case).anonymised_at is not None
    assert not ReviewTask.objects.filter(case=application).exclude(opinion="").exists()
    assert Rating.objects.get(case=application).comment == ""
    assert Rating.objects.get(case=application).level == 5
    assert SignatureRecord.objects.get(pk=application.signature_id).payload == {"erased": True}

    # and the files are gone from storage, their hashes kept
    assert not any(default_storage.exists(name) for name in files)
    assert not Attachment.objects.filter(case__in=[application, complaint]).exists()
    assert sorted(RemovedFile.objects.values_list("sha256", flat=True)) == hashes
    assert not Document.objects.filter(sha256__in=hashes).exclude(file="").exists()

    # and the accounts went too (nobody signed in since; no other case keeps their data)
    resident.refresh_from_db()
    reporter.refresh_from_db()
    assert resident.email is None and not resident.is_active
    assert ResidentProfile.objects.get(user=resident).id_number is None
    assert reporter.phone is None

    # and no personal data of theirs remains anywhere in the audit rows, while the chain verifies
    text = audit_text()
    for value in personal:
        assert value not in text, value
    assert audit_chain_first_break() is None
    assert AuditEvent.objects.filter(action="retention.case.anonymise").count() == 2

    # and the metrics are what they were: after the catch-up and after a full recount
    rollups_catch_up(wait=True)
    assert figures() == before_figures
    rollups_rebuild()
    assert figures() == before_figures


def test_a_case_on_legal_hold_is_untouched(
    service, resident, clerk, lead, records_officer, django_capture_on_commit_callbacks
):
    # given an application ended 11 years ago, put on hold by the records officer
    capture = django_capture_on_commit_callbacks
    case = backdate(decided_application(service, resident, clerk, capture), years=11)
    files = stored_files(case)
    answers = case.answers
    services.legal_hold_set(case=case, actor=records_officer, reason="法院保全裁定 (2037) 京01")
    events_before = AuditEvent.objects.count()

    # when the run goes
    run = services.retention_run()

    # then the case is whole: answers, files, notes, the account
    case.refresh_from_db()
    assert run.anonymised == 0
    assert case.answers == answers and answers
    assert all(default_storage.exists(name) for name in files)
    assert CaseEvent.objects.filter(case=case).exclude(note="").exists()
    assert not RemovedFile.objects.exists()
    resident.refresh_from_db()
    assert resident.email == "resident@example.cn" and resident.is_active
    assert not AuditEvent.objects.filter(action="retention.case.anonymise").exists()
    # (only the run's own closing line was written)
    assert AuditEvent.objects.count() == events_before + 1

    # and once the lead lifts the hold, the next day's run anonymises it
    services.legal_hold_clear(case=case, actor=lead, reason="裁定解除")
    from datetime import timedelta

    services.retention_run(day=run.day + timedelta(days=1))
    case.refresh_from_db()
    assert case.answers == {}
    assert not any(default_storage.exists(name) for name in files)


def test_only_a_records_officer_or_lead_sets_a_hold_and_says_why(
    service, resident, clerk, lead, records_officer, django_capture_on_commit_callbacks
):
    case = decided_application(service, resident, clerk, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.legal_hold_set(case=case, actor=clerk, reason="想保留")
    from apps.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        services.legal_hold_set(case=case, actor=records_officer, reason="  ")
    assert "reason" in refused.value.errors
    assert not CaseRetention.objects.filter(case=case, legal_hold=True).exists()
    held = services.legal_hold_set(case=case, actor=records_officer, reason="审计署调查")
    assert held.legal_hold and held.hold_changed_by == records_officer
    event = AuditEvent.objects.get(action="retention.hold.set")
    assert event.actor == records_officer and event.target_id == str(case.pk)
    assert "审计署调查" not in json.dumps(event.data, ensure_ascii=False)


def test_the_run_is_idempotent_and_resumes_after_interruption(
    service, resident, monkeypatch, django_capture_on_commit_callbacks
):
    # given five withdrawn applications that ended 11 years ago
    from apps.cases import services as case_services
    from tests.cases.conftest import STEP1, pdf_upload

    cases = []
    for _ in range(5):
        draft = case_services.case_create_draft(service=service, applicant=resident, actor=resident)
        case_services.case_answers_update(case=draft, actor=resident, answers=STEP1)
        case_services.attachment_add(
            case=draft, actor=resident, field_key="id_scan", upload=pdf_upload()
        )
        cases.append(backdate(case_services.case_withdraw(case=draft, actor=resident), years=11))

    # when the run is stopped halfway: the fourth case fails in the second batch of two
    real = run_module.case_anonymise
    calls = {"n": 0}

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(run_module, "case_anonymise", failing)
    with pytest.raises(RuntimeError):
        services.retention_run(size=2)

    # then the first batch is committed with its cursor, the failed batch left nothing behind
    run = RetentionRun.objects.get()
    done = set(
        CaseRetention.objects.filter(anonymised_at__isnull=False).values_list("case_id", flat=True)
    )
    assert done == {cases[0].pk, cases[1].pk}
    assert run.cursor == cases[1].pk and run.phase == RetentionRun.Phase.ANONYMISE
    assert Case.objects.get(pk=cases[2].pk).answers != {}

    # when it runs again (the next attempt of the task)
    monkeypatch.setattr(run_module, "case_anonymise", real)
    run = services.retention_run(size=2)

    # then it went on from its cursor and finished, each case anonymised exactly once
    assert run.phase == RetentionRun.Phase.DONE and run.anonymised == 5
    for case in cases:
        assert (
            AuditEvent.objects.filter(
                action="retention.case.anonymise", target_id=str(case.pk)
            ).count()
            == 1
        )
    assert not Attachment.objects.filter(case__in=cases).exists()

    # and a third call the same day, or the next day, changes nothing
    events = AuditEvent.objects.count()
    again = services.retention_run(size=2)
    assert again.pk == run.pk and AuditEvent.objects.count() == events
    from datetime import timedelta

    tomorrow = services.retention_run(day=run.day + timedelta(days=1), size=2)
    assert tomorrow.anonymised == 0
    assert AuditEvent.objects.filter(action="retention.case.anonymise").count() == 5


def test_the_run_stops_after_max_batches_and_the_next_call_goes_on(
    service, resident, django_capture_on_commit_callbacks
):
    from apps.cases import services as case_services

    cases = [
        backdate(
            case_services.case_withdraw(
                case=case_services.case_create_draft(
                    service=service, applicant=resident, actor=resident
                ),
                actor=resident,
            ),
            years=11,
        )
        for _ in range(3)
    ]
    first = services.retention_run(size=1, max_batches=1)
    assert first.phase == RetentionRun.Phase.ANONYMISE and first.anonymised == 1
    assert first.cursor == cases[0].pk
    final = services.retention_run(size=1)
    assert final.phase == RetentionRun.Phase.DONE and final.anonymised == 3
