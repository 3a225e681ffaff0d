"""Cases for the staff tests, built through the real services: drafted, answered, signed with an
SMS code and submitted, then optionally taken in by the lead department."""

from itertools import count

from apps.cases import services
from apps.cases.models import Case
from apps.signatures.services import signature_code_send
from tests.cases.conftest import STEP1, last_sms_code, pdf_upload
from tests.conftest import make_resident

_numbers = count(1)


def id_number(n: int) -> str:
    """A distinct, well-formed 18-digit ID number (GB 11643 check digit)."""
    body = f"11010519491231{n:03d}"[:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def new_resident(name: str = "王秀兰"):
    n = next(_numbers)
    return make_resident(
        email=f"resident{n}@example.cn",
        phone=f"139{n:08d}",
        real_name=name,
        id_number=id_number(n % 1000),
    )


def submitted_case(service, applicant=None) -> Case:
    """A case as a resident submits it: answers, an ID scan, an SMS-signed declaration."""
    applicant = applicant or new_resident()
    case = services.case_create_draft(service=service, applicant=applicant, actor=applicant)
    services.case_answers_update(case=case, actor=applicant, answers={**STEP1, "needs": ["bath"]})
    services.attachment_add(case=case, actor=applicant, field_key="id_scan", upload=pdf_upload())
    signature_code_send(user=applicant, channel="sms")
    return services.case_submit(case=case, actor=applicant, code=last_sms_code(), channel="sms")


def accepted_case(service, clerk, applicant=None) -> Case:
    """Submitted and taken in by `clerk` of the lead department: the review tasks are active."""
    return services.case_accept(case=submitted_case(service, applicant), actor=clerk)


def overdue(case: Case, *, days: int = 10) -> Case:
    """Move the case's deadline and its active tasks' due dates into the past."""
    from datetime import timedelta

    from django.utils import timezone

    past = timezone.localdate() - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(deadline=past)
    case.review_tasks.filter(state="active").update(due_date=past)
    case.refresh_from_db()
    return case
