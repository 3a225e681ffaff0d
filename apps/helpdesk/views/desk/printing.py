"""Claim codes for residents and the counter's queue of letters to print."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError
from apps.core.links import portal_url
from apps.notifications.selectors import letters_pending

from ... import selectors, services
from .common import _service_point_or_none, counter_required


@counter_required
@require_POST
def claim_code_issue(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    resident = selectors.resident_access_get(staff=request.user, resident_id=resident_id).resident
    try:
        pdf = services.claim_code_letter_issue(
            actor=request.user,
            resident=resident,
            claim_url=portal_url(path=reverse("helpdesk:claim"), request=request),
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("desk:helpdesk:resident", resident_id=resident.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="claim-code.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@counter_required
def print_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    point = _service_point_or_none(request)
    if point is None:
        raise PermissionDenied
    if request.method == "POST":
        batch = services.print_batch_generate(
            service_point=point, actor=request.user, context=AuditContext.from_request(request)
        )
        if batch is None:
            messages.info(request, _("No letters are waiting to be printed."))
        else:
            messages.success(
                request,
                _("%(count)d letters are ready to print.") % {"count": batch.letter_count},
            )
        return redirect("desk:helpdesk:print")
    return render(
        request,
        "desk/print.html",
        {
            "service_point": point,
            "letters": letters_pending(service_point=point),
            "batches": selectors.print_batches_of(service_point=point)[:30],
        },
    )


@counter_required
def print_batch_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    point = _service_point_or_none(request)
    if point is None:  # staff without a service point have no batches
        raise Http404
    batch = selectors.print_batch_get(service_point=point, batch_id=pk)
    return FileResponse(
        batch.document.file.open("rb"),
        as_attachment=True,
        filename=f"letters-{point.code}-{batch.batch_date}.pdf",
        content_type="application/pdf",
    )
