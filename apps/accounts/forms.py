from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from .models import ResidentProfile, User
from .validators import normalize_id_number, validate_cn_id_number, validate_cn_mobile


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "The login or password is not right. Check them and try again; "
            "after several wrong tries the account is locked for a while."
        ),
        "inactive": _("This account is not active."),
    }


class RegistrationForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=100)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("The 18 characters on your resident identity card."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        help_text=_("We send a one-time code there to check it is yours."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data["id_number"])
        validate_cn_id_number(value)
        if ResidentProfile.objects.filter(id_number=value).exists():
            raise forms.ValidationError(
                _(
                    "An account with this ID number exists. "
                    "Sign in, or ask a service point for help."
                ),
                code="id_taken",
            )
        return value

    def clean_contact(self):
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            validate_email(value)
            if User.objects.filter(email__iexact=value).exists():
                raise forms.ValidationError(_("This email address is already registered."))
            self.channel = User.Channel.EMAIL
            return value.lower()
        validate_cn_mobile(value)
        if User.objects.filter(phone=value).exists():
            raise forms.ValidationError(_("This mobile number is already registered."))
        self.channel = User.Channel.SMS
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(display_name=cleaned.get("real_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ProfileForm(forms.ModelForm):
    notification_channels = forms.MultipleChoiceField(
        label=_("Tell me about my cases by"),
        choices=[
            (User.Channel.IN_APP, User.Channel.IN_APP.label),
            (User.Channel.EMAIL, User.Channel.EMAIL.label),
            (User.Channel.SMS, User.Channel.SMS.label),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ResidentProfile
        fields = ["real_name", "id_number", "address", "notification_channels"]

    def clean_id_number(self):
        # The page never shows the stored number in full: an empty field keeps it as it is.
        value = normalize_id_number(self.cleaned_data.get("id_number") or "")
        if not value:
            return self.instance.id_number
        validate_cn_id_number(value)
        return value
