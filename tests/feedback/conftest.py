import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import StaffMembership
from apps.cases import services as case_services
from apps.cases.models import ReviewTask
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import submit_case
from tests.catalog.factories import make_service


@pytest.fixture
def service(department):
    return make_service(department=department)


def decide_case(case, clerk, django_capture_on_commit_callbacks):
    """Accept and approve the review (`clerk`), decide (the department's lead, who did neither:
    审批分离) through the real services; the commit callbacks run, so the letter is issued, the
    outcome signal sent and the rating request opened."""
    lead = StaffMembership.objects.get(
        department=case.lead_department, role=StaffMembership.Role.LEAD, is_active=True
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_accept(case=case, actor=clerk)
        for task in ReviewTask.objects.filter(case=case, round=case.review_round):
            case_services.task_approve(task=task, actor=clerk, opinion="材料齐全")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_decide(
            case=case,
            actor=lead,
            code=token_for(TOTPDevice.objects.get(user=lead)),
            reasons="准予许可",
        )
    case.refresh_from_db()
    return case


@pytest.fixture
def decided_case(service, resident, clerk, lead, django_capture_on_commit_callbacks):
    """An approved case of `resident`, taken in and reviewed by `clerk` of `department` and
    decided by its `lead`, with its request."""
    case = submit_case(service, resident)
    return decide_case(case, clerk, django_capture_on_commit_callbacks)
