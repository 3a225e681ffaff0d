from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import verification_code_normalize


class VerifyForm(forms.Form):
    """Upload a PDF or type its verification code (either one)."""

    code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=40,
        help_text=_(
            "16 letters and digits printed under the QR code, for example 7KQM-3XWP-HT9C-N2RD."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("PDF document"),
        required=False,
        help_text=_("The PDF exactly as you received it, up to 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_code(self):
        value = self.cleaned_data.get("code", "").strip()
        if not value:
            return ""
        normalized = verification_code_normalize(value=value)
        if not normalized:
            raise forms.ValidationError(
                _(
                    "A verification code has 16 letters and digits, "
                    "for example 7KQM-3XWP-HT9C-N2RD."
                ),
                code="invalid",
            )
        return normalized

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not cleaned.get("code") and not cleaned.get("file"):
            raise forms.ValidationError(
                _("Upload a PDF or type a verification code."), code="required"
            )
        return cleaned
