"""Finding a resident, opening an assisted account, and checking identity at the counter."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error

from ... import selectors, services
from ...forms import (
    AssistedAccountForm,
    FamilyInviteForm,
    IdentityCheckFields,
    RevokeForm,
    SearchForm,
)
from .common import counter_required

# Service errors name the service's keys; the form's fields may be named differently.
ACCOUNT_FIELD_NAMES = {"phone": "resident_phone"}


@counter_required
def resident_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """查询: by the full ID number or phone only, with a reason; POST, so no number is kept
    in a URL. Nobody is listed without a search."""
    form = SearchForm(request.POST or None)
    results = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                lookups = services.resident_lookup(
                    staff=request.user,
                    query=data["q"],
                    reason=data["reason"],
                    reason_text=data["reason_text"],
                    context=AuditContext.from_request(request),
                )
            except ApplicationError as exc:
                form_add_application_error(form, exc)
            else:
                results = [
                    selectors.resident_card(
                        viewer=request.user,
                        access=selectors.resident_access_get(
                            staff=request.user, resident_id=lookup.resident_id
                        ),
                    )
                    for lookup in lookups
                ]
        if form.errors:
            status = 400
    return render(request, "desk/search.html", {"form": form, "results": results}, status=status)


@counter_required
def resident_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AssistedAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resident = services.assisted_account_open(
                actor=request.user,
                real_name=data["real_name"],
                id_number=data["id_number"],
                phone=data["resident_phone"],
                address=data["address"],
                preferred_contact=data["preferred_contact"],
                family_phone=data["family_phone"],
                document_type=data["document_type"],
                last_digits=data["last_digits"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc, field_names=ACCOUNT_FIELD_NAMES)
        else:
            messages.success(request, _("The assisted account is open."))
            return redirect("desk:helpdesk:resident", resident_id=resident.pk)
    return render(request, "desk/resident_new.html", {"form": form})


@counter_required
def resident_detail(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    access = selectors.resident_access_get(staff=request.user, resident_id=resident_id)
    resident = access.resident
    services.resident_view_record(
        viewer=request.user,
        resident=resident,
        context=AuditContext.from_request(request),
        access=access.via,
    )
    return render(
        request,
        "desk/resident.html",
        {
            "resident": resident,
            "card": selectors.resident_card(viewer=request.user, access=access),
            "checks": selectors.identity_checks_of(resident=resident)[:10],
            "mandates": selectors.mandate_list(resident=resident),
            "links": selectors.family_links_of_resident(resident=resident),
            "cases": selectors.resident_cases_for_counter(access=access),
            "check_form": IdentityCheckFields(),
            "invite_form": FamilyInviteForm(),
            "revoke_form": RevokeForm(),
            "today": timezone.localdate(),
        },
    )


@counter_required
@require_POST
def identity_check(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    resident = selectors.resident_access_get(staff=request.user, resident_id=resident_id).resident
    form = IdentityCheckFields(request.POST)
    if form.is_valid():
        try:
            services.identity_check_record(
                actor=request.user,
                resident=resident,
                context=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except ApplicationError as exc:
            messages.error(request, _flatten(exc))
        else:
            messages.success(request, _("The identity check is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("desk:helpdesk:resident", resident_id=resident.pk)


def _flatten(exc: ApplicationError) -> str:
    details = [str(m) for errs in exc.errors.values() for m in errs]
    return " ".join([str(exc.message), *details])
