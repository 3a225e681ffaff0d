"""Rows built directly (no workflow), so that every figure can be counted by hand."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from apps.accounts.models import ResidentProfile, User
from apps.cases.models import Case, CaseEvent
from apps.feedback.models import Rating, RatingRequest, Rectification

SHANGHAI = ZoneInfo("Asia/Shanghai")
_codes = itertools.count(1000)


def at(year, month, day, hour=10, minute=0) -> datetime:
    """A moment in Beijing time."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def refresh():
    """What beat does every minute: the rollups take in the rows changed since their watermark."""
    from apps.metrics.services import rollups_catch_up

    return rollups_catch_up(wait=True)


def make_person(*, name, id_number, phone, address, email) -> User:
    user = User.objects.create_user(email=email, phone=phone, display_name=name)
    ResidentProfile.objects.create(user=user, real_name=name, id_number=id_number, address=address)
    return user


def make_case(
    service,
    applicant,
    *,
    state=Case.State.SUBMITTED,
    channel=Case.Channel.WEB,
    kind=Case.Kind.APPLICATION,
    submitted=None,
    decided=None,
    on_time=None,
    days=None,
    events=(),
) -> Case:
    case = Case.objects.create(
        service=service,
        version=service.versions.order_by("-number").first(),
        applicant=applicant,
        created_by=applicant,
        kind=kind,
        channel=channel,
        state=state,
        submitted_at=submitted,
        decided_at=decided,
        outcome_on_time=on_time,
        working_days_to_outcome=days,
        lead_department=service.lead_department,
        answers={"full_name": "should never leak"},
    )
    for verb in events:
        CaseEvent.objects.create(case=case, verb=verb, note="free text never published")
    return case


def make_request(case, *, opened, state=RatingRequest.State.OPEN) -> RatingRequest:
    return RatingRequest.objects.create(
        case=case,
        department=case.lead_department,
        round=case.rating_requests.count() + 1,
        outcome_at=opened,
        opened_at=opened,
        closes_at=opened.replace(year=opened.year + 1),
        state=state,
        sms_code=str(next(_codes)),
    )


def make_rating(
    request,
    *,
    level,
    at_time,
    channel=Rating.Channel.WEB,
    supersedes=None,
    excluded=False,
    entered_by=None,
    comment="",
) -> Rating:
    rating = Rating.objects.create(
        request=request,
        case=request.case,
        department=request.department,
        level=level,
        channel=channel,
        rater=request.case.applicant,
        entered_by=entered_by,
        supersedes=supersedes,
        comment=comment,
    )
    Rating.objects.filter(pk=rating.pk).update(created_at=at_time, excluded=excluded)
    RatingRequest.objects.filter(pk=request.pk).update(state=RatingRequest.State.RATED)
    rating.refresh_from_db()
    return rating


def make_rectification(rating, *, answered=None, informed=None, withdrawn=False):
    state = Rectification.State.OPEN
    if answered:
        state = Rectification.State.ANSWERED
    if withdrawn:
        state = Rectification.State.WITHDRAWN
    return Rectification.objects.create(
        rating=rating,
        department=rating.department,
        deadline=rating.created_at.date(),
        state=state,
        answer="free text never published" if answered else "",
        answered_at=answered,
        resident_informed_at=informed,
    )
