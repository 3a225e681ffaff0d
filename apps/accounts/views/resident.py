"""The signed-in user's own account: profile and two-factor authentication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from apps.audit.context import AuditContext
from apps.core.exceptions import ApplicationError, TooManyAttemptsError
from apps.core.http import safe_next_url

from .. import selectors, services
from ..forms import CodeForm, ProfileForm
from ..http import AuthenticatedHttpRequest
from ..signals import OTP_REQUIRED_SESSION_KEY

FRESH_BACKUP_CODES_KEY = "fresh_backup_codes"


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    instance = services.resident_profile_ensure(user=request.user)
    # The form gets its own copy: a refused change must not show on the saved details.
    form = ProfileForm(
        request.POST or None, instance=selectors.resident_profile_get_for_user(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.resident_profile_update(
            user=request.user,
            context=AuditContext.from_request(request),
            real_name=form.cleaned_data["real_name"],
            id_number=form.cleaned_data["id_number"],
            address=form.cleaned_data["address"],
            notification_channels=form.cleaned_data["notification_channels"],
        )
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "profile": instance,
            "has_2fa": selectors.user_has_confirmed_device(user=request.user),
        },
    )


@login_required
def two_factor_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/2fa_settings.html",
        {"has_2fa": selectors.user_has_confirmed_device(user=request.user)},
    )


@login_required
def two_factor_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    if selectors.user_has_confirmed_device(user=request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:2fa-verify')}?next={safe_next_url(request, '/')}")
    device = services.totp_enrolment_start(user=request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_enrolment_confirm(
                user=request.user,
                device=device,
                token=form.cleaned_data["code"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
            status = 429 if isinstance(exc, TooManyAttemptsError) else 200
        else:
            otp_login(request, device)
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
            "secret": services.totp_secret_base32(device=device),
            "next": safe_next_url(request, ""),
        },
        status=status,
    )


@login_required
def two_factor_verify_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(
                user=request.user,
                token=form.cleaned_data["code"],
                context=AuditContext.from_request(request),
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
            status = 429 if isinstance(exc, TooManyAttemptsError) else 200  # devices locked
        else:
            otp_login(request, device)
            default = reverse("staff:home") if request.user.is_staff_member else reverse("home")
            return redirect(safe_next_url(request, default))
    return render(
        request,
        "accounts/2fa_verify.html",
        {"form": form, "next": safe_next_url(request, "")},
        status=status,
    )


@login_required
def backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("accounts:2fa-verify")
        request.session[FRESH_BACKUP_CODES_KEY] = services.backup_codes_regenerate(
            user=request.user, context=AuditContext.from_request(request)
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
def two_factor_disable_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        services.two_factor_disable(user=request.user, context=AuditContext.from_request(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        request.session.pop(OTP_REQUIRED_SESSION_KEY, None)
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:2fa")
