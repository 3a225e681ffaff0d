"""The whole loop: filed, dispatched, returned once, re-dispatched, signed for, replied, rated
unsatisfied, reopened, replied again and closed, with the resident's timeline at each step."""

import pytest
from django.core import mail  # noqa: F401 - the locmem outbox is used by notifications

from apps.cases.models import Case
from apps.complaints import selectors, services
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.models import Notification

from .conftest import file_complaint

pytestmark = pytest.mark.django_db


def public_verbs(case):
    return [e.verb for e in case.events.filter(is_public=True).order_by("created_at", "id")]


def status(case):
    case.refresh_from_db()
    return selectors.complaint_resident_status(case=case)[0]


def test_the_complaint_loop(
    category,
    resident,
    dispatcher,
    clerk,
    housing_clerk,
    department,
    other_department,
    login,
    django_capture_on_commit_callbacks,
):
    from apps.feedback.models import RatingRequest
    from apps.feedback.services import rating_submit

    # given a resident files a complaint on the web page
    client = login(resident)
    response = client.post(
        "/complaints/",
        {
            "category": "noise",
            "complaint_type": "complaint",
            "urgency": "normal",
            "description": "工地夜间施工",
            "address": "朝阳路 1 号",
            "file": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(kind=Case.Kind.COMPLAINT)
    assert case.number.startswith("TS-") and case.state == Case.State.SUBMITTED
    assert case.channel == Case.Channel.WEB and case.applicant == resident
    assert public_verbs(case) == ["file_complaint"]
    assert status(case) == "received"

    # when the dispatcher sends it to housing, which returns it as out of its remit
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=other_department)
    assert case.state == Case.State.DISPATCHED and case.due_at and case.sign_due_at
    assert public_verbs(case) == ["file_complaint", "dispatch"]
    assert status(case) == "received"
    with pytest.raises(ApplicationError):
        services.complaint_return(
            case=case, actor=housing_clerk, reason="不属本部门", legal_basis=""
        )
    case = services.complaint_return(
        case=case,
        actor=housing_clerk,
        reason="噪声归城管执法",
        legal_basis="《环境噪声污染防治法》第四条",
    )
    assert case.state == Case.State.SUBMITTED
    assert case.events.filter(verb="complaint_return", is_public=False).count() == 1
    assert public_verbs(case) == ["file_complaint", "dispatch"]  # the return is internal
    assert not housing_clerk.has_perm("cases.process_case", case)

    # and re-dispatches it to the market department, which signs for it
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_sign(case=Case.objects.get(pk=case.pk), actor=clerk)
    assert case.state == Case.State.IN_PROGRESS
    assert public_verbs(case) == ["file_complaint", "dispatch", "dispatch", "sign"]
    assert status(case) == "in_progress"

    # and replies: the outcome, a rating request from the feedback app
    with django_capture_on_commit_callbacks(execute=True):
        case = services.complaint_reply(case=case, actor=clerk, text="已责令停止夜间施工。")
    case.refresh_from_db()
    assert case.state == Case.State.REPLIED and status(case) == "answered"
    assert RatingRequest.objects.filter(case=case).count() == 1
    assert Notification.objects.filter(event="complaint.replied", recipient=resident).exists()

    # when the resident is unsatisfied: the rating closes the case, then they ask to reopen
    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(
            case=case, rater=resident, level=2, sub_scores={}, comment="还在施工", channel="web"
        )
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED and status(case) == "closed"
    response = client.post(f"/complaints/track/{case.number}/reopen/", {"comment": "晚上还在施工"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.IN_PROGRESS and case.reopen_count == 1
    assert case.lead_department == department
    assert status(case) == "reopened"
    assert case.events.filter(verb="reopen").count() == 1  # what the metrics count

    # then the department replies again and the resident's rating closes it
    with django_capture_on_commit_callbacks(execute=True):
        case = services.complaint_reply(case=case, actor=clerk, text="已现场查处并罚款。")
    assert RatingRequest.objects.filter(case=case).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(case=case, rater=resident, level=4, sub_scores={}, comment="", channel="web")
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED and status(case) == "closed"
    verbs = public_verbs(case)
    assert verbs[:4] == ["file_complaint", "dispatch", "dispatch", "sign"]
    assert verbs.count("reply") == 2 and verbs.count("reopen") == 1 and verbs[-1] == "close"
    assert verbs.index("reopen") > verbs.index("reply")

    # and the resident's own tracking page shows the plain status and the answer
    page = client.get(f"/complaints/track/{case.number}/").content.decode()
    assert "已现场查处并罚款。" in page and 'data-status="closed"' in page


def test_insisting_on_the_same_department_needs_a_note(category, dispatcher, clerk, department):
    case, _code = file_complaint(category)
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_return(
        case=case, actor=clerk, reason="不属于", legal_basis="三定方案"
    )
    with pytest.raises(ApplicationError):
        services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_dispatch(
        case=case, actor=dispatcher, department=department, note="属于你局职责，请办理"
    )
    assert case.state == Case.State.DISPATCHED
    assert case.events.filter(verb="note", is_public=False).exists()


def test_only_the_dispatcher_dispatches_and_a_wrong_state_conflicts(
    category, dispatcher, clerk, department
):
    from django.core.exceptions import PermissionDenied

    case, _code = file_complaint(category)
    with pytest.raises(PermissionDenied):
        services.complaint_dispatch(case=case, actor=clerk, department=department)
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    with pytest.raises(ConflictError):
        services.complaint_reply(case=case, actor=clerk, text="x")


def test_a_merged_duplicates_reporter_gets_the_outcome(
    category, resident, dispatcher, clerk, department, django_capture_on_commit_callbacks
):
    main, _code = file_complaint(category, reporter=resident)
    duplicate, _code2 = file_complaint(category, reporter_phone="13700137000", reporter_name="王五")
    duplicate = services.complaint_merge(case=duplicate, actor=dispatcher, into=main)
    assert duplicate.state == Case.State.MERGED and duplicate.merged_into == main
    main = services.complaint_dispatch(case=main, actor=dispatcher, department=department)
    main = services.complaint_sign(case=main, actor=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_reply(case=main, actor=clerk, text="已处理。")
    told = Notification.objects.filter(event="complaint.replied").values_list(
        "recipient_id", flat=True
    )
    assert duplicate.applicant_id in told and resident.pk in told
    sms = Notification.objects.get(
        event="complaint.replied", recipient=duplicate.applicant, channel="sms"
    )
    assert sms.destination == "13700137000" and "已处理。" in sms.body
    duplicate.refresh_from_db()
    assert selectors.complaint_resident_status(case=duplicate)[0] == "answered"


def test_a_follower_gets_the_outcome(
    category, resident, dispatcher, clerk, department, login, django_capture_on_commit_callbacks
):
    from tests.conftest import make_resident

    case, _code = file_complaint(category, latitude="39.900000", longitude="116.400000")
    neighbour = make_resident(email="n@example.cn", phone="13600136000", id_number=None)
    # while filing nearby, the neighbour sees it and follows it instead
    near = selectors.complaints_nearby(service=category, latitude=39.9020, longitude=116.4010)
    far = selectors.complaints_nearby(service=category, latitude=39.95, longitude=116.40)
    assert near == [case] and far == []
    client = login(neighbour)
    page = client.post(
        "/complaints/",
        {
            "category": "noise",
            "complaint_type": "complaint",
            "urgency": "normal",
            "description": "同一工地噪声",
            "latitude": "39.902000",
            "longitude": "116.401000",
            "file": "1",
        },
    )
    assert page.status_code == 200 and case.number in page.content.decode()
    assert Case.objects.filter(kind=Case.Kind.COMPLAINT).count() == 1
    client.post(f"/complaints/follow/{case.number}/")
    assert neighbour in case.followers.all()
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_sign(case=case, actor=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_reply(case=case, actor=clerk, text="已处理。")
    assert Notification.objects.filter(event="complaint.replied", recipient=neighbour).exists()


def test_question_to_the_reporter_and_supervised_extension(
    category, dispatcher, clerk, supervisor, department, client
):
    from datetime import timedelta

    from django.utils import timezone

    case, code = file_complaint(category, reporter_phone="13700137000")
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_sign(case=case, actor=clerk)
    services.complaint_ask(
        case=case,
        actor=clerk,
        question="施工地点在几号楼？",
        due=timezone.localdate() + timedelta(days=2),
    )
    client.post("/complaints/track/", {"number": case.number, "code": code})
    page = client.get(f"/complaints/track/{case.number}/").content.decode()
    assert "施工地点在几号楼？" in page
    client.post(f"/complaints/track/{case.number}/answer/", {"answer": "3 号楼"})
    case.refresh_from_db()
    assert case.question_answer == "3 号楼"

    extension = services.complaint_extension_request(
        case=case, actor=clerk, days=3, reason="需要联合执法"
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.complaint_extension_decide(extension=extension, actor=clerk, approve=True)
    old_due = case.due_at
    services.complaint_extension_decide(extension=extension, actor=supervisor, approve=True)
    case.refresh_from_db()
    assert case.due_at > old_due
    assert case.events.filter(verb="extension_granted", is_public=True).exists()
    assert Notification.objects.filter(event="case.extended", recipient=case.applicant).exists()


def test_overdue_complaints_are_escalated_and_reminded_the_day_after(
    category, dispatcher, clerk, supervisor, department
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.complaints.services import complaint_clock_sweep

    case, _code = file_complaint(category, urgency="urgent")
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_sign(case=case, actor=clerk)
    due = case.due_at
    # the due time passes: escalated to supervisors (督办), no reminder yet the same day
    now = due + timedelta(minutes=1)
    report = complaint_clock_sweep(today=timezone.localtime(now).date(), now=now)
    assert report.complaints_escalated == [case.pk]
    assert Notification.objects.filter(event="complaint.escalated", recipient=supervisor).exists()
    # the day after expiry: 催办 to the department, once
    later = now + timedelta(days=1)
    report = complaint_clock_sweep(today=timezone.localtime(later).date(), now=later)
    assert report.reminded == [case.pk] and report.complaints_escalated == []
    assert Notification.objects.filter(event="complaint.reminder", recipient=clerk).exists()
    again = complaint_clock_sweep(today=timezone.localtime(later).date(), now=later)
    assert again.reminded == []
