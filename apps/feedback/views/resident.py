"""The resident's rating page. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.cases.selectors import case_get_for_user
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error

from .. import selectors, services
from ..forms import RatingForm
from ..indicators import indicator_kind
from ..models import Rating


@login_required
def rate(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    """好差评 on the web: the five levels, the sub-indicators, a comment; again after the
    department answered a bad rating."""
    case = case_get_for_user(user=request.user, ref=ref)
    panel = selectors.rating_panel(case=case, user=request.user)
    if panel is None:
        raise Http404
    if not (panel.can_rate or panel.can_rate_again):
        messages.info(request, _("There is nothing to rate on this case now."))
        return redirect("cases:detail", ref=case.ref)
    form = RatingForm(request.POST or None, kind=indicator_kind(case))
    if request.method == "POST" and form.is_valid():
        try:
            # A family proxy rates for the applicant: the rating is the applicant's, marked as
            # entered by the proxy.
            proxy = request.user if request.user.pk != case.applicant_id else None
            services.rating_submit(
                case=case,
                rater=case.applicant,
                level=form.cleaned_data["level"],
                sub_scores=form.sub_scores(),
                comment=form.cleaned_data["comment"],
                channel=Rating.Channel.WEB,
                entered_by=proxy,
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("Thank you: your rating is recorded."))
            return redirect("cases:detail", ref=case.ref)
    return render(
        request,
        "resident/feedback/rate.html",
        {"case": case, "form": form, "panel": panel},
    )
