"""Rating without an account: the signed link sent by SMS to a reporter without one, and the
rating offered on the complaint tracking page (number and extraction code). Anyone holding the
link rates the case as its applicant, once (again only after a rectification answer). Thin:
parse, call a service, render."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.audit.context import AuditContext
from apps.complaints.views.public import tracked_case
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error

from .. import selectors, services
from ..forms import RatingForm
from ..indicators import indicator_kind
from ..models import Rating


def rate_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the rating form (or "already rated"); POST: the rating."""
    try:
        rating_request = services.rating_link_read(token=token)
    except ApplicationError as exc:
        return render(
            request, "resident/feedback/link_refused.html", {"message": exc.message}, status=400
        )
    case = rating_request.case
    panel = selectors.rating_panel_for_request(request=rating_request)
    if not (panel.can_rate or panel.can_rate_again):
        return render(
            request,
            "resident/feedback/link_done.html",
            {"case": case, "panel": panel},
            status=409 if request.method == "POST" else 200,
        )
    form = RatingForm(request.POST or None, kind=indicator_kind(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit(
                case=case,
                rater=case.applicant,
                level=form.cleaned_data["level"],
                sub_scores=form.sub_scores(),
                comment=form.cleaned_data["comment"],
                channel=Rating.Channel.WEB,
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect("feedback:rate-link", token=token)
    return render(
        request,
        "resident/feedback/rate.html",
        {"case": case, "form": form, "panel": panel, "by_link": True},
    )


def rate_tracked(request: HttpRequest, ref: str) -> HttpResponse:
    """From the tracking page (the browser opened the complaint with its code): a fresh signed
    link to the latest rating request."""
    case = tracked_case(request, ref)
    rating_request = selectors.latest_request(case=case)
    if rating_request is None:
        messages.info(request, _("There is nothing to rate on this case now."))
        return redirect("complaints:tracked", ref=case.number)
    return redirect(services.rating_link_path(rating_request=rating_request))
