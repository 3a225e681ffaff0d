import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department
from apps.cases import services
from apps.cases.models import ReviewTask
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import service, submit_case  # noqa: F401 (fixtures)
from tests.conftest import make_staff


@pytest.fixture
def co_clerk(other_department):
    return make_staff(username="co-clerk", department=other_department, role="clerk")


@pytest.fixture
def outsider_department(db):
    return Department.objects.create(code="water", name_zh="水务局", name_en="Water")


@pytest.fixture
def outsider(outsider_department):
    return make_staff(username="outsider", department=outsider_department, role="clerk")


@pytest.fixture
def parallel_service(service, other_department):  # noqa: F811
    """Led by `department`, reviewed by it and `other_department` in parallel."""
    service.stages.get().departments.add(other_department)
    return service


def run_to_decision(case, *, clerk, co_clerk, department, other_department):
    """accept → both tasks approved → approved decision (by the department's lead: separation
    of duties), through the real services."""
    decider = make_staff(username=f"lead-{case.pk}", department=department, role="lead")
    case = services.case_accept(case=case, actor=clerk)
    for dept, who in ((department, clerk), (other_department, co_clerk)):
        task = ReviewTask.objects.get(case=case, department=dept, round=case.review_round)
        services.task_approve(task=task, actor=who, opinion="同意")
    case.refresh_from_db()
    code = token_for(TOTPDevice.objects.get(user=decider))
    return services.case_decide(case=case, actor=decider, code=code, reasons="符合条件")
