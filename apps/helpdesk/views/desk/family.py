"""Binding and unbinding a resident's family proxy at the counter."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError

from ... import selectors, services
from ...forms import FamilyInviteForm
from .common import _service_point_or_none, counter_required


@counter_required
@require_POST
def family_bind(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    resident = selectors.resident_access_get(staff=request.user, resident_id=resident_id).resident
    form = FamilyInviteForm(request.POST)
    if form.is_valid():
        try:
            services.family_invite(
                actor=request.user,
                resident=resident,
                login=form.cleaned_data["login"],
                relationship=form.cleaned_data["relationship"],
                at_counter=_service_point_or_none(request),
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Recorded. The family member confirms online under “Family” to finish."),
            )
    return redirect("desk:helpdesk:resident", resident_id=resident.pk)


@counter_required
@require_POST
def family_unbind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = selectors.family_link_get_for_counter(staff=request.user, link_id=pk)
    services.family_unbind(
        link=link, actor=request.user, context=AuditContext.from_request(request)
    )
    messages.success(request, _("The family member is unbound."))
    return redirect("desk:helpdesk:resident", resident_id=link.resident_id)
