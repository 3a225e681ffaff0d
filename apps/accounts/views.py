from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.exceptions import ApplicationError
from apps.core.http import safe_next_url

from . import selectors, services
from .forms import CodeForm, LoginForm, ProfileForm, RegistrationForm
from .models import ResidentProfile, StaffMembership, User, VerificationCode
from .permissions import staff_required

PENDING_REGISTRATION_KEY = "pending_registration"
FRESH_BACKUP_CODES_KEY = "fresh_backup_codes"


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        user = self.request.user
        # Just signed in with a password: no device is verified yet in this session.
        if self.request.session.get("otp_required"):
            from .middleware import two_factor_url_for

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
            )
        except ApplicationError as exc:
            # A code sent a moment ago still works: go on to type it.
            messages.info(request, exc.message)
        return redirect("accounts:register-verify")
    return render(request, "accounts/register.html", {"form": form})


def register_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_REGISTRATION_KEY)
    if not pending:
        return redirect("accounts:register")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.verification_code_send(
                purpose=VerificationCode.Purpose.REGISTRATION,
                channel=pending["channel"],
                destination=pending["contact"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
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
        else:
            is_email = pending["channel"] == User.Channel.EMAIL
            user = services.resident_register(
                real_name=pending["real_name"],
                id_number=pending["id_number"],
                password=pending["password"],
                email=pending["contact"] if is_email else None,
                phone=None if is_email else pending["contact"],
                request=request,
            )
            del request.session[PENDING_REGISTRATION_KEY]
            services.login_with_session(request=request, user=user)
            messages.success(request, _("Your account is ready."))
            return redirect("home")
    return render(
        request, "accounts/register_verify.html", {"form": form, "contact": pending["contact"]}
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    instance, _created = ResidentProfile.objects.get_or_create(
        user=request.user, defaults={"real_name": request.user.display_name or str(request.user)}
    )
    form = ProfileForm(request.POST or None, instance=ResidentProfile.objects.get(pk=instance.pk))
    if request.method == "POST" and form.is_valid():
        services.resident_profile_update(
            user=request.user,
            request=request,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile": instance,
            "has_2fa": selectors.user_has_confirmed_device(request.user),
        },
    )


@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/2fa_settings.html",
        {"has_2fa": selectors.user_has_confirmed_device(request.user)},
    )


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    if selectors.user_has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:2fa-verify')}?next={safe_next_url(request, '/')}")
    device = services.totp_enrolment_start(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrolment_confirm(
                request=request, device=device, token=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            request.session[FRESH_BACKUP_CODES_KEY] = codes
            next_url = safe_next_url(request, reverse("home"))
            return redirect(f"{reverse('accounts:2fa-backup-codes')}?next={next_url}")
    import segno

    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return render(
        request,
        "accounts/2fa_enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": services.totp_secret_base32(device),
            "next": safe_next_url(request, ""),
        },
    )


@login_required
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_verify(request=request, token=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            default = reverse("staff:home") if request.user.is_staff_member else reverse("home")
            return redirect(safe_next_url(request, default))
    return render(
        request, "accounts/2fa_verify.html", {"form": form, "next": safe_next_url(request, "")}
    )


@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("accounts:2fa-verify")
        request.session[FRESH_BACKUP_CODES_KEY] = services.backup_codes_regenerate(
            user=request.user, request=request
        )
        return redirect("accounts:2fa-backup-codes")
    codes = request.session.pop(FRESH_BACKUP_CODES_KEY, None)
    return render(
        request,
        "accounts/2fa_backup_codes.html",
        {"codes": codes, "next": safe_next_url(request, reverse("accounts:2fa"))},
    )


@login_required
@require_POST
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    try:
        services.two_factor_disable(request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:2fa")


@staff_required()
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/home.html",
        {"memberships": selectors.staff_memberships_of(request.user)},
    )


@staff_required(StaffMembership.Role.COUNTER)
def desk_home(request: HttpRequest) -> HttpResponse:
    memberships = [
        m
        for m in selectors.staff_memberships_of(request.user)
        if m.role == StaffMembership.Role.COUNTER
    ]
    return render(request, "desk/home.html", {"memberships": memberships})


@require_POST
def care_mode(request: HttpRequest) -> HttpResponse:
    services.care_mode_set(request=request, enabled=request.POST.get("enabled") == "1")
    return redirect(safe_next_url(request, "/"))
