"""Acting for a resident under a mandate: their applications, complaints and letters."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.cases import selectors as case_selectors
from apps.cases import services as case_services
from apps.cases.models import Case
from apps.cases.prefill import case_prefill_sources
from apps.cases.timeline import staff_verb_label
from apps.catalog.forms import file_field_keys, step_form_class
from apps.catalog.selectors import field_definition_list, service_get, service_list
from apps.catalog.services import answers_summary
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error

from ... import selectors, services
from ...forms import StaffCodeForm
from ...models import Mandate
from .common import ACTING_SESSION_KEY, acting_session_end, counter_required

P = ParamSpec("P")
ActingView = Callable[
    Concatenate[AuthenticatedHttpRequest, User, Mandate | None, P], HttpResponseBase
]


def acting_required(
    view: ActingView[P],
) -> Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponseBase]:
    """The resident and mandate this session acts for; the mandate is checked again per action
    (None when it is gone: the service refuses, saying why)."""

    @counter_required
    @wraps(view)
    def wrapped(
        request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponseBase:
        acting = request.session.get(ACTING_SESSION_KEY)
        if not acting:
            messages.info(request, _("Find the resident and start acting for them first."))
            return redirect("desk:home")
        try:
            access = selectors.resident_access_get(
                staff=request.user, resident_id=acting["resident"]
            )
        except Http404:
            # The mandate ended and no look-up or assisted account keeps the resident open.
            acting_session_end(request)
            messages.info(request, _("You no longer act for this resident. Find them again."))
            return redirect("desk:home")
        resident = access.resident
        mandate = selectors.mandate_find(mandate_id=acting["mandate"], resident=resident)
        return view(request, resident, mandate, *args, **kwargs)

    return wrapped


@counter_required
@require_POST
def acting_start(request: AuthenticatedHttpRequest, resident_id: int) -> HttpResponse:
    resident = selectors.resident_access_get(staff=request.user, resident_id=resident_id).resident
    mandate_id = request.POST.get("mandate", "")
    mandate = selectors.mandate_find(
        mandate_id=int(mandate_id) if mandate_id.isdigit() else None, resident=resident
    )
    try:
        mandate = services.acting_start(
            staff=request.user,
            resident=resident,
            mandate=mandate,
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("desk:helpdesk:resident", resident_id=resident.pk)
    request.session[ACTING_SESSION_KEY] = {"resident": resident.pk, "mandate": mandate.pk}
    return redirect("desk:helpdesk:act-home")


@counter_required
@require_POST
def acting_stop(request: AuthenticatedHttpRequest) -> HttpResponse:
    acting = acting_session_end(request)
    if acting.get("resident"):
        return redirect("desk:helpdesk:resident", resident_id=acting["resident"])
    return redirect("desk:home")


@acting_required
def act_home(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None
) -> HttpResponse:
    return render(
        request,
        "desk/act_home.html",
        {
            "resident": resident,
            "mandate": mandate,
            "services": service_list(),
            "cases": selectors.resident_cases(resident=resident),
        },
    )


@acting_required
@require_POST
def act_apply(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None, code: str
) -> HttpResponse:
    service = service_get(code=code)
    try:
        case = services.acting_case_create(
            staff=request.user,
            resident=resident,
            mandate=mandate,
            service=service,
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("desk:helpdesk:act-home")
    return redirect("desk:helpdesk:act-step", ref=case.ref, step=1)


@acting_required
def act_complaint(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None
) -> HttpResponse:
    """Report a problem for the resident (12345 work order), filed at the counter."""
    from apps.complaints.forms import ComplaintForm

    # The resident's own name and phone are known: the form leaves out the caller fields.
    form = ComplaintForm(request.POST or None, request.FILES or None, user=resident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, code = services.acting_complaint_file(
                staff=request.user,
                resident=resident,
                mandate=mandate,
                service=data["category"],
                complaint_type=data["complaint_type"],
                urgency=data["urgency"],
                description=data["description"],
                address=data.get("address", ""),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                photos=data.get("photos") or [],
                hide_identity=data.get("hide_identity", False),
                answers=form.answers(),
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc, field_names=form.service_field_names())
        else:
            messages.success(
                request,
                _("Complaint %(number)s is filed for %(name)s. Extraction code: %(code)s")
                % {"number": case.number, "name": resident, "code": code},
            )
            return redirect("desk:helpdesk:act-home")
    return render(
        request, "desk/act_complaint.html", {"form": form, "resident": resident, "mandate": mandate}
    )


def _steps(case: Case) -> list[dict]:
    return [{"number": n, "title": case.version.step_title(n)} for n in case.version.step_numbers()]


@acting_required
def act_step(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None, ref: str, step: int
) -> HttpResponse:
    case = selectors.resident_case_get(resident=resident, ref=ref)
    if not case.is_editable:
        return redirect("desk:helpdesk:act-case", ref=case.ref)
    steps = _steps(case)
    if step not in {s["number"] for s in steps}:
        raise Http404
    form_class = step_form_class(case.version, step)
    allowed = case_services.editable_keys(case=case)
    refusal = None
    sources = case_prefill_sources(case=case)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, initial=case.answers)
        form.show_sources(sources)
        form.full_clean()
        answers = {
            key: value
            for key, value in form.answers().items()
            if key not in form.errors and (allowed is None or key in allowed)
        }
        try:
            if answers:
                services.acting_answers_update(
                    case=case,
                    staff=request.user,
                    mandate=mandate,
                    answers=answers,
                    context=AuditContext.from_request(request),
                )
            for key, uploads in form.files_by_key().items():
                if key in form.errors or (allowed is not None and key not in allowed):
                    continue
                for upload in uploads:
                    try:
                        services.acting_attachment_add(
                            case=case,
                            staff=request.user,
                            mandate=mandate,
                            field_key=key,
                            upload=upload,
                            context=AuditContext.from_request(request),
                        )
                    except services.MandateRefused:
                        raise
                    except ApplicationError as exc:
                        form.add_error(key, exc.message)
        except services.MandateRefused as exc:
            refusal = exc.message
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        if refusal is None:
            attachments = case_selectors.attachments_by_field(case=case)
            for key in file_field_keys(case.version, step):
                definition = form.definitions[key]
                if definition.required and not attachments.get(key) and key not in form.errors:
                    form.add_error(key, _("Add this document."))
            if not form.errors:
                numbers = [s["number"] for s in steps]
                if request.GET.get("return") == "check" or step == numbers[-1]:
                    return redirect("desk:helpdesk:act-check", ref=case.ref)
                return redirect(
                    "desk:helpdesk:act-step", ref=case.ref, step=numbers[numbers.index(step) + 1]
                )
    else:
        form = form_class(initial=case.answers)
        form.show_sources(sources)
    if allowed is not None:
        for key, field in form.fields.items():
            if key not in allowed:
                field.disabled = True
    return render(
        request,
        "desk/act_step.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "step_labels": [s["title"] for s in steps],
            "step_position": [s["number"] for s in steps].index(step) + 1,
            "step_title": case.version.step_title(step),
            "attachments": case_selectors.attachments_by_field(case=case),
        },
        status=403 if refusal else 200,
    )


@acting_required
def act_check(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None, ref: str
) -> HttpResponse:
    case = selectors.resident_case_get(resident=resident, ref=ref)
    if not case.is_editable:
        return redirect("desk:helpdesk:act-case", ref=case.ref)
    fields = {f.key: f for f in field_definition_list(version=case.version)}
    return render(
        request,
        "desk/act_check.html",
        {
            "case": case,
            "summary": answers_summary(version=case.version, answers=case.answers),
            "attachments": case_selectors.attachments_by_field(case=case),
            "file_fields": [f for f in fields.values() if f.is_file],
            "errors": case_services.case_submission_errors(case=case),
            "labels": {key: field.label for key, field in fields.items()},
        },
    )


@acting_required
def act_sign(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None, ref: str
) -> HttpResponse:
    case = selectors.resident_case_get(resident=resident, ref=ref)
    if not case.is_editable:
        return redirect("desk:helpdesk:act-case", ref=case.ref)
    form = StaffCodeForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            case = services.assisted_case_submit(
                case=case,
                staff=request.user,
                mandate=mandate,
                code=form.cleaned_data["code"],
                context=AuditContext.from_request(request),
            )
        except services.MandateRefused as exc:
            refusal = exc.message
            form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            messages.success(
                request,
                _("Submitted as %(number)s. Print the receipt for the resident.")
                % {"number": case.number},
            )
            return redirect("desk:helpdesk:act-case", ref=case.ref)
    return render(
        request,
        "desk/act_sign.html",
        {
            "case": case,
            "form": form,
            "mandate": mandate,
            "declaration": case_services.case_declaration(case=case),
        },
        status=403 if refusal else 200,
    )


@acting_required
def act_case(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None, ref: str
) -> HttpResponse:
    case = selectors.resident_case_get(resident=resident, ref=ref)
    timeline = [
        {"event": event, "label": staff_verb_label(event.verb)}
        for event in case_selectors.case_timeline(case=case)
    ]
    return render(
        request,
        "desk/act_case.html",
        {
            "case": case,
            "timeline": timeline,
            "documents": selectors.case_document_list(case=case),
        },
    )


@acting_required
@require_POST
def act_status_letter(
    request: AuthenticatedHttpRequest, resident: User, mandate: Mandate | None, ref: str
) -> FileResponse:
    case = selectors.resident_case_get(resident=resident, ref=ref)
    document = services.case_status_letter_issue(
        case=case, actor=request.user, mandate=mandate, context=AuditContext.from_request(request)
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{case.ref}-letter.pdf",
        content_type="application/pdf",
    )
