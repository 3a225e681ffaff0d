"""The resident's family pages (/family/): bind family proxies, act for a bound relative,
revoke mandates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.cases import selectors as case_selectors
from apps.cases import services as case_services
from apps.cases.forms import SignForm
from apps.catalog.selectors import service_get, service_list
from apps.core.exceptions import ApplicationError

from .. import selectors, services
from ..forms import FamilyInviteForm, RevokeForm


@login_required
def family_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "resident/family/home.html",
        {
            "links_as_resident": selectors.family_links_of_resident(resident=user),
            "links_as_member": selectors.family_links_of_member(member=user),
            "mandates": selectors.mandate_list(resident=user),
            "invite_form": FamilyInviteForm(prefix="invite"),
            "request_form": FamilyInviteForm(prefix="ask"),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_POST
def family_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    """As the resident: name a family member. As a member (`as=member`): name the resident."""
    as_member = request.POST.get("as") == "member"
    form = FamilyInviteForm(request.POST, prefix="ask" if as_member else "invite")
    if form.is_valid():
        try:
            services.family_invite(
                actor=request.user,
                resident=None if as_member else request.user,
                member=request.user if as_member else None,
                login=form.cleaned_data["login"],
                relationship=form.cleaned_data["relationship"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Sent. The other person confirms on their Family page."))
    else:
        messages.error(request, _("Type an email address or mobile phone number."))
    return redirect("helpdesk:home")


@login_required
@require_POST
def family_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = selectors.family_link_get_for_user(user=request.user, link_id=pk)
    try:
        services.family_confirm(
            link=link, actor=request.user, context=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The family account is bound."))
    return redirect("helpdesk:home")


@login_required
@require_POST
def family_unbind(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = selectors.family_link_get_for_user(user=request.user, link_id=pk)
    services.family_unbind(
        link=link, actor=request.user, context=AuditContext.from_request(request)
    )
    messages.success(request, _("Unbound. They can no longer see or act on the cases."))
    return redirect("helpdesk:home")


def _bound_resident(request: AuthenticatedHttpRequest, resident_id: int) -> User:
    link = selectors.family_active_link(resident_id=resident_id, member=request.user)
    if link is None:
        raise PermissionDenied
    return link.resident


@login_required
def family_for(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    resident = _bound_resident(request, resident_id)
    cases = selectors.family_case_list(member=request.user, resident=resident)
    return render(
        request,
        "resident/family/for.html",
        {"resident": resident, "cases": cases, "services": service_list()},
    )


@login_required
@require_POST
def family_apply(request: AuthenticatedHttpRequest, resident_id: int, code: str) -> HttpResponse:
    resident = _bound_resident(request, resident_id)
    service = service_get(code=code)
    try:
        case = case_services.case_create_draft(
            service=service,
            applicant=resident,
            actor=request.user,
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("helpdesk:for", resident_id=resident.pk)
    return redirect("cases:step", ref=case.ref, step=1)


@login_required
def family_sign(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    """A bound family member signs with their own code, on behalf of the resident."""
    case = case_selectors.case_get_for_user(user=request.user, ref=ref)
    resident = _bound_resident(request, case.applicant_id)
    if not case.is_editable:
        return redirect("cases:detail", ref=case.ref)
    form = SignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            if "send_code" in request.POST:
                case_services.case_signature_code_send(
                    case=case, actor=request.user, channel=channel
                )
                messages.success(request, _("We sent you a code. It is valid for 10 minutes."))
                return redirect("helpdesk:sign", ref=case.ref)
            case = case_services.case_submit(
                case=case,
                actor=request.user,
                code=form.cleaned_data["code"],
                channel=channel,
                context=AuditContext.from_request(request),
                on_behalf_of=resident,
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            return redirect("cases:submitted", ref=case.ref)
    return render(
        request,
        "resident/family/sign.html",
        {
            "case": case,
            "resident": resident,
            "form": form,
            "declaration": case_services.case_declaration(case=case),
        },
    )


@login_required
@require_POST
def mandate_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mandate = selectors.mandate_get(mandate_id=pk, resident=request.user)
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
        messages.success(
            request, _("The mandate is revoked. The service point can no longer act for you.")
        )
    return redirect("helpdesk:home")
