"""Checking a document at /verify/, for anyone (one audience: public)."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from apps.core.exceptions import ApplicationError

from .forms import VerifyForm
from .services import document_verify, pdf_upload_read


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a document: upload the PDF or type its code (the QR code links here)."""
    result = None
    if request.method == "POST":
        try:
            form = VerifyForm(request.POST, request.FILES)
            valid = form.is_valid()
        except RequestDataTooBig:  # pragma: no cover - depends on DATA_UPLOAD_MAX_MEMORY_SIZE
            form, valid = VerifyForm(), False
        if valid:
            upload = form.cleaned_data.get("file")
            try:
                if upload is not None:
                    result = document_verify(pdf_bytes=pdf_upload_read(upload=upload))
                else:
                    result = document_verify(code=form.cleaned_data["code"])
            except ApplicationError as exc:
                form.add_error("file" if upload is not None else "code", exc.message)
    elif "code" in request.GET:
        form = VerifyForm(request.GET)
        if form.is_valid():
            result = document_verify(code=form.cleaned_data["code"])
    else:
        form = VerifyForm()
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "resident/verify/verify.html",
        {"form": form, "result": result},
        status=status,
    )
