"""Staff pages for 好差评: the department's bad ratings with the rectification and appeal forms,
the supervisors' open rectifications and appeals, and the counter entry of a rating."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import StaffMembership
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.cases import selectors as case_selectors
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error
from apps.core.pagination import seek_page_for_request

from .. import selectors, services
from ..forms import (
    AppealDecideForm,
    AppealForm,
    CounterLookupForm,
    RatingForm,
    RectificationAnswerForm,
)
from ..indicators import indicator_kind
from ..models import Rating, Rectification

Role = StaffMembership.Role


def _rating_row(rating: Rating, bound: dict) -> dict:
    rectification = getattr(rating, "rectification", None)
    appeals = list(rating.appeals.all())
    row = {
        "rating": rating,
        "rater_name": selectors.rater_name_for_department(rating=rating),
        "rectification": rectification,
        "appeals": appeals,
        "rectification_form": None,
        "appeal_form": None,
    }
    if rectification is not None and rectification.state == Rectification.State.OPEN:
        row["rectification_form"] = bound.get(("rect", rectification.pk)) or (
            RectificationAnswerForm(prefix=f"rect-{rectification.pk}")
        )
    if not appeals and not rating.excluded:
        row["appeal_form"] = bound.get(("appeal", rating.pk)) or AppealForm(
            prefix=f"appeal-{rating.pk}"
        )
    return row


def _index(
    request: AuthenticatedHttpRequest, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    is_supervisor = case_selectors.is_supervisor(user=user)
    in_department = bool(
        case_selectors.staff_department_ids(user=user, roles=selectors.DEPARTMENT_ROLES)
    )
    is_counter = bool(case_selectors.staff_department_ids(user=user, roles=(Role.COUNTER,)))
    context = {
        "is_supervisor": is_supervisor,
        "in_department": in_department,
        "is_counter": is_counter,
        "counter_form": bound.get(("counter", 0)) or CounterLookupForm(),
    }
    if in_department:
        page = seek_page_for_request(
            request,
            selectors.bad_ratings_for_user(user=user),
            keys=selectors.BAD_RATING_KEYS,
            param="ratings",
        )
        context["ratings_page"] = page
        context["rating_rows"] = [_rating_row(rating, bound) for rating in page]
    if is_supervisor:
        rectifications = seek_page_for_request(
            request,
            selectors.open_rectifications_for_user(user=user),
            keys=selectors.RECTIFICATION_KEYS,
            param="rectifications",
        )
        context["rectifications_page"] = rectifications
        context["rectifications"] = [
            {"rectification": r, "rater_name": selectors.rater_name_for_department(rating=r.rating)}
            for r in rectifications
        ]
        appeals = seek_page_for_request(
            request,
            selectors.pending_appeals_for_user(user=user),
            keys=selectors.APPEAL_KEYS,
            param="appeals",
        )
        context["appeals_page"] = appeals
        context["appeal_rows"] = [
            {
                "appeal": appeal,
                "form": bound.get(("decide", appeal.pk))
                or AppealDecideForm(prefix=f"decide-{appeal.pk}"),
            }
            for appeal in appeals
        ]
    return render(request, "staff/feedback/index.html", context, status=status)


@staff_required()
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.GET.get("case"):
        form = CounterLookupForm(request.GET)
        if form.is_valid():
            return redirect("staff:staff_feedback:counter-rating", ref=form.cleaned_data["case"])
    return _index(request)


@staff_required(Role.CLERK, Role.LEAD)
@require_POST
def rectification_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rectification = selectors.rectification_get_for_staff(user=request.user, pk=pk)
    form = RectificationAnswerForm(request.POST, prefix=f"rect-{pk}")
    if form.is_valid():
        try:
            services.rectification_answer(
                rectification=rectification,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("The answer is sent to the resident."))
            return redirect("staff:staff_feedback:index")
    return _index(request, bound={("rect", pk): form}, status=400)


@staff_required(Role.CLERK, Role.LEAD)
@require_POST
def appeal_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rating = selectors.rating_get_for_staff(user=request.user, pk=pk)
    form = AppealForm(request.POST, prefix=f"appeal-{pk}")
    if form.is_valid():
        try:
            services.appeal_file(
                rating=rating,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("The appeal is sent to the supervisors."))
            return redirect("staff:staff_feedback:index")
    return _index(request, bound={("appeal", pk): form}, status=400)


@staff_required(Role.SUPERVISOR)
@require_POST
def appeal_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_get_for_staff(user=request.user, pk=pk)
    form = AppealDecideForm(request.POST, prefix=f"decide-{pk}")
    if form.is_valid():
        try:
            services.appeal_decide(
                appeal=appeal,
                actor=request.user,
                uphold=form.cleaned_data["decision"] == "uphold",
                note=form.cleaned_data["note"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("The appeal is decided."))
            return redirect("staff:staff_feedback:index")
    return _index(request, bound={("decide", pk): form}, status=400)


@staff_required(Role.COUNTER)
def counter_rating(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    """The resident at the counter rates; the counter staff member types it in, and the rating
    says so (entered by)."""
    case = selectors.case_for_counter_rating(user=request.user, ref=ref)
    panel = selectors.rating_panel(case=case, user=case.applicant)
    if panel is None or not (panel.can_rate or panel.can_rate_again):
        messages.info(request, _("There is nothing to rate on this case now."))
        return redirect("staff:staff_feedback:index")
    form = RatingForm(request.POST or None, kind=indicator_kind(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit(
                case=case,
                rater=case.applicant,
                level=form.cleaned_data["level"],
                sub_scores=form.sub_scores(),
                comment=form.cleaned_data["comment"],
                channel=Rating.Channel.COUNTER,
                entered_by=request.user,
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("The resident's rating is recorded."))
            return redirect("staff:staff_feedback:index")
    return render(request, "staff/feedback/counter_rating.html", {"case": case, "form": form})
