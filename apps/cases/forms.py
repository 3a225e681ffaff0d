from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.selectors import user_has_confirmed_device
from apps.accounts.validators import mask_phone


class SignForm(forms.Form):
    """Choose how the one-time code reaches you, then type it to sign."""

    channel = forms.ChoiceField(label=_("Send the code by"), widget=forms.RadioSelect)
    code = forms.CharField(
        label=_("One-time code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if user.phone:
            choices.append(("sms", _("SMS to %(phone)s") % {"phone": mask_phone(user.phone)}))
        if user.email:
            choices.append(("email", _("Email to %(email)s") % {"email": user.email}))
        if user_has_confirmed_device(user):
            choices.append(("totp", _("My authenticator app")))
        self.fields["channel"].choices = choices
        if choices:
            self.fields["channel"].initial = choices[0][0]

    def clean(self):
        cleaned = super().clean()
        if "send_code" not in self.data and not cleaned.get("code"):
            self.add_error("code", _("Type the code we sent you."))
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
