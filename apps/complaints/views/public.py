"""Complaint pages for anyone, signed in or not: file (with similar complaints nearby to
follow instead), the confirmation with the extraction code, and tracking by case number and
code. Thin: parse, call a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.context import AuditContext
from apps.audit.services import client_ip
from apps.cases.models import Case
from apps.cases.selectors import case_timeline
from apps.cases.timeline import verb_label
from apps.core.exceptions import ApplicationError, TooManyAttemptsError
from apps.core.forms import (
    files_not_kept_message,
    form_add_application_error,
    form_files_not_kept,
)
from apps.core.http import file_response

from .. import selectors, services
from ..forms import AnswerForm, ComplaintForm, ReopenForm, TrackForm

SESSION_TRACKED = "complaints-tracked"
SESSION_NEW_CODE = "complaints-new-code"


def complaint_new(request: HttpRequest) -> HttpResponse:
    """File a complaint. "Look for similar" (and the first "Send") lists open complaints of the
    same category nearby, which the resident may follow instead."""
    # ?category= (a link from the category's page) asks its questions from the start.
    initial = {"category": request.GET.get("category", "")}
    form = ComplaintForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    nearby = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        nearby = selectors.complaints_nearby(
            service=data["category"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            address=data.get("address", ""),
        )
        wants_to_file = "file" in request.POST and (not nearby or "confirm" in request.POST)
        if wants_to_file:
            try:
                case, code = services.complaint_file(
                    service=data["category"],
                    actor=request.user if request.user.is_authenticated else None,
                    reporter=request.user if request.user.is_authenticated else None,
                    complaint_type=data["complaint_type"],
                    urgency=data["urgency"],
                    description=data["description"],
                    address=data.get("address", ""),
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    photos=data.get("photos") or [],
                    hide_identity=data.get("hide_identity", False),
                    channel=Case.Channel.WEB,
                    reporter_name=data.get("reporter_name", ""),
                    reporter_phone=data.get("reporter_phone", ""),
                    answers=form.answers(),
                    context=AuditContext.from_request(request),
                )
            except ApplicationError as exc:
                form_add_application_error(form, exc, field_names=form.service_field_names())
            else:
                request.session[SESSION_NEW_CODE] = {"number": case.number, "code": code}
                _remember(request, case)
                return redirect("complaints:filed", ref=case.number)
    if request.method == "POST" and form_files_not_kept(form) and not form.errors:
        # Shown again for the nearby reports: the photos are not kept either.
        messages.info(request, files_not_kept_message())
    return render(
        request,
        "resident/complaints/new.html",
        {"form": form, "nearby": nearby, "checked": request.method == "POST"},
    )


def complaint_filed(request: HttpRequest, ref: str) -> HttpResponse:
    """The confirmation: the number and the extraction code, shown once."""
    shown = request.session.get(SESSION_NEW_CODE) or {}
    if shown.get("number") != ref:
        raise Http404
    return render(request, "resident/complaints/filed.html", {"number": ref, "code": shown["code"]})


def _remember(request: HttpRequest, case: Case) -> None:
    tracked = set(request.session.get(SESSION_TRACKED, []))
    tracked.add(case.number)
    request.session[SESSION_TRACKED] = sorted(tracked)


def tracked_case(request: HttpRequest, ref: str) -> Case:
    """A complaint this browser opened with its code, or the signed-in reporter's own (also for
    the rating from the tracking page, `feedback.views.public`)."""
    case = selectors.complaint_get_for_tracking(number=ref)
    if case is None:
        raise Http404
    if ref in request.session.get(SESSION_TRACKED, []):
        return case
    if request.user.is_authenticated and case.applicant_id == request.user.pk:
        return case
    raise Http404


def complaint_track(request: HttpRequest) -> HttpResponse:
    """Number and extraction code open the public page; attempts are rate-limited."""
    # The link in an SMS names the number (?number=); the reporter types the code.
    form = TrackForm(request.POST or None, initial={"number": request.GET.get("number", "")[:20]})
    refused = ""
    if request.method == "POST" and form.is_valid():
        try:
            case = services.complaint_track(
                number=form.cleaned_data["number"],
                code=form.cleaned_data["code"],
                client_ip=client_ip(request) or "",
            )
        except TooManyAttemptsError as exc:
            refused = str(exc.message)
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            _remember(request, case)
            return redirect("complaints:tracked", ref=case.number)
    status = 429 if refused else 200
    return render(
        request, "resident/complaints/track.html", {"form": form, "refused": refused}, status=status
    )


def public_timeline(case: Case) -> list[dict]:
    return [{"event": event, "label": verb_label(event.verb)} for event in case_timeline(case=case)]


def complaint_tracked(request: HttpRequest, ref: str) -> HttpResponse:
    case = tracked_case(request, ref)
    status_key, status_label = selectors.complaint_resident_status(case=case)
    return render(
        request,
        "resident/complaints/detail.html",
        {
            "case": case,
            # A merged duplicate's reporter sees the main case's answer under their own number.
            "outcome": case.merged_into or case,
            "status_key": status_key,
            "status_label": status_label,
            "timeline": public_timeline(case),
            "photos": selectors.complaint_photos(case=case),
            "answer_form": AnswerForm(),
            "reopen_form": ReopenForm(),
            "reopen_until": selectors.complaint_reopen_open_until(case=case),
        },
    )


def complaint_photo(request: HttpRequest, ref: str, pk: int) -> FileResponse:
    case = tracked_case(request, ref)
    photo = selectors.complaint_photos(case=case).filter(pk=pk).first()
    if photo is None:
        raise Http404
    return file_response(
        file=photo.file.open("rb"),
        filename=photo.original_name,
        content_type=photo.content_type,
        inline=True,
    )


@require_POST
def complaint_answer(request: HttpRequest, ref: str) -> HttpResponse:
    case = tracked_case(request, ref)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_answer(
                case=case,
                actor=case.applicant,
                answer=form.cleaned_data["answer"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you. The department has your answer."))
    else:
        messages.error(request, _("Write your answer."))
    return redirect("complaints:tracked", ref=case.number)


@require_POST
def complaint_reopen(request: HttpRequest, ref: str) -> HttpResponse:
    case = tracked_case(request, ref)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_reopen(
                case=case,
                actor=case.applicant,
                comment=form.cleaned_data["comment"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        except PermissionDenied:
            messages.error(request, _("This case cannot be reopened by you."))
        else:
            messages.success(request, _("The department will handle your request again."))
    else:
        messages.error(request, _("Say what is still wrong."))
    return redirect("complaints:tracked", ref=case.number)
