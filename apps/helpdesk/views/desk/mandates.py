"""Mandates (授权) recorded at the counter: new, revoked, and their signed evidence."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.catalog.selectors import service_list
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error
from apps.core.http import file_response
from apps.core.uploads import stored_media_type

from ... import selectors, services
from ...forms import MandateForm, RevokeForm
from .common import ACTING_SESSION_KEY, acting_session_end, counter_required


@counter_required
def mandate_new(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    access = selectors.resident_access_get(staff=request.user, resident_id=resident_id)
    resident = access.resident
    form = MandateForm(
        request.POST or None,
        request.FILES or None,
        services=service_list(),
        cases=selectors.resident_cases_for_counter(access=access),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mandate = services.mandate_create(
                actor=request.user,
                resident=resident,
                scope=data["scope"],
                service=data["service"],
                case=data["case"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                upload=data["evidence"],
                drawn_signature=data["drawn_signature"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc, field_names={"drawn_signature": "evidence"})
        else:
            messages.success(
                request, _("Mandate %(ref)s is recorded.") % {"ref": mandate.reference}
            )
            return redirect("desk:helpdesk:resident", resident_id=resident.pk)
    return render(request, "desk/mandate_new.html", {"form": form, "resident": resident})


@counter_required
@require_POST
def mandate_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mandate = selectors.mandate_get_for_counter(staff=request.user, mandate_id=pk)
    form = RevokeForm(request.POST)
    form.is_valid()
    try:
        services.mandate_revoke(
            mandate=mandate,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The mandate is revoked."))
    acting = request.session.get(ACTING_SESSION_KEY) or {}
    if acting.get("mandate") == mandate.pk:
        acting_session_end(request)
    return redirect("desk:helpdesk:resident", resident_id=mandate.resident_id)


@counter_required
def mandate_evidence(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    mandate = selectors.mandate_evidence_get_for_counter(staff=request.user, mandate_id=pk)
    services.resident_view_record(
        viewer=request.user,
        resident=mandate.resident,
        context=AuditContext.from_request(request),
        purpose="mandate",
    )
    evidence = mandate.evidence.open("rb")
    # Typed from its bytes: evidence kept before the upload check may carry any extension.
    return file_response(
        file=evidence,
        filename=(mandate.evidence.name or "").rsplit("/")[-1],
        content_type=stored_media_type(evidence),
    )
