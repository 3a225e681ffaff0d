"""The resident's certificates, mounted at /certificates/ (namespace `certificates`): the
wallet and each certificate's sealed PDF. Using one in an application instead of an upload is
a button of the application's own step page (`apps/cases/provided.py`)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from apps.accounts.http import AuthenticatedHttpRequest
from apps.core.http import file_response

from .. import selectors
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
