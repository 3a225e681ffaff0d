"""The case page for staff, with only the actions the workflow allows now: notes, extensions,
intake, the decision, the review tasks of the viewer's department, and the lead's answer to an
extension request. Thin: parse, call a service, render."""

from collections.abc import Callable
from typing import Any

from csp.constants import SELF
from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import StaffMembership
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.catalog.services import answers_summary
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.forms import form_add_application_error

from ... import selectors, services
from ...display import applicant_name
from ...forms import (
    AcceptForm,
    ApproveTaskForm,
    DecideForm,
    ExtendForm,
    NoteForm,
    RefuseForm,
    RejectTaskForm,
    ReturnForm,
)
from ...models import Case, ReviewTask
from ...provided import provided_documents
from ...services.notes import case_note_add
from ...timeline import staff_verb_label
from .common import INLINE_TYPES, csp_replace


def _default_forms(case: Case, actions: dict[str, Any]) -> dict[str, Form]:
    defaults: dict[str, Form] = {
        "note": NoteForm(prefix="note"),
        "accept": AcceptForm(prefix="accept"),
        "refuse": RefuseForm(prefix="refuse"),
        "return": ReturnForm(prefix="return", case=case),
        "decide": DecideForm(prefix="decide", outcome=actions["outcome"]),
        "extend": ExtendForm(prefix="extend"),
    }
    for task in actions["tasks"]:
        defaults[f"task{task.pk}-approve"] = ApproveTaskForm(prefix=f"task{task.pk}-approve")
        defaults[f"task{task.pk}-reject"] = RejectTaskForm(prefix=f"task{task.pk}-reject")
        defaults[f"task{task.pk}-return"] = ReturnForm(prefix=f"task{task.pk}-return", case=case)
    return defaults


@csp_replace({"object-src": [SELF]})
def _render_case(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    bound: dict[str, Form] | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    # 个人信息: every staff view of a resident's case is on the audit chain.
    services.case_staff_view_record(
        case=case, actor=request.user, context=AuditContext.from_request(request)
    )
    actions = selectors.case_staff_actions(case=case, user=request.user)
    forms = {**_default_forms(case, actions), **(bound or {})}
    rounds: dict[int, list[ReviewTask]] = {}
    for task in case.review_tasks.all():
        rounds.setdefault(task.round, []).append(task)
    return render(
        request,
        "staff/cases/detail.html",
        {
            "case": case,
            "applicant_name": applicant_name(case),
            "actions": actions,
            "forms": forms,
            "my_tasks": [
                {
                    "task": task,
                    "approve": forms[f"task{task.pk}-approve"],
                    "reject": forms[f"task{task.pk}-reject"],
                    "return": forms[f"task{task.pk}-return"],
                }
                for task in actions["tasks"]
            ],
            "conflict": conflict,
            "summary": answers_summary(
                version=case.version,
                answers=case.answers,
                mask_id_numbers=not selectors.case_shows_full_id_numbers(
                    case=case, user=request.user
                ),
            ),
            "attachments": [
                {"attachment": a, "inline": a.content_type in INLINE_TYPES}
                for a in case.attachments.all()
            ],
            "provided": provided_documents(case=case),
            "documents": list(case.case_documents.all()),
            "timeline": [
                {"event": event, "label": staff_verb_label(event.verb)}
                for event in case.events.all()
            ],
            "rounds": sorted(rounds.items(), reverse=True),
            "extensions": list(case.extension_requests.all()),
            "today": timezone.localdate(),
        },
        status=status,
    )


@staff_required()
def case_detail(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    case = selectors.case_get_for_staff(user=request.user, ref=ref)
    return _render_case(request, case)


def _run(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    key: str,
    form: Form,
    call: Callable[[dict[str, Any]], object],
    success: str,
    error_field: str | None = None,
) -> HttpResponse:
    """Validate `form`, call the service; show its errors on the form, keep what was typed.

    `error_field`: where an error that names no field belongs (a wrong signing code)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ConflictError as exc:
            case = selectors.case_get_for_staff(user=request.user, ref=case.ref)
            return _render_case(
                request, case, bound={key: form}, conflict=str(exc.message), status=409
            )
        except ApplicationError as exc:
            if exc.errors or error_field is None:
                form_add_application_error(form, exc)
            else:
                form.add_error(error_field, exc.message)
        else:
            messages.success(request, success)
            return redirect("staff:staff_cases:detail", ref=case.ref)
    case = selectors.case_get_for_staff(user=request.user, ref=case.ref)
    return _render_case(request, case, bound={key: form}, status=400)


@staff_required()
@require_POST
def case_action(request: AuthenticatedHttpRequest, ref: str, action: str) -> HttpResponse:
    case = selectors.case_get_for_staff(user=request.user, ref=ref)
    user = request.user
    if action == "note":
        return _run(
            request,
            case,
            key="note",
            form=NoteForm(request.POST, prefix="note"),
            call=lambda d: case_note_add(
                case=case, actor=user, note=d["note"], context=AuditContext.from_request(request)
            ),
            success=_("Your note is on the timeline. The resident does not see it."),
        )
    if action == "extend":
        return _run(
            request,
            case,
            key="extend",
            form=ExtendForm(request.POST, prefix="extend"),
            call=lambda d: services.extension_request(
                case=case,
                actor=user,
                days=d["days"],
                reason=d["reason"],
                context=AuditContext.from_request(request),
            ),
            success=_("The extension request is with the department lead."),
        )
    # Intake and the decision: who may is the services' (403 with the reason, audited).
    if action == "accept":
        return _run(
            request,
            case,
            key="accept",
            form=AcceptForm(request.POST, prefix="accept"),
            call=lambda d: services.case_accept(
                case=case, actor=user, note=d["note"], context=AuditContext.from_request(request)
            ),
            success=_("The case is accepted and the review has started."),
        )
    if action == "refuse":
        return _run(
            request,
            case,
            key="refuse",
            form=RefuseForm(request.POST, prefix="refuse"),
            call=lambda d: services.case_refuse(
                case=case,
                actor=user,
                reasons=d["reasons"],
                context=AuditContext.from_request(request),
            ),
            success=_("The case is not accepted. The resident is told why."),
        )
    if action == "return":
        return _run(
            request,
            case,
            key="return",
            form=ReturnForm(request.POST, prefix="return", case=case),
            call=lambda d: services.case_return_for_correction(
                case=case,
                actor=user,
                fields=d["fields"],
                note=d["note"],
                context=AuditContext.from_request(request),
            ),
            success=_("The case is returned to the resident for correction."),
        )
    if action == "decide":
        outcome = case.review_outcome()
        return _run(
            request,
            case,
            key="decide",
            form=DecideForm(request.POST, prefix="decide", outcome=outcome),
            call=lambda d: services.case_decide(
                case=case,
                actor=user,
                code=d["code"],
                reasons=d["reasons"],
                granted_until=d.get("granted_until"),
                context=AuditContext.from_request(request),
            ),
            success=_("The case is decided. The sealed decision letter goes to the resident."),
            error_field="code",
        )
    raise Http404


TASK_ACTIONS = {
    "approve": (ApproveTaskForm, gettext_lazy("Your department's review is approved.")),
    "reject": (RejectTaskForm, gettext_lazy("Your department's review is rejected.")),
    "return": (ReturnForm, gettext_lazy("The case is returned to the resident for correction.")),
}


@staff_required()
@require_POST
def task_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TASK_ACTIONS:
        raise Http404
    task = selectors.task_get_for_user(user=request.user, pk=pk)
    case = selectors.case_get_for_staff(user=request.user, ref=task.case.ref)
    form_class, success = TASK_ACTIONS[action]
    key = f"task{task.pk}-{action}"
    kwargs = {"case": case} if action == "return" else {}
    form = form_class(request.POST, prefix=key, **kwargs)
    user = request.user

    def call(data: dict[str, Any]) -> None:
        if action == "approve":
            services.task_approve(
                task=task,
                actor=user,
                opinion=data["opinion"],
                context=AuditContext.from_request(request),
            )
        elif action == "reject":
            services.task_reject(
                task=task,
                actor=user,
                opinion=data["opinion"],
                context=AuditContext.from_request(request),
            )
        else:
            services.task_return(
                task=task,
                actor=user,
                fields=data["fields"],
                note=data["note"],
                context=AuditContext.from_request(request),
            )

    return _run(request, case, key=key, form=form, call=call, success=str(success))


@staff_required(StaffMembership.Role.LEAD)
@require_POST
def extension_decide(request: AuthenticatedHttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "refuse"):
        raise Http404
    extension = selectors.extension_get_for_user(user=request.user, pk=pk)
    try:
        services.extension_decide(
            extension=extension,
            actor=request.user,
            approve=decision == "approve",
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The extension is granted.")
            if decision == "approve"
            else _("The extension is refused."),
        )
    return redirect("staff:staff_cases:detail", ref=extension.case.ref)
