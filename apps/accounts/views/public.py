"""Pages anyone may open: sign in and out, register with a one-time code, care mode."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.context import AuditContext
from apps.audit.services import client_ip
from apps.core.exceptions import ApplicationError, TooManyAttemptsError
from apps.core.forms import form_add_application_error
from apps.core.http import safe_next_url
from apps.core.middleware import CARE_MODE_SESSION_KEY

from .. import services
from ..forms import CodeForm, LoginForm, RegistrationForm
from ..http import login_with_session
from ..models import User, VerificationCode

PENDING_REGISTRATION_KEY = "pending_registration"


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        user = self.request.user
        # Just signed in with a password: no device is verified yet in this session.
        if self.request.session.get("otp_required") and isinstance(user, User):
            from ..middleware import two_factor_url_for

            default = reverse("staff:home") if user.is_staff_member else reverse("home")
            return two_factor_url_for(user, next_path=self.get_redirect_url() or default)
        return super().get_success_url()


class PortalLogoutView(auth_views.LogoutView):
    pass


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        request.session[PENDING_REGISTRATION_KEY] = {
            "real_name": data["real_name"],
            "id_number": data["id_number"],
            "contact": data["contact"],
            "channel": str(form.channel),
            "password": make_password(data["password1"]),
        }
        try:
            services.verification_code_send(
                purpose=VerificationCode.Purpose.REGISTRATION,
                channel=form.channel,
                destination=data["contact"],
                client_ip=client_ip(request) or "",
            )
        except TooManyAttemptsError as exc:
            if exc.code != "code_sent_recently":
                form_add_application_error(form, exc)
                return render(request, "accounts/register.html", {"form": form}, status=429)
            # A code sent a moment ago still works: go on to type it.
            messages.info(request, exc.message)
        except ApplicationError as exc:
            messages.info(request, exc.message)
        return redirect("accounts:register-verify")
    return render(request, "accounts/register.html", {"form": form})


def register_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_REGISTRATION_KEY)
    if not pending:
        return redirect("accounts:register")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.verification_code_send(
                purpose=VerificationCode.Purpose.REGISTRATION,
                channel=pending["channel"],
                destination=pending["contact"],
                client_ip=client_ip(request) or "",
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            if isinstance(exc, TooManyAttemptsError):  # 429, and the page to type the code
                context = {"form": CodeForm(), "contact": pending["contact"]}
                return render(request, "accounts/register_verify.html", context, status=429)
        else:
            messages.info(request, _("We sent a new code."))
        return redirect("accounts:register-verify")
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_code_check(
                purpose=VerificationCode.Purpose.REGISTRATION,
                destination=pending["contact"],
                code=form.cleaned_data["code"],
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
            status = 429 if isinstance(exc, TooManyAttemptsError) else 200
        else:
            is_email = pending["channel"] == User.Channel.EMAIL
            user = services.resident_register(
                real_name=pending["real_name"],
                id_number=pending["id_number"],
                password=pending["password"],
                email=pending["contact"] if is_email else None,
                phone=None if is_email else pending["contact"],
                context=AuditContext.from_request(request),
            )
            del request.session[PENDING_REGISTRATION_KEY]
            login_with_session(request, user)
            messages.success(request, _("Your account is ready."))
            return redirect("home")
    return render(
        request,
        "accounts/register_verify.html",
        {"form": form, "contact": pending["contact"]},
        status=status,
    )


@require_POST
def care_mode(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    request.session[CARE_MODE_SESSION_KEY] = enabled
    if request.user.is_authenticated:
        services.care_mode_set(
            user=request.user, enabled=enabled, context=AuditContext.from_request(request)
        )
    return redirect(safe_next_url(request, "/"))
