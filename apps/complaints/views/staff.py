"""Staff complaint pages (/staff/complaints/): the dispatchers' triage, the departments' work
orders, supervision (overdue and extensions), filing for a caller, and the work order page with
only the actions the workflow allows now. Thin: parse, call one service, render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import StaffMembership, User
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.cases.selectors import is_supervisor
from apps.cases.services import case_staff_view_record
from apps.cases.timeline import staff_verb_label
from apps.catalog.services import answers_summary
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.forms import form_add_application_error, form_files_not_kept
from apps.core.http import file_response
from apps.core.pagination import seek_page_for_request

from .. import selectors, services
from ..forms import (
    AskForm,
    ComplaintExtendForm,
    ComplaintNoteForm,
    ComplaintReturnForm,
    DispatchForm,
    MergeForm,
    ReopenForm,
    ReplyForm,
    StaffComplaintForm,
)
from ..models import Complaint

R = StaffMembership.Role


@staff_required()
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "staff/complaints/queue.html",
        {
            # Keyset pages (apps.core.pagination): next/previous links, no counts.
            "triage": seek_page_for_request(
                request,
                selectors.complaint_triage_list(),
                keys=selectors.TRIAGE_ORDER,
                param="triage",
            )
            if selectors.is_dispatcher(user=user)
            else None,
            "mine": seek_page_for_request(
                request,
                selectors.complaint_department_list(user=user),
                keys=selectors.DEPARTMENT_ORDER,
                param="mine",
            ),
            "overdue": seek_page_for_request(
                request,
                selectors.complaint_overdue_list(),
                keys=selectors.COMPLAINT_OVERDUE_ORDER,
                param="overdue",
            )
            if is_supervisor(user=user)
            else None,
            "extensions": selectors.complaint_pending_extensions()
            if is_supervisor(user=user)
            else None,
        },
    )


@staff_required(R.DISPATCHER, R.COUNTER)
def complaint_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A caller on the hotline, or a resident at the counter: staff file it for them."""
    form = StaffComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case, code = services.complaint_file(
                service=data["category"],
                actor=request.user,
                complaint_type=data["complaint_type"],
                urgency=data["urgency"],
                description=data["description"],
                address=data.get("address", ""),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                photos=data.get("photos") or [],
                hide_identity=data.get("hide_identity", False),
                channel=data["channel"],
                reporter_name=data.get("reporter_name", ""),
                reporter_phone=data.get("reporter_phone", ""),
                answers=form.answers(),
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc, field_names=form.service_field_names())
        else:
            messages.success(
                request,
                _("Filed as %(number)s. Read the extraction code to the caller: %(code)s")
                % {"number": case.number, "code": code},
            )
            return redirect("staff:staff_complaints:detail", ref=case.number)
    if request.method == "POST":
        form_files_not_kept(form)
    return render(request, "staff/complaints/new.html", {"form": form})


def _forms(data: QueryDict | None = None) -> dict[str, Form]:
    return {
        "dispatch": DispatchForm(data),
        "merge": MergeForm(data),
        "return": ComplaintReturnForm(data),
        "reply": ReplyForm(data),
        "ask": AskForm(data),
        "extend": ComplaintExtendForm(data),
        "note": ComplaintNoteForm(data),
        "reopen": ReopenForm(data),
    }


def _render_detail(
    request: AuthenticatedHttpRequest,
    case: Complaint,
    *,
    forms: dict[str, Form] | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    if not case.hide_identity or selectors.identity_visible_to(case=case, user=user):
        case_staff_view_record(case=case, actor=user, context=AuditContext.from_request(request))
    forms = forms or _forms()
    if case.lead_department_id and not forms["dispatch"].is_bound:
        forms["dispatch"].initial = {"department": case.lead_department_id}
    return render(
        request,
        "staff/complaints/detail.html",
        {
            "case": case,
            "reporter": selectors.complaint_reporter_shown(case=case, user=user),
            "actions": selectors.complaint_staff_actions(case=case, user=user),
            "forms": forms,
            "conflict": conflict,
            "timeline": [
                {"event": e, "label": staff_verb_label(e.verb)} for e in case.events.all()
            ],
            "photos": [a for a in case.attachments.all() if a.field_key == "photo"],
            "answers": [
                row
                for row in answers_summary(version=case.version, answers=case.answers)
                if row["value"]
            ]
            if case.answers
            else [],
        },
        status=status,
    )


@staff_required()
def detail(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
    return _render_detail(request, case)


@staff_required()
def photo(request: AuthenticatedHttpRequest, ref: str, pk: int) -> FileResponse:
    case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
    item = next((a for a in case.attachments.all() if a.pk == pk), None)
    if item is None:
        raise Http404
    case_staff_view_record(
        case=case,
        actor=request.user,
        context=AuditContext.from_request(request),
        file=f"attachment:{item.pk}",
    )
    return file_response(
        file=item.file.open("rb"),
        filename=item.original_name,
        content_type=item.content_type,
        inline=True,
    )


# One staff action per form: each parses its cleaned data and calls one service.
Action = Callable[[Complaint, User, dict[str, Any], AuthenticatedHttpRequest], object]


def _dispatch(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_dispatch(
        case=case,
        actor=user,
        department=data["department"],
        co_departments=data.get("co_departments") or [],
        note=data.get("note", ""),
        context=AuditContext.from_request(request),
    )


def _merge(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    into = selectors.complaint_merge_target_get(number=data["into"])
    return services.complaint_merge(
        case=case,
        actor=user,
        into=into,
        note=data.get("note", ""),
        context=AuditContext.from_request(request),
    )


def _sign(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_sign(
        case=case, actor=user, context=AuditContext.from_request(request)
    )


def _return(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_return(
        case=case,
        actor=user,
        reason=data.get("reason", ""),
        legal_basis=data.get("legal_basis", ""),
        context=AuditContext.from_request(request),
    )


def _reply(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_reply(
        case=case, actor=user, text=data.get("text", ""), context=AuditContext.from_request(request)
    )


def _reopen(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_reopen(
        case=case,
        actor=user,
        comment=data.get("comment", ""),
        context=AuditContext.from_request(request),
    )


def _ask(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_ask(
        case=case,
        actor=user,
        question=data["question"],
        due=data["due"],
        context=AuditContext.from_request(request),
    )


def _extend(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_extension_request(
        case=case,
        actor=user,
        days=data["days"],
        reason=data["reason"],
        context=AuditContext.from_request(request),
    )


def _note(
    case: Complaint, user: User, data: dict[str, Any], request: AuthenticatedHttpRequest
) -> object:
    return services.complaint_note_add(
        case=case, actor=user, note=data["note"], context=AuditContext.from_request(request)
    )


ACTIONS: dict[str, Action] = {
    "dispatch": _dispatch,
    "merge": _merge,
    "sign": _sign,
    "return": _return,
    "reply": _reply,
    "reopen": _reopen,
    "ask": _ask,
    "extend": _extend,
    "note": _note,
}


@staff_required()
@require_POST
def action(request: AuthenticatedHttpRequest, ref: str, action: str) -> HttpResponse:
    case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
    forms = _forms()
    run = ACTIONS.get(action)
    if run is None:
        raise Http404
    data: dict[str, Any] = {}
    if action != "sign":
        form = forms[action].__class__(request.POST)
        forms[action] = form
        if not form.is_valid():
            return _render_detail(request, case, forms=forms, status=400)
        data = form.cleaned_data
    try:
        run(case, request.user, data, request)
    except ConflictError as exc:
        case = selectors.complaint_get_for_staff(user=request.user, ref=ref)
        return _render_detail(request, case, forms=forms, conflict=str(exc.message), status=409)
    except ApplicationError as exc:
        action_form = forms.get(action)
        if action_form is None:  # an action without a form (sign): the refusal goes to the top
            return _render_detail(request, case, forms=forms, conflict=str(exc.message), status=400)
        form_add_application_error(action_form, exc)
        return _render_detail(request, case, forms=forms, status=400)
    messages.success(request, _("Done."))
    try:
        selectors.complaint_get_for_staff(user=request.user, ref=ref)
    except Http404:  # returned or merged: no longer this department's
        return redirect("staff:staff_complaints:queue")
    return redirect("staff:staff_complaints:detail", ref=ref)


@staff_required(R.SUPERVISOR)
@require_POST
def extension_decide(request: AuthenticatedHttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "refuse"):
        raise Http404
    extension = selectors.complaint_extension_get(pk=pk)
    try:
        services.complaint_extension_decide(
            extension=extension,
            actor=request.user,
            approve=decision == "approve",
            context=AuditContext.from_request(request),
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decided."))
    return redirect("staff:staff_complaints:queue")
