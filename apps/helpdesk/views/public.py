"""Claiming a printed account online (/family/claim/): anyone with the letter's code."""

from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.accounts.forms import CodeForm
from apps.accounts.http import login_with_session
from apps.accounts.models import User, VerificationCode
from apps.accounts.services import verification_code_check, verification_code_send
from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError

from .. import services
from ..forms import ClaimForm

PENDING_CLAIM_KEY = "pending_claim"


def claim(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.claim_code_check(code=data["code"], id_number=data["id_number"])
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            request.session[PENDING_CLAIM_KEY] = {
                "code": data["code"],
                "id_number": data["id_number"],
                "contact": data["contact"],
                "channel": str(form.channel),
                "password": make_password(data["password1"]),
            }
            verification_code_send(
                purpose=VerificationCode.Purpose.REGISTRATION,
                channel=form.channel,
                destination=data["contact"],
            )
            return redirect("helpdesk:claim-verify")
    return render(request, "resident/family/claim.html", {"form": form})


def claim_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_CLAIM_KEY)
    if not pending:
        return redirect("helpdesk:claim")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification_code_check(
                purpose=VerificationCode.Purpose.REGISTRATION,
                destination=pending["contact"],
                code=form.cleaned_data["code"],
            )
            is_email = pending["channel"] == User.Channel.EMAIL
            user = services.account_claim(
                code=pending["code"],
                id_number=pending["id_number"],
                password_hash=pending["password"],
                email=pending["contact"] if is_email else None,
                phone=None if is_email else pending["contact"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            del request.session[PENDING_CLAIM_KEY]
            login_with_session(request=request, user=user)
            messages.success(request, _("Your account is online now. All your cases are here."))
            return redirect("cases:list")
    return render(
        request, "resident/family/claim_verify.html", {"form": form, "contact": pending["contact"]}
    )
