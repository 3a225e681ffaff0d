"""好差评 through the services: the request after a decision, rating on every channel, the
rectification loop, appeals, and the sweep that invites by SMS and expires unrated requests."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.cases.models import Case
from apps.cases.signals import case_outcome_reached
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.sms import LocmemSmsBackend
from apps.feedback import selectors, services
from apps.feedback.models import Appeal, Rating, RatingRequest, Rectification
from apps.notifications.models import Notification
from tests.cases.conftest import submit_case
from tests.conftest import make_resident

from .conftest import decide_case

GOOD = {"efficiency": 5, "guide_accuracy": 4, "convenience": 5, "ease_of_use": 4}


def rate(case, level, **kwargs):
    defaults = {"sub_scores": {}, "comment": "", "channel": Rating.Channel.WEB}
    return services.rating_submit(case=case, rater=case.applicant, level=level, **defaults | kwargs)


def test_a_decided_case_asks_for_a_rating_once_on_each_chosen_channel(
    service, clerk, lead, django_capture_on_commit_callbacks
):
    # given a resident told by email, SMS and in the portal
    resident = make_resident(
        email="wang@example.cn",
        phone="13700137000",
        notification_channels=["in_app", "email", "sms"],
    )
    case = submit_case(service, resident)

    # when the case is decided (and the outcome announced again, as a retry would)
    case = decide_case(case, clerk, django_capture_on_commit_callbacks)
    case_outcome_reached.send(sender=Case, case=case)

    # then one open request, 15 days long, with a 4-digit reply code
    request = RatingRequest.objects.get(case=case)
    assert request.state == RatingRequest.State.OPEN
    assert request.department == case.lead_department
    assert request.closes_at - request.opened_at == timedelta(days=15)
    assert len(request.sms_code) == 4 and request.sms_code.isdigit()
    # and one notification per chosen channel
    channels = list(
        Notification.objects.filter(recipient=resident, event="case.rating_requested")
        .order_by("channel")
        .values_list("channel", flat=True)
    )
    assert channels == ["email", "in_app", "sms"]


def test_a_good_rating_closes_the_case(decided_case, resident):
    # when the resident rates 满意 with the online sub-indicators
    rating = rate(decided_case, 4, sub_scores=GOOD, comment="办事很快")

    # then the rating is kept, the request rated and the case closed
    decided_case.refresh_from_db()
    assert decided_case.state == Case.State.CLOSED
    assert rating.request.state == RatingRequest.State.RATED
    assert rating.sub_scores == {**GOOD, "overall": 4}
    assert not rating.is_bad
    assert not Rectification.objects.exists()
    assert AuditEvent.objects.filter(action="feedback.rating.submit", target_id=str(rating.pk))
    # and it cannot be rated twice
    with pytest.raises(ConflictError):
        rate(decided_case, 5)


def test_rating_refuses_bad_input_and_other_people(decided_case, clerk):
    with pytest.raises(ApplicationError) as unknown:
        rate(decided_case, 4, sub_scores={"attitude": 5})  # a counter indicator, online case
    assert "sub_scores" in unknown.value.errors
    with pytest.raises(ApplicationError) as level:
        rate(decided_case, 7)
    assert "level" in level.value.errors
    with pytest.raises(PermissionDenied):
        services.rating_submit(
            case=decided_case, rater=clerk, level=5, sub_scores={}, comment="", channel="web"
        )
    assert not Rating.objects.exists()


def test_no_rating_before_a_request_or_after_the_window(
    service, resident, decided_case, django_capture_on_commit_callbacks
):
    # a case without an outcome has nothing to rate
    with pytest.raises(ConflictError):
        rate(submit_case(service, resident), 5)
    # the window is over
    RatingRequest.objects.filter(case=decided_case).update(closes_at=timezone.now())
    with pytest.raises(ConflictError):
        rate(decided_case, 5)


def test_bad_rating_rectification_answer_and_rating_again(decided_case, resident, clerk, lead):
    # when the resident rates 不满意
    rating = rate(decided_case, 2, comment="等了很久")

    # then a rectification is open for the department, due in 5 working days
    rectification = Rectification.objects.get(rating=rating)
    assert rating.is_bad
    assert rectification.department == decided_case.lead_department
    assert rectification.deadline == add_working_days(timezone.localdate(), 5)
    # and the department's clerks and leads are told
    told = set(
        Notification.objects.filter(event="feedback.bad_rating", channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"clerk", "lead"}
    decided_case.refresh_from_db()
    assert decided_case.state == Case.State.CLOSED

    # no second rating before the answer
    with pytest.raises(ConflictError):
        rate(decided_case, 4)

    # when the clerk answers
    services.rectification_answer(
        rectification=rectification, actor=clerk, answer="已优化预约流程，向您致歉。"
    )

    # then the answer reaches the resident, with a link to rate again
    rectification.refresh_from_db()
    assert rectification.state == Rectification.State.ANSWERED
    assert rectification.resident_informed_at is not None
    note = Notification.objects.get(
        recipient=resident, event="feedback.rectification_answered", channel="in_app"
    )
    assert f"/feedback/cases/{decided_case.number}/rate/" in note.url
    assert "已优化预约流程" in note.body

    # and the resident rates again, once
    again = rate(decided_case, 4)
    assert again.supersedes == rating
    with pytest.raises(ConflictError):
        rate(decided_case, 5)
    # the satisfaction rate counts the latest rating only
    assert list(selectors.ratings_counting_for_satisfaction()) == [again]
    # a rating is never edited
    rating.comment = "changed"
    with pytest.raises(ValueError):
        rating.save()


def test_the_panel_and_the_service_agree_when_the_answer_is_too_old(decided_case, clerk):
    # given a bad rating whose rectification was answered
    rating = rate(decided_case, 2)
    services.rectification_answer(rectification=rating.rectification, actor=clerk, answer="已整改")
    panel = selectors.rating_panel(case=decided_case, user=decided_case.applicant)
    assert panel.can_rate_again

    # when the answer is older than the rating window
    window = timedelta(days=services.rating_window_days())
    Rectification.objects.filter(rating=rating).update(
        answered_at=timezone.now() - window - timedelta(minutes=1)
    )

    # then the page offers no second rating and the service refuses one
    panel = selectors.rating_panel(case=decided_case, user=decided_case.applicant)
    assert not panel.can_rate_again
    with pytest.raises(ConflictError):
        rate(decided_case, 4)


def test_rectification_answer_only_by_the_department(decided_case, supervisor, counter_clerk):
    rectification = rate(decided_case, 1).rectification
    for outsider in (supervisor, counter_clerk):
        with pytest.raises(PermissionDenied):
            services.rectification_answer(rectification=rectification, actor=outsider, answer="x")


def test_appeal_upheld_by_a_supervisor_excludes_the_rating(decided_case, clerk, lead, supervisor):
    # given a very bad rating the department thinks malicious
    rating = rate(decided_case, 1, comment="恶意差评")
    appeal = services.appeal_file(rating=rating, actor=lead, reason="评价内容与办件无关")
    assert Notification.objects.filter(recipient=supervisor, event="feedback.appeal_filed")
    with pytest.raises(ConflictError):
        services.appeal_file(rating=rating, actor=lead, reason="again")

    # a clerk cannot decide it
    with pytest.raises(PermissionDenied):
        services.appeal_decide(appeal=appeal, actor=clerk, uphold=True, note="")

    # when a supervisor upholds it
    services.appeal_decide(appeal=appeal, actor=supervisor, uphold=True, note="与办件无关")

    # then the rating stays, excluded from the satisfaction rate
    rating.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.UPHELD and appeal.decided_by == supervisor
    assert rating.excluded and Rating.objects.filter(pk=rating.pk).exists()
    assert rating not in selectors.ratings_counting_for_satisfaction()
    assert rating.rectification.state == Rectification.State.WITHDRAWN
    # and the audit keeps both the rating and the decision
    assert AuditEvent.objects.filter(action="feedback.rating.submit", target_id=str(rating.pk))
    decision = AuditEvent.objects.get(action="feedback.appeal.uphold")
    assert decision.data["rating"] == rating.pk and decision.data["excluded"] is True
    # with the withdrawn rectification
    assert decision.data["rectification_withdrawn"] == rating.rectification.pk
    assert Notification.objects.filter(recipient=lead, event="feedback.appeal_decided")


def test_a_dismissed_appeal_needs_a_note_and_keeps_the_rating(decided_case, lead, supervisor):
    rating = rate(decided_case, 2)
    appeal = services.appeal_file(rating=rating, actor=lead, reason="误评")
    with pytest.raises(ApplicationError):
        services.appeal_decide(appeal=appeal, actor=supervisor, uphold=False, note="")
    services.appeal_decide(appeal=appeal, actor=supervisor, uphold=False, note="评价属实")
    rating.refresh_from_db()
    assert not rating.excluded
    assert rating in selectors.ratings_counting_for_satisfaction()
    assert rating.rectification.state == Rectification.State.OPEN


def test_good_ratings_cannot_be_appealed(decided_case, lead):
    with pytest.raises(ConflictError):
        services.appeal_file(rating=rate(decided_case, 5), actor=lead, reason="x")


def test_unrated_after_the_window_expires_and_closes_without_a_rating(decided_case):
    request = RatingRequest.objects.get(case=decided_case)

    # the day before the window ends nothing expires
    services.feedback_sweep(now=request.closes_at - timedelta(days=1))
    request.refresh_from_db()
    assert request.state == RatingRequest.State.OPEN

    # when the sweep runs after the window
    report = services.feedback_sweep(now=request.closes_at + timedelta(minutes=1))

    # then the request expired, the case is closed, and no rating was invented
    request.refresh_from_db()
    decided_case.refresh_from_db()
    assert report.expired == [request.pk]
    assert request.state == RatingRequest.State.EXPIRED
    assert decided_case.state == Case.State.CLOSED
    assert not Rating.objects.exists()
    assert not selectors.ratings_counting_for_satisfaction().exists()
    with pytest.raises(ConflictError):
        rate(decided_case, 5)
    # and running it again changes nothing
    assert services.feedback_sweep(now=request.closes_at + timedelta(days=1)).expired == []


def test_a_new_outcome_expires_the_open_request_with_its_audit_event(decided_case):
    # given an open request, and the case reaching a new outcome (a complaint answered again)
    first = RatingRequest.objects.get(case=decided_case)
    Case.objects.filter(pk=decided_case.pk).update(
        decided_at=decided_case.decided_at + timedelta(days=1)
    )

    # when the request for the new outcome opens
    second = services.rating_request_open(case=decided_case)

    # then the first expired unrated, audited as the sweep audits an expiry
    first.refresh_from_db()
    assert first.state == RatingRequest.State.EXPIRED
    assert (second.state, second.round) == (RatingRequest.State.OPEN, 2)
    event = AuditEvent.objects.get(action="feedback.request.expire", target_id=str(first.pk))
    assert event.data == {"unrated": True, "replaced_by_round": 2}


def test_the_sms_invitation_goes_out_once_three_days_after_the_outcome(decided_case, resident):
    request = RatingRequest.objects.get(case=decided_case)
    LocmemSmsBackend.outbox.clear()

    # not before three days
    services.feedback_sweep(now=request.outcome_at + timedelta(days=2, hours=23))
    assert LocmemSmsBackend.outbox == []

    # then once, to the applicant's phone, with the reply code
    services.feedback_sweep(now=request.outcome_at + timedelta(days=3, minutes=1))
    services.feedback_sweep(now=request.outcome_at + timedelta(days=4))
    assert len(LocmemSmsBackend.outbox) == 1
    message = LocmemSmsBackend.outbox[0]
    assert message["to"] == resident.phone
    assert request.sms_code in message["body"]
    request.refresh_from_db()
    assert request.sms_invited_at is not None


def test_no_invitation_once_rated(decided_case):
    request = RatingRequest.objects.get(case=decided_case)
    rate(decided_case, 5)
    LocmemSmsBackend.outbox.clear()
    services.feedback_sweep(now=request.outcome_at + timedelta(days=4))
    assert LocmemSmsBackend.outbox == []


def test_an_sms_reply_records_a_rating(decided_case, resident):
    request = RatingRequest.objects.get(case=decided_case)

    # a reply from another phone or with a wrong code is not taken
    with pytest.raises(ApplicationError):
        services.rating_sms_reply(phone="13911112222", text=f"{request.sms_code} 5")
    with pytest.raises(ApplicationError):
        services.rating_sms_reply(phone=resident.phone, text="5")

    # when the applicant replies "code level"
    rating = services.rating_sms_reply(phone=f"+86 {resident.phone}", text=f" {request.sms_code} 3")

    # then a rating with channel SMS
    assert rating.channel == Rating.Channel.SMS and rating.level == 3
    assert rating.rater == resident and rating.entered_by is None
    decided_case.refresh_from_db()
    assert decided_case.state == Case.State.CLOSED


def test_an_sms_reply_from_the_family_phone(
    service, clerk, lead, django_capture_on_commit_callbacks
):
    # given a resident who gave a family member's phone
    elder = make_resident(
        email="elder@example.cn",
        phone="13600136000",
        family_phone="13900139000",
        id_number="110101194003070027",
    )
    case = decide_case(submit_case(service, elder), clerk, django_capture_on_commit_callbacks)
    request = RatingRequest.objects.get(case=case)

    # when the family member replies
    rating = services.rating_sms_reply(phone="13900139000", text=f"{request.sms_code}，5")

    # then it is the resident's rating, by SMS
    assert rating.channel == Rating.Channel.SMS and rating.level == 5 and rating.rater == elder


def test_counter_rating_is_marked_as_entered_by_staff(decided_case, resident, counter_clerk):
    rating = services.rating_submit(
        case=decided_case,
        rater=resident,
        level=5,
        sub_scores={},
        comment="",
        channel=Rating.Channel.COUNTER,
        entered_by=counter_clerk,
    )
    assert rating.entered_by == counter_clerk and rating.rater == resident
    event = AuditEvent.objects.get(action="feedback.rating.submit")
    assert event.actor == counter_clerk and event.on_behalf_of == resident


def test_the_sweep_opens_a_request_the_signal_missed(decided_case):
    # given the request was lost (the receiver failed after the commit)
    RatingRequest.objects.all().delete()
    Case.objects.filter(pk=decided_case.pk).update(decided_at=timezone.now() - timedelta(hours=2))

    report = services.feedback_sweep()

    assert len(report.opened) == 1
    assert RatingRequest.objects.get(case=decided_case).state == RatingRequest.State.OPEN
