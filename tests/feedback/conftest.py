import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.cases import services as case_services
from apps.cases.models import ReviewTask
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import submit_case
from tests.catalog.factories import make_service


@pytest.fixture
def service(department):
    return make_service(department=department)


def decide_case(case, clerk, django_capture_on_commit_callbacks):
    """Accept, approve the review and decide through the real services; the commit callbacks
    run, so the letter is issued, the outcome signal sent and the rating request opened."""
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_accept(case=case, actor=clerk)
        for task in ReviewTask.objects.filter(case=case, round=case.review_round):
            case_services.task_approve(task=task, actor=clerk, opinion="材料齐全")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_decide(
            case=case,
            actor=clerk,
            code=token_for(TOTPDevice.objects.get(user=clerk)),
            reasons="准予许可",
        )
    case.refresh_from_db()
    return case


@pytest.fixture
def decided_case(service, resident, clerk, lead, django_capture_on_commit_callbacks):
    """An approved case of `resident`, decided by `clerk` of `department`, with its request."""
    case = submit_case(service, resident)
    return decide_case(case, clerk, django_capture_on_commit_callbacks)
