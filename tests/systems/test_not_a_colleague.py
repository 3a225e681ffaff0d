"""A department's system acts through an account holding a clerk membership (and, with
`certificates:manage`, a `system` one), but it is no one a lead hands work to and reads no
inbox: the people of the department see the same lists and notices as without it."""

import pytest

from apps.cases import services as case_services
from apps.cases.models import ReviewTask
from apps.core.exceptions import ApplicationError
from apps.notifications.models import Notification
from tests.cases.staff_factories import accepted_case, submitted_case
from tests.catalog.factories import make_service


@pytest.fixture
def system_account(register, department):
    scopes = ("cases:read", "tasks:act", "certificates:manage")
    system, _secret = register(department, scopes=scopes)
    return system.user


def test_the_assign_list_names_the_colleagues_and_not_the_system(
    login, clerk, lead, department, system_account
):
    # given an active review task of the department, which also has a registered system
    task = ReviewTask.objects.get(case=accepted_case(make_service(department=department), clerk))
    # when the lead opens the queue
    queue = login(lead).get("/staff/cases/").text
    # then the task's "assign to a colleague" list offers the clerk, not the system
    assert f'name="task{task.pk}-assignee"' in queue
    assert f'value="{clerk.pk}"' in queue
    assert f'value="{system_account.pk}"' not in queue
    assert "审批系统" not in queue


def test_a_task_cannot_be_given_to_the_system(clerk, lead, department, system_account):
    # given an active review task of the department
    task = ReviewTask.objects.get(case=accepted_case(make_service(department=department), clerk))
    # when the lead tries to give it to the system's account
    with pytest.raises(ApplicationError):
        case_services.task_assign(task=task, actor=lead, assignee=system_account)
    # then nobody holds it
    task.refresh_from_db()
    assert task.assignee is None


def test_a_new_case_is_announced_to_the_people_not_to_the_system(
    clerk, lead, department, system_account
):
    # when a resident submits a case the department takes in
    submitted_case(make_service(department=department))
    # then its clerk and lead are told, and the system gets nothing
    told = set(
        Notification.objects.filter(event="task.assigned").values_list("recipient", flat=True)
    )
    assert {clerk.pk, lead.pk} <= told
    assert not Notification.objects.filter(recipient=system_account).exists()


def test_the_system_account_is_marked_as_a_system(system_account, department):
    # the flag every people list reads, set by the registration itself
    assert system_account.is_system_account
    assert set(system_account.roles_in(department)) == {"clerk", "system"}
