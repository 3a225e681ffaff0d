from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import StaffMembership
from apps.cases.models import Case
from apps.cases.services.transitions import case_transition
from apps.complaints import services as complaint_services
from apps.complaints.models import Complaint
from apps.feedback.models import Rating
from apps.feedback.services import rating_submit
from tests.cases.conftest import submit_case
from tests.catalog.factories import make_service
from tests.complaints.conftest import category, jpeg_with_gps  # noqa: F401
from tests.conftest import make_staff
from tests.feedback.conftest import decide_case
from tests.signatures.keys import _signing_keys_dir, signing_keys_root  # noqa: F401

Role = StaffMembership.Role

REPORTER_NAME = "赵六"
REPORTER_PHONE = "13700137000"
DESCRIPTION = "赵六家楼下烧烤油烟扰民"
COMPLAINT_ADDRESS = "朝阳路 8 号"
REPLY = "已联系赵六，责令停止夜间烧烤。"


@pytest.fixture
def service(department):
    return make_service(department=department)


@pytest.fixture
def records_officer(db, department):
    return make_staff(username="records", department=department, role=Role.RECORDS_OFFICER)


def backdate(case: Case, *, years: int) -> Case:
    """Move a case's dates `years` back, as if it had ended that long ago."""
    shift = timedelta(days=365 * years + years // 4 + 2)
    values = {
        field: getattr(case, field) - shift
        for field in ("created_at", "submitted_at", "decided_at", "accepted_at")
        if getattr(case, field) is not None
    }
    Case.objects.filter(pk=case.pk).update(**values)
    case.refresh_from_db()
    return case


def decided_application(service, resident, clerk, capture) -> Case:
    """A decided application with answers, an attachment, a receipt and a decision letter, a
    rating with a comment, and the timeline and audit events all of these wrote."""
    with capture(execute=True):
        case = submit_case(service, resident)
    case = decide_case(case, clerk, capture)
    with capture(execute=True):
        rating_submit(
            case=case,
            rater=resident,
            level=5,
            sub_scores={},
            comment="张三说办得很快",
            channel=Rating.Channel.WEB,
        )
    case.refresh_from_db()
    return case


def replied_complaint(category, dispatcher, clerk, department, capture) -> Case:  # noqa: F811
    """A complaint from a caller without an account (name, phone, address, a photo), dispatched,
    signed for and replied to (the reply names the caller)."""
    with capture(execute=True):
        case, _code = complaint_services.complaint_file(
            service=category,
            actor=None,
            complaint_type="complaint",
            description=DESCRIPTION,
            address=COMPLAINT_ADDRESS,
            latitude="39.912345",
            longitude="116.412345",
            photos=[jpeg_with_gps()],
            reporter_name=REPORTER_NAME,
            reporter_phone=REPORTER_PHONE,
        )
    case = complaint_services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = complaint_services.complaint_sign(case=case, actor=clerk)
    with capture(execute=True):
        case = complaint_services.complaint_reply(case=case, actor=clerk, text=REPLY)
        # the rating window ended without a rating: the portal closes it (the sweep's step)
        case_transition(case=Complaint.of(case), transition="close", actor=None)
    case.refresh_from_db()
    return case


def now_day():
    return timezone.localdate()
