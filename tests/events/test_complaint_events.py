"""A complaint's loop publishes its events to the department it is dispatched to, and never
the reporter, the description or the reply."""

import json

import pytest

from apps.complaints import services
from apps.events import catalogue
from apps.events.envelope import event_structured
from apps.events.models import Event
from apps.events.selectors import event_feed_for_user
from tests.complaints.conftest import category, file_complaint, housing_clerk  # noqa: F401

pytestmark = pytest.mark.django_db


def test_dispatch_return_reply_and_rating_reach_the_handling_department(
    category,  # noqa: F811
    resident,
    dispatcher,
    clerk,
    housing_clerk,  # noqa: F811
    department,
    other_department,
    django_capture_on_commit_callbacks,
):
    from apps.feedback.services import rating_submit

    case, _code = file_complaint(category, reporter=resident)
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=other_department)
    case = services.complaint_return(
        case=case, actor=housing_clerk, reason="噪声归城管执法", legal_basis="第四条"
    )
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_sign(case=case, actor=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.complaint_reply(case=case, actor=clerk, text="已责令停止夜间施工。")
    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(
            case=case, rater=resident, level=4, sub_scores={}, comment="满意", channel="web"
        )

    assert [e.type for e in Event.objects.order_by("id")] == [
        catalogue.SUBMITTED,
        catalogue.DISPATCHED,
        catalogue.COMPLAINT_RETURNED,
        catalogue.DISPATCHED,
        catalogue.REPLIED,
        catalogue.RATED,
    ]
    market = [e.type for e in event_feed_for_user(user=clerk, after=0).events]
    assert market == [catalogue.DISPATCHED, catalogue.REPLIED, catalogue.RATED]
    # Housing read the complaint while it was theirs, and nothing after it left them.
    housing = [e.type for e in event_feed_for_user(user=housing_clerk, after=0).events]
    assert housing == [catalogue.DISPATCHED, catalogue.COMPLAINT_RETURNED]

    rated = Event.objects.get(type=catalogue.RATED)
    assert rated.data["kind"] == "complaint" and rated.data["department"] == department.code
    for event in Event.objects.all():
        body = event_structured(event=event)[1].decode()
        for secret in (
            "深夜施工噪声扰民",
            "建国门内大街",
            "已责令停止夜间施工",
            "满意",
            "噪声归城管执法",
            resident.phone,
            resident.profile.real_name,
        ):
            assert secret not in body and json.dumps(secret)[1:-1] not in body, secret
