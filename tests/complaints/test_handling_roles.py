"""Who of the department handles a complaint: its clerks and leads sign, return, reply and ask
for more time; its other roles (counter staff, dispatchers, supervisors, records officers) hold
other duties and are refused, with nothing changed. Found by the permission matrix
(tests/portal/permission_matrix.csv): every active role of the department could reply."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.models import StaffMembership
from apps.cases.models import Case
from apps.complaints import services
from tests.complaints.conftest import file_complaint
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db

Role = StaffMembership.Role
OTHER_ROLES = (Role.COUNTER, Role.DISPATCHER, Role.SUPERVISOR, Role.RECORDS_OFFICER)


@pytest.fixture
def signed(category, dispatcher, clerk, department):
    case, _code = file_complaint(category)
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    return services.complaint_sign(case=case, actor=clerk)


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_the_departments_other_roles_may_not_reply_return_or_extend(
    role, signed, department, service_point
):
    # given a member of the department in a role that does not handle complaints
    member = make_staff(
        username=f"member-{role}",
        department=department,
        role=role,
        service_point=service_point if role == Role.COUNTER else None,
    )
    # when they reply, return it or ask for more time, then each is refused
    with pytest.raises(PermissionDenied):
        services.complaint_reply(case=signed, actor=member, text="已处理")
    with pytest.raises(PermissionDenied):
        services.complaint_return(
            case=signed, actor=member, reason="不属本部门", legal_basis="三定方案"
        )
    with pytest.raises(PermissionDenied):
        services.complaint_extension_request(case=signed, actor=member, days=2, reason="协调")
    # and the complaint is as it was
    signed.refresh_from_db()
    assert signed.state == Case.State.IN_PROGRESS
    assert not signed.extension_requests.exists()


def test_the_departments_lead_replies(signed, lead):
    # given the complaint signed by the department, when its lead replies, then it is replied
    case = services.complaint_reply(case=signed, actor=lead, text="已处理")
    assert case.state == Case.State.REPLIED
