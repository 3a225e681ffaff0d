"""The resident's own data pages, mounted at /my-data/ (namespace `privacy`): download a copy,
close the account, see who at the city looked at a case."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.cases.forms import SignForm
from apps.core.exceptions import ApplicationError
from apps.core.http import file_response

from .. import selectors, services


@login_required
def data_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "resident/privacy/home.html",
        {
            "exports": selectors.data_export_list(resident=request.user)[:10],
            "days": services.export_days(),
        },
    )


@login_required
@require_POST
def export_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        services.data_export_request(
            resident=request.user, actor=request.user, context=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("We are preparing a copy of your data. We will tell you when it is ready."),
        )
    return redirect("privacy:home")


@login_required
def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | FileResponse:
    export = selectors.data_export_get_for_resident(resident=request.user, export_id=pk)
    try:
        handle = services.data_export_download(
            export=export, actor=request.user, context=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:home")
    return file_response(
        file=handle, filename=f"my-data-{export.pk}.zip", content_type="application/zip"
    )


@login_required
def account_close(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = SignForm(request.POST or None, user=user)
    code_sent = request.session.get("close-code-sent")
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            if "send_code" in request.POST:
                services.account_closure_code_send(resident=user, channel=channel)
                request.session["close-code-sent"] = channel
                messages.success(request, _("We sent you a code. It is valid for 10 minutes."))
                return redirect("privacy:close")
            if not request.POST.get("confirm"):
                raise ApplicationError(_("Tick the box to confirm you want to close the account."))
            services.account_close(
                resident=user,
                actor=user,
                code=form.cleaned_data["code"],
                channel=channel,
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            logout(request)
            return redirect("privacy:closed")
    return render(
        request,
        "resident/privacy/close.html",
        {
            "form": form,
            "code_sent": code_sent,
            "blockers": services.account_closure_blockers(resident=user),
        },
    )


def account_closed(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "resident/privacy/closed.html")


@login_required
def case_views(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    case = selectors.resident_case_get(resident=request.user, ref=ref)
    return render(
        request,
        "resident/privacy/case_views.html",
        {"case": case, "views": selectors.case_staff_views(case=case)},
    )
