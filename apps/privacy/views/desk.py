"""The counter's pages for a resident's data, mounted at /desk/ (namespace `desk:privacy`):
under a mandate for everything, download a copy for the resident or close their account,
confirmed by the staff member's own authenticator code. The mandate is checked by the
services (`desk_mandate_for`), the resident found by the desk's own selector."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError
from apps.core.http import file_response
from apps.helpdesk.forms import StaffCodeForm
from apps.helpdesk.selectors import resident_access_get
from apps.helpdesk.views.desk.common import counter_required

from .. import selectors, services


@counter_required
def desk_data(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    access = resident_access_get(staff=request.user, resident_id=resident_id)
    resident = access.resident
    form = StaffCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not request.POST.get("confirm"):
            form.add_error(
                "code", _("Tick the box to confirm the resident asked to close the account.")
            )
        else:
            try:
                services.account_close(
                    resident=resident,
                    actor=request.user,
                    code=form.cleaned_data["code"],
                    channel="totp",
                    context=AuditContext.from_request(request),
                )
            except ApplicationError as exc:
                form.add_error("code", exc.message)
            else:
                messages.success(request, _("The account is closed."))
                return redirect("desk:helpdesk:search")
    if form.errors:
        status = 400
    return render(
        request,
        "desk/privacy.html",
        {
            "resident": resident,
            "name": getattr(resident.profile, "real_name", str(resident)),
            "exports": selectors.data_export_list(resident=resident)[:5],
            "blockers": services.account_closure_blockers(resident=resident),
            "form": form,
        },
        status=status,
    )


@counter_required
@require_POST
def desk_export_request(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    access = resident_access_get(staff=request.user, resident_id=resident_id)
    try:
        services.data_export_request(
            resident=access.resident, actor=request.user, context=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The copy of the resident's data is being prepared."))
    return redirect("desk:privacy:data", resident_id=resident_id)


@counter_required
def desk_export_download(
    request: AuthenticatedHttpRequest, resident_id: int, pk: int
) -> HttpResponse | FileResponse:
    access = resident_access_get(staff=request.user, resident_id=resident_id)
    export = selectors.data_export_get_for_resident(resident=access.resident, export_id=pk)
    try:
        handle = services.data_export_download(
            export=export, actor=request.user, context=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("desk:privacy:data", resident_id=resident_id)
    return file_response(
        file=handle, filename=f"resident-data-{export.pk}.zip", content_type="application/zip"
    )
