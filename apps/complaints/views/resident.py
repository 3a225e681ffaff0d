"""Complaint pages for a signed-in resident: follow an open complaint instead of filing the same
one again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.core.exceptions import ConflictError

from .. import selectors, services


@login_required
@require_POST
def complaint_follow(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    case = selectors.complaint_get_by_number(number=ref)
    if case is None:
        raise Http404
    try:
        services.complaint_follow(
            case=case, user=request.user, context=AuditContext.from_request(request)
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect("complaints:new")
    messages.success(
        request,
        _("You follow %(number)s. We will tell you its outcome.") % {"number": case.number},
    )
    return redirect("complaints:new")
