"""The resident's certificates, mounted at /certificates/ (namespace `certificates`): the
wallet, each certificate's sealed PDF, and using one in an application instead of an upload."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.cases.selectors import case_get_for_user
from apps.core.exceptions import ApplicationError
from apps.core.http import file_response, safe_next_url

from .. import selectors, services
from ..forms import CertificateUseForm
from ..provider import certificate_fields_display


@login_required
def wallet(request: AuthenticatedHttpRequest) -> HttpResponse:
    certificates = list(selectors.certificate_list_for_holder(user=request.user))
    return render(
        request,
        "resident/certificates/wallet.html",
        {
            "certificates": [
                {"certificate": c, "fields": certificate_fields_display(certificate=c)}
                for c in certificates
            ]
        },
    )


@login_required
def certificate_pdf(request: AuthenticatedHttpRequest, number: str) -> FileResponse:
    certificate = selectors.certificate_get_for_holder(user=request.user, number=number)
    if certificate.document is None:
        raise Http404
    return file_response(
        file=certificate.document.file.open("rb"),
        inline=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )


def _back(request: AuthenticatedHttpRequest, ref: str) -> str:
    return safe_next_url(request, reverse("cases:check", args=[ref]))


@login_required
@require_POST
def case_use(request: AuthenticatedHttpRequest, ref: str, field: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, ref=ref)
    form = CertificateUseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the certificates offered."))
        return redirect(_back(request, case.ref))
    try:
        services.case_certificate_link(
            case=case,
            actor=request.user,
            field_key=field,
            number=form.cleaned_data["number"],
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The certificate is used for this document: no upload needed."))
    return redirect(_back(request, case.ref))


@login_required
@require_POST
def case_unlink(request: AuthenticatedHttpRequest, ref: str, field: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, ref=ref)
    try:
        services.case_certificate_unlink(
            case=case,
            actor=request.user,
            field_key=field,
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, case.ref))
