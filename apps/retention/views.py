"""Staff pages for records officers and department leads, under /staff/retention/: the
retention schedule, the cases on legal hold, the destruction lists and their four-eyes
approval, the sealed report. Role checks are the services'; these pages parse and render."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import StaffMembership
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error
from apps.core.http import file_response

from . import selectors, services
from .forms import ApproveForm, HoldClearForm, LegalHoldForm, RejectForm

Role = StaffMembership.Role
RECORDS_ROLES = (Role.RECORDS_OFFICER, Role.LEAD)


def _index(
    request: AuthenticatedHttpRequest, *, hold_form: LegalHoldForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "staff/retention/index.html",
        {
            "schedule": selectors.schedule_rows(),
            "lists": selectors.destruction_lists_for_user(user=request.user)[:50],
            "holds": selectors.holds_list(user=request.user)[:100],
            "hold_form": hold_form or LegalHoldForm(),
            "clear_form": HoldClearForm(),
        },
        status=status,
    )


@staff_required(*RECORDS_ROLES)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _index(request)


@staff_required(*RECORDS_ROLES)
@require_POST
def hold_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        case = selectors.case_for_hold(user=request.user, number=form.cleaned_data["case"])
        if case is None:
            form.add_error("case", _("No case with this number in your departments."))
            return _index(request, hold_form=form, status=400)
        try:
            services.legal_hold_set(
                case=case,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("%(number)s is on legal hold.") % {"number": case.ref})
            return redirect("staff:staff_retention:index")
    return _index(request, hold_form=form, status=400)


@staff_required(*RECORDS_ROLES)
@require_POST
def hold_clear(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    form = HoldClearForm(request.POST)
    case = selectors.case_for_hold(user=request.user, number=number)
    if case is None:
        raise Http404
    if form.is_valid():
        try:
            services.legal_hold_clear(
                case=case,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The hold on %(number)s is lifted.") % {"number": case.ref})
    else:
        messages.error(request, _("Say why the hold is lifted."))
    return redirect("staff:staff_retention:index")


def _detail(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    approve_form: ApproveForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    destruction_list = selectors.destruction_list_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "staff/retention/list.html",
        {
            "list": destruction_list,
            "items": selectors.destruction_items(destruction_list=destruction_list),
            "approve_form": approve_form or ApproveForm(),
            "reject_form": reject_form or RejectForm(),
            "open": destruction_list.state in selectors.OPEN_FOR_APPROVAL,
        },
        status=status,
    )


@staff_required(*RECORDS_ROLES)
def list_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@staff_required(*RECORDS_ROLES)
@require_POST
def list_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    destruction_list = selectors.destruction_list_get_for_user(user=request.user, pk=pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.destruction_list_approve(
                destruction_list=destruction_list,
                actor=request.user,
                as_role=form.cleaned_data["as_role"],
                note=form.cleaned_data["note"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("Your approval is recorded."))
            return redirect("staff:staff_retention:list", pk=pk)
    return _detail(request, pk, approve_form=form, status=400)


@staff_required(*RECORDS_ROLES)
@require_POST
def list_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    destruction_list = selectors.destruction_list_get_for_user(user=request.user, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.destruction_list_reject(
                destruction_list=destruction_list,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, _("The list is rejected; nothing was destroyed."))
            return redirect("staff:staff_retention:list", pk=pk)
    return _detail(request, pk, reject_form=form, status=400)


@staff_required(*RECORDS_ROLES)
@require_POST
def list_report_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    destruction_list = selectors.destruction_list_get_for_user(user=request.user, pk=pk)
    services.destruction_list_report_issue(destruction_list=destruction_list, actor=request.user)
    messages.success(request, _("The report is sealed and ready to download."))
    return redirect("staff:staff_retention:list", pk=pk)


@staff_required(*RECORDS_ROLES)
def list_report(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    destruction_list = selectors.destruction_list_get_for_user(user=request.user, pk=pk)
    document = selectors.destruction_list_report(destruction_list=destruction_list)
    return file_response(
        file=document.file.open("rb"),
        filename=f"destruction-list-{destruction_list.pk}.pdf",
        content_type="application/pdf",
    )
