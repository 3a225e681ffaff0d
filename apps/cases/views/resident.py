"""The resident's pages: start, fill step by step (saved at every step), check, sign, track."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.catalog.forms import file_field_keys, step_form_class
from apps.catalog.selectors import service_get
from apps.catalog.services import answers_summary
from apps.core.exceptions import ApplicationError
from apps.core.forms import form_add_application_error
from apps.core.http import file_response, safe_next_url
from apps.core.pagination import seek_page_for_request

from .. import prefill, provided, selectors, services
from ..forms import PrefillChoiceForm, SignForm, WithdrawForm
from ..models import Case
from ..timeline import verb_label


def _steps(case: Case) -> list[dict[str, object]]:
    return [{"number": n, "title": case.version.step_title(n)} for n in case.version.step_numbers()]


def acting_for(request: AuthenticatedHttpRequest, case: Case) -> User | None:
    """A family proxy (亲情账号) acts for the applicant: the workflow and the audit name both."""
    return case.applicant if request.user.pk != case.applicant_id else None


def correction_field_labels(case: Case) -> list[str]:
    """一次告知: the answers and documents the department asked to correct, as people read them."""
    keys = case.correction_request.get("fields", []) if case.correction_request else []
    fields = {f.key: f for f in case.version.fields.filter(key__in=keys)}
    return [fields[key].label for key in keys if key in fields]


P = ParamSpec("P")
CaseView = Callable[Concatenate[AuthenticatedHttpRequest, Case, P], HttpResponse]


def editable_case_view(
    view: CaseView[P],
) -> Callable[Concatenate[AuthenticatedHttpRequest, str, P], HttpResponse]:
    """Load the signed-in resident's case by reference; send them to its page once it is locked."""

    @login_required
    @wraps(view)
    def wrapped(
        request: AuthenticatedHttpRequest, ref: str, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        case = selectors.case_get_for_user(user=request.user, ref=ref)
        services.case_change_check(
            case=case, actor=request.user, step="edit", context=AuditContext.from_request(request)
        )
        if not case.is_editable:
            messages.info(request, _("This case can no longer be changed."))
            return redirect("cases:detail", ref=case.ref)
        return view(request, case, *args, **kwargs)

    return wrapped


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "resident/cases/list.html",
        {
            "cases": seek_page_for_request(
                request,
                selectors.resident_case_list(user=request.user),
                keys=selectors.RESIDENT_CASE_ORDER,
            )
        },
    )


@login_required
def case_new(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    service = service_get(code=code)
    offer = prefill.prefill_offer(version=service.current_version())
    consent = prefill.prefill_consent_get(resident=request.user, service=service)
    form = PrefillChoiceForm(request.POST or None, remembered=consent is not None)
    if request.method == "POST" and (not offer or form.is_valid()):
        try:
            case = services.case_start(
                service=service,
                applicant=request.user,
                actor=request.user,
                choice=form.cleaned_data["prefill"] if offer else services.PrefillChoice.NONE,
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("catalog:service-detail", code=code)
        return redirect("cases:step", ref=case.ref, step=1)
    return render(
        request,
        "resident/cases/start.html",
        {
            "service": service,
            "offer": offer,
            "consent": consent,
            "form": form,
        },
    )


@login_required
@require_POST
def prefill_consent_withdraw(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    service = service_get(code=code)
    try:
        services.prefill_consent_withdraw(
            resident=request.user,
            service=service,
            actor=request.user,
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Your consent is withdrawn. Your next application for this service asks again."),
        )
    return redirect("cases:new", code=service.code)


@editable_case_view
def case_step(request: AuthenticatedHttpRequest, case: Case, step: int) -> HttpResponse:
    steps = _steps(case)
    if step not in {s["number"] for s in steps}:
        raise Http404
    form_class = step_form_class(case.version, step)
    allowed = services.editable_keys(case=case)
    attachments = selectors.attachments_by_field(case=case)
    returning_to_check = request.GET.get("return") == "check"
    sources = prefill.case_prefill_sources(case=case)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, initial=case.answers)
        form.show_sources(sources)
        form.full_clean()
        # Keep every valid answer and file even when another field has an error.
        answers = {
            key: value
            for key, value in form.answers().items()
            if key not in form.errors and (allowed is None or key in allowed)
        }
        try:
            if answers:
                services.case_answers_update(
                    case=case,
                    actor=request.user,
                    answers=answers,
                    context=AuditContext.from_request(request),
                )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        for key, uploads in form.files_by_key().items():
            if key in form.errors or (allowed is not None and key not in allowed):
                continue
            for upload in uploads:
                try:
                    services.attachment_add(
                        case=case,
                        actor=request.user,
                        field_key=key,
                        upload=upload,
                        context=AuditContext.from_request(request),
                    )
                except ApplicationError as exc:
                    form.add_error(key, exc.message)
        choosing = _document_choice(request, case, form)
        attachments = selectors.attachments_by_field(
            case=selectors.case_get_for_user(user=request.user, ref=case.ref)
        )
        held = provided.provided_by_field(case=case)
        for key in file_field_keys(case.version, step):
            definition = form.definitions[key]
            answered = attachments.get(key) or (key in held and held[key].usable)
            if definition.required and not answered and key not in form.errors and not choosing:
                form.add_error(key, _("Add this document."))
        if choosing:
            pass  # the same step again, with what was typed and the document chosen
        elif "save_exit" in request.POST:
            messages.success(request, _("Your draft is saved. You can come back to it any time."))
            return redirect("cases:list")
        if not form.errors and not choosing:
            numbers = [s["number"] for s in steps]
            if returning_to_check or step == numbers[-1]:
                return redirect("cases:check", ref=case.ref)
            return redirect("cases:step", ref=case.ref, step=numbers[numbers.index(step) + 1])
    else:
        form = form_class(initial=case.answers)
        form.show_sources(sources)
    if allowed is not None:
        for key, field in form.fields.items():
            if key not in allowed:
                field.disabled = True
    return render(
        request,
        "resident/cases/step.html",
        {
            "case": case,
            "form": form,
            "steps": steps,
            "step_labels": [s["title"] for s in steps],
            "step_position": [s["number"] for s in steps].index(step) + 1,
            "step": step,
            "step_title": case.version.step_title(step),
            "attachments": attachments,
            "offers": provided.document_offers(case=case),
            "held": provided.provided_by_field(case=case),
            "returning_to_check": returning_to_check,
            "correction": case.correction_request,
            "correction_fields": correction_field_labels(case),
            "prefilled": bool(sources),
        },
    )


def _document_choice(request: AuthenticatedHttpRequest, case: Case, form: forms.BaseForm) -> bool:
    """A certificate chosen instead of an upload ("use_document" = "field:number"), or given up
    ("remove_document" = field), in the same POST as the step's answers: nothing typed is lost."""
    use, remove = request.POST.get("use_document", ""), request.POST.get("remove_document", "")
    if not use and not remove:
        return False
    key, _sep, reference = use.partition(":")
    key = key or remove
    try:
        if use:
            provided.document_use(
                case=case,
                actor=request.user,
                field_key=key,
                reference=reference,
                context=AuditContext.from_request(request),
            )
        else:
            provided.document_remove(
                case=case,
                actor=request.user,
                field_key=key,
                context=AuditContext.from_request(request),
            )
    except ApplicationError as exc:
        form.add_error(key if key in form.fields else None, exc.message)
    return True


@require_POST
@editable_case_view
def attachment_remove(request: AuthenticatedHttpRequest, case: Case, pk: int) -> HttpResponse:
    attachment = get_object_or_404(case.attachments, pk=pk)
    try:
        services.attachment_remove(
            attachment=attachment, actor=request.user, context=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(safe_next_url(request, reverse("cases:check", args=[case.ref])))


@editable_case_view
def case_check(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    summary = answers_summary(version=case.version, answers=case.answers)
    fields = {f.key: f for f in case.version.fields.all()}
    return render(
        request,
        "resident/cases/check.html",
        {
            "case": case,
            "summary": summary,
            "attachments": selectors.attachments_by_field(case=case),
            "held": provided.provided_by_field(case=case),
            "file_fields": [f for f in fields.values() if f.is_file],
            "errors": services.case_submission_errors(case=case),
            "labels": {key: field.label for key, field in fields.items()},
        },
    )


@editable_case_view
def case_sign(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    errors = services.case_submission_errors(case=case)
    if errors:
        messages.error(request, _("Some answers need your attention before you sign."))
        return redirect("cases:check", ref=case.ref)
    form = SignForm(request.POST or None, user=request.user)
    code_sent = request.session.get(f"sign-code-sent:{case.pk}")
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            if "send_code" in request.POST:
                services.case_signature_code_send(case=case, actor=request.user, channel=channel)
                request.session[f"sign-code-sent:{case.pk}"] = channel
                messages.success(request, _("We sent you a code. It is valid for 10 minutes."))
                return redirect("cases:sign", ref=case.ref)
            case = services.case_submit(
                case=case,
                actor=request.user,
                code=form.cleaned_data["code"],
                channel=channel,
                context=AuditContext.from_request(request),
                on_behalf_of=acting_for(request, case),
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(f"sign-code-sent:{case.pk}", None)
            return redirect("cases:submitted", ref=case.ref)
    return render(
        request,
        "resident/cases/sign.html",
        {
            "case": case,
            "form": form,
            "declaration": services.case_declaration(case=case),
            "code_sent": code_sent,
        },
    )


@login_required
def case_submitted(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    return render(
        request,
        "resident/cases/submitted.html",
        {"case": case, "documents": selectors.case_public_documents(case=case)},
    )


@login_required
def case_detail(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    timeline = [
        {"event": event, "label": verb_label(event.verb)}
        for event in selectors.case_timeline(case=case)
    ]
    return render(
        request,
        "resident/cases/detail.html",
        {
            "case": case,
            "timeline": timeline,
            "documents": selectors.case_public_documents(case=case),
            # Masked like everywhere after submission; the check page before signing shows all.
            "summary": answers_summary(
                version=case.version, answers=case.answers, mask_id_numbers=True
            ),
            "attachments": selectors.attachments_by_field(case=case),
            "withdraw_form": WithdrawForm(),
            "can_withdraw": can_proceed(case.withdraw),
            "correction_fields": correction_field_labels(case),
        },
    )


@login_required
@require_POST
def case_withdraw(request: AuthenticatedHttpRequest, ref: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.case_withdraw(
            case=case,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            context=AuditContext.from_request(request),
            on_behalf_of=acting_for(request, case),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("cases:detail", ref=case.ref)


@login_required
def case_document(request: AuthenticatedHttpRequest, ref: str, pk: int) -> FileResponse:
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    link = next(
        (d for d in selectors.case_public_documents(case=case) if d.document_id == pk), None
    )
    if link is None:
        raise Http404
    document = link.document
    return file_response(
        file=document.file.open("rb"),
        inline=True,
        filename=f"{case.ref}-{document.kind}.pdf",
        content_type="application/pdf",
    )


@login_required
def case_attachment(request: AuthenticatedHttpRequest, ref: str, pk: int) -> FileResponse:
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    attachment = get_object_or_404(case.attachments, pk=pk)
    # The resident's own upload goes back as a download, typed from its checked content.
    return file_response(
        file=attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
