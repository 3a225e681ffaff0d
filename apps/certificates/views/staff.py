"""The issuing department's certificates, mounted at /staff/certificates/ (namespace
`staff:staff_certificates`): find one, revoke it, replace it. Who may is the services' rule."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error
from apps.core.pagination import seek_page_for_request

from .. import selectors, services
from ..forms import CertificateReplaceForm, CertificateRevokeForm, CertificateSearchForm
from ..provider import certificate_fields_display


@staff_required()
def certificate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    search_form = CertificateSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    return render(
        request,
        "staff/certificates/list.html",
        {
            "search_form": search_form,
            "certificates": seek_page_for_request(
                request,
                selectors.certificate_list_for_staff(user=request.user, query=query),
                keys=selectors.STAFF_CERTIFICATE_ORDER,
            ),
        },
    )


@staff_required()
def certificate_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_staff(user=request.user, number=number)
    revoke_form = CertificateRevokeForm(prefix="revoke")
    replace_form = CertificateReplaceForm(prefix="replace", certificate=certificate)
    if request.method == "POST":
        context = AuditContext.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "revoke":
                revoke_form = CertificateRevokeForm(request.POST, prefix="revoke")
                if revoke_form.is_valid():
                    services.certificate_revoke(
                        certificate=certificate,
                        actor=request.user,
                        reason=revoke_form.cleaned_data["reason"],
                        context=context,
                    )
                    messages.success(request, _("The certificate is revoked; the holder is told."))
                    return redirect("staff:staff_certificates:detail", number=certificate.number)
            elif action == "replace":
                replace_form = CertificateReplaceForm(
                    request.POST, prefix="replace", certificate=certificate
                )
                if replace_form.is_valid():
                    successor = services.certificate_replace(
                        certificate=certificate,
                        actor=request.user,
                        reason=replace_form.cleaned_data["reason"],
                        fields=replace_form.field_values(),
                        valid_until=replace_form.cleaned_data["valid_until"],
                        context=context,
                    )
                    messages.success(request, _("The certificate is replaced; the holder is told."))
                    return redirect("staff:staff_certificates:detail", number=successor.number)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ApplicationError as exc:
            form_add_application_error(revoke_form if action == "revoke" else replace_form, exc)
    return render(
        request,
        "staff/certificates/detail.html",
        {
            "certificate": certificate,
            "fields": certificate_fields_display(certificate=certificate),
            "revoke_form": revoke_form,
            "replace_form": replace_form,
            "may_end": services.certificate_may(
                actor=request.user, department=certificate.issuing_department, roles=("lead",)
            ),
        },
    )
