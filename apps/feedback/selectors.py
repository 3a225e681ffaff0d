"""Reads for 好差评: what the resident may do on a case, the department's and the supervisors'
lists, and the ratings the satisfaction rate counts."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import StaffMembership, User
from apps.accounts.selectors import staff_with_role
from apps.cases.duties import holds_grant
from apps.cases.models import Case
from apps.cases.selectors import is_supervisor, staff_department_ids
from apps.core.pagination import SeekKey

from .models import Appeal, Rating, RatingRequest, Rectification

OUTCOME_STATES = (Case.State.APPROVED, Case.State.REJECTED, Case.State.NOT_ACCEPTED)
# The department's people who answer for its ratings (rectifications, appeals).
DEPARTMENT_ROLES = (StaffMembership.Role.CLERK, StaffMembership.Role.LEAD)
# The signal normally opens the request at once; the sweep only catches what it missed.
CATCH_UP_GRACE = timedelta(hours=1)


def rating_window_days() -> int:
    """How long the resident may rate an outcome, or rate again after a rectification answer."""
    return int(getattr(settings, "FEEDBACK_RATING_WINDOW_DAYS", 15))


def ratings_counting_for_satisfaction() -> QuerySet[Rating]:
    """The ratings the satisfaction rate (满意率) counts, the one definition the metrics use:
    per rated outcome (rating request) its latest rating, i.e. one no other rating supersedes (a
    rating given again after a rectification replaces the one before), unless an upheld appeal
    excluded it. A re-rating excluded on appeal leaves its outcome with nothing counted: the
    rating it replaced stays replaced. Unrated requests have no rating and are never counted."""
    return Rating.objects.filter(excluded=False).exclude(
        Exists(Rating.objects.filter(supersedes=OuterRef("pk")))
    )


def latest_rating(*, request: RatingRequest) -> Rating | None:
    return (
        Rating.objects.filter(request=request)
        .exclude(Exists(Rating.objects.filter(supersedes=OuterRef("pk"))))
        .order_by("-created_at", "-pk")
        .first()
    )


def may_rate_again(*, rating: Rating | None, now: datetime) -> bool:
    """Whether the resident may replace `rating` (their latest on the request) by rating again:
    its rectification is answered and the answer is less than the rating window old. Once they
    rate again the new rating is the latest, so the answer opens one re-rating only."""
    rectification = getattr(rating, "rectification", None) if rating is not None else None
    return bool(
        rectification is not None
        and rectification.state == Rectification.State.ANSWERED
        and rectification.answered_at + timedelta(days=rating_window_days()) > now
    )


def rerate_target(*, request: RatingRequest, now: datetime) -> Rating | None:
    """The rating a new rating of `request` replaces, or None when it may not be rated again."""
    latest = latest_rating(request=request)
    return latest if may_rate_again(rating=latest, now=now) else None


def latest_request(*, case: Case) -> RatingRequest | None:
    return case.rating_requests.order_by("-round").first()


def outcomes_without_request(*, since: datetime) -> QuerySet[Case]:
    """Cases with an outcome in the rating window that no request was opened for."""
    cases: QuerySet[Case] = (
        Case.objects.filter(
            state__in=OUTCOME_STATES,
            decided_at__gte=since,
            decided_at__lte=timezone.now() - CATCH_UP_GRACE,
            lead_department__isnull=False,
        )
        .exclude(
            Exists(
                RatingRequest.objects.filter(case=OuterRef("pk"), outcome_at=OuterRef("decided_at"))
            )
        )
        .order_by("pk")
    )
    return cases


# --- people -------


def supervisors() -> list[User]:
    return staff_with_role(role=StaffMembership.Role.SUPERVISOR)


def rater_name_for_department(*, rating: Rating) -> str:
    """The name the department sees: none where the reporter hid their identity."""
    if rating.identity_hidden:
        return ""
    profile = getattr(rating.rater, "profile", None)
    return profile.real_name if profile is not None else str(rating.rater)


# --- the resident -------


@dataclass
class RatingPanel:
    request: RatingRequest | None
    ratings: list[Rating]
    rectification: Rectification | None
    can_rate: bool
    can_rate_again: bool

    @property
    def latest(self) -> Rating | None:
        return self.ratings[0] if self.ratings else None


def rating_panel(*, case: Case, user: User | AnonymousUser) -> RatingPanel | None:
    """What the case page shows the applicant: rate now, their rating, the department's answer to
    a bad one and rate again. None for anyone else or a case without a request."""
    if not user.is_authenticated:
        return None
    # The applicant, or a family proxy (亲情账号) who may act on the case for them.
    if case.applicant_id != user.pk and not holds_grant(user, "cases.change_case", case):
        return None
    request = latest_request(case=case)
    if request is None:
        return None
    return rating_panel_for_request(request=request)


def rating_panel_for_request(*, request: RatingRequest) -> RatingPanel:
    """What may be done on `request` now: rate, rate again, or nothing (the signed link's page,
    where the token stands for the applicant)."""
    ratings = list(
        Rating.objects.filter(request=request)
        .select_related("rectification")
        .order_by("-created_at", "-pk")
    )
    now = timezone.now()
    latest = ratings[0] if ratings else None
    rectification = getattr(latest, "rectification", None) if latest else None
    if rectification is None and latest is not None and latest.supersedes_id:
        rectification = getattr(latest.supersedes, "rectification", None)
    can_rate = request.state == RatingRequest.State.OPEN and request.closes_at > now
    return RatingPanel(
        request, ratings, rectification, can_rate, may_rate_again(rating=latest, now=now)
    )


# --- staff -------


def _rating_qs() -> QuerySet[Rating]:
    return Rating.objects.select_related(
        "case", "case__service", "department", "rater", "rater__profile", "entered_by"
    ).prefetch_related("appeals")


# The orders of the staff lists, for their keyset pages (apps/core/pagination.py).
BAD_RATING_KEYS = (SeekKey("created_at", descending=True), SeekKey("pk", descending=True))
RECTIFICATION_KEYS = (SeekKey("deadline"), SeekKey("pk"))
APPEAL_KEYS = (SeekKey("created_at"), SeekKey("pk"))


def bad_ratings_for_user(*, user: User) -> QuerySet[Rating]:
    """Bad ratings of my departments (clerks and leads), rectification open first."""
    return (
        _rating_qs()
        .filter(
            is_bad=True, department_id__in=staff_department_ids(user=user, roles=DEPARTMENT_ROLES)
        )
        .select_related("rectification")
        .order_by("-created_at", "-pk")
    )


def open_rectifications_for_user(*, user: User) -> QuerySet[Rectification]:
    """Open rectifications: every department for supervisors, my departments for the others."""
    qs = Rectification.objects.filter(state=Rectification.State.OPEN).select_related(
        "rating", "rating__case", "rating__case__service", "rating__rater__profile", "department"
    )
    if not is_supervisor(user=user):
        qs = qs.filter(department_id__in=staff_department_ids(user=user, roles=DEPARTMENT_ROLES))
    return qs.order_by("deadline", "pk")


def rectification_list(*, user: User) -> QuerySet[Rectification]:
    """The open rectifications `user` sees, with what the API shows of each rating."""
    return open_rectifications_for_user(user=user).select_related(
        "rating__department", "rating__entered_by", "rating__rater"
    )


def pending_appeals_for_user(*, user: User) -> QuerySet[Appeal]:
    qs = Appeal.objects.filter(state=Appeal.State.PENDING).select_related(
        "rating", "rating__case", "rating__case__service", "department", "filed_by"
    )
    if not is_supervisor(user=user):
        qs = qs.filter(department_id__in=staff_department_ids(user=user, roles=DEPARTMENT_ROLES))
    return qs.order_by("created_at", "pk")


def _visible_department_filter(user: User) -> Q:
    if is_supervisor(user=user):
        return Q()
    return Q(department_id__in=staff_department_ids(user=user, roles=DEPARTMENT_ROLES))


def rectification_get_for_staff(*, user: User, pk: int) -> Rectification:
    obj = (
        Rectification.objects.filter(_visible_department_filter(user), pk=pk)
        .select_related("rating", "rating__case", "department")
        .first()
    )
    if obj is None:
        raise Http404
    return obj


def rating_get_for_staff(*, user: User, pk: int) -> Rating:
    obj = _rating_qs().filter(_visible_department_filter(user), pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def appeal_get_for_staff(*, user: User, pk: int) -> Appeal:
    obj = (
        Appeal.objects.filter(_visible_department_filter(user), pk=pk)
        .select_related("rating", "rating__case", "department")
        .first()
    )
    if obj is None:
        raise Http404
    return obj


def case_for_counter_rating(*, user: User, ref: str) -> Case:
    """Counter staff enter the rating of the resident in front of them, by case number: any case
    with something to rate (the resident shows the number); 404 otherwise."""
    if not staff_department_ids(user=user, roles=(StaffMembership.Role.COUNTER,)):
        raise Http404
    case: Case | None = (
        Case.objects.filter(Q(number=ref) | Q(reference=ref))
        .filter(rating_requests__isnull=False)
        .select_related("service", "applicant", "applicant__profile")
        .distinct()
        .first()
    )
    if case is None:
        raise Http404
    return case
