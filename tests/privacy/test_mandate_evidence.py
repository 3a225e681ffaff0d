"""A mandate's evidence (the signed form scanned, or the signature drawn on the counter's
tablet) names the resident and shows their hand: closing the account deletes it from storage,
as every other personal file, unless a case the mandate covers is on legal hold; then it goes
once the hold is lifted and retention anonymises that case."""

from django.core.files.storage import default_storage

from apps.cases.models import Case
from apps.helpdesk.models import Mandate
from apps.privacy.services import account_close, account_closure_code_send
from apps.retention import services as retention
from tests.cases.conftest import last_sms_code
from tests.catalog.factories import make_service
from tests.helpdesk.conftest import make_mandate
from tests.retention.conftest import backdate


def close(resident, capture):
    account_closure_code_send(resident=resident, channel="sms")
    with capture(execute=True):
        return account_close(resident=resident, actor=resident, code=last_sms_code(), channel="sms")


def evidence_names(resident) -> dict[int, str]:
    return {m.pk: m.evidence.name for m in Mandate.objects.filter(resident=resident)}


def test_closing_the_account_deletes_the_mandates_evidence_files(
    full_resident, django_capture_on_commit_callbacks
):
    # given a resident whose mandate's drawn signature is kept in storage
    names = evidence_names(full_resident)
    assert names and all(default_storage.exists(name) for name in names.values())
    # when they close their account
    counts = close(full_resident, django_capture_on_commit_callbacks)
    # then the files are gone from storage, the rows name no file, and keep the fingerprint
    assert not any(default_storage.exists(name) for name in names.values())
    for mandate in Mandate.objects.filter(resident=full_resident):
        assert not mandate.evidence and mandate.evidence_sha256
    assert counts["mandate_evidence"] == len(names)


def test_a_mandate_covering_a_held_case_keeps_its_evidence_until_the_hold_ends(
    full_resident, department, lead, counter_clerk, django_capture_on_commit_callbacks
):
    # given the resident's decided case on legal hold, a mandate for everything (which covers
    # it) and a mandate for another service, under which nothing held was done
    case = Case.objects.get(applicant=full_resident, number__isnull=False)
    retention.legal_hold_set(case=case, actor=lead, reason="法院保全裁定")
    other = make_service(department=department, code="other-service")
    narrow = make_mandate(
        counter_clerk=counter_clerk, resident=full_resident, scope="service", service=other
    )
    names = evidence_names(full_resident)
    broad = next(pk for pk in names if pk != narrow.pk)

    # when the resident closes the account
    counts = close(full_resident, django_capture_on_commit_callbacks)

    # then the held case's mandate keeps its evidence; the other one's is deleted
    assert default_storage.exists(names[broad])
    assert not default_storage.exists(names[narrow.pk])
    assert counts["mandate_evidence"] == 1 and counts["mandate_evidence_held"] == 1

    # and once the hold is lifted and the case's period is over, retention's run deletes it
    retention.legal_hold_clear(case=case, actor=lead, reason="裁定解除")
    backdate(case, years=11)
    run = retention.retention_run()
    assert run.anonymised == 1
    assert not default_storage.exists(names[broad])
    assert not Mandate.objects.get(pk=broad).evidence
