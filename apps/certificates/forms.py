from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.widgets import PageDateInput

from .models import Certificate


class CertificateUseForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40)


class CertificateSearchForm(forms.Form):
    q = forms.CharField(label=_("Certificate number or type code"), required=False, max_length=60)


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The holder reads it in their notification."),
    )


class CertificateReplaceForm(forms.Form):
    """The successor's fields (prefilled with the current ones), its end date and the reason."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=PageDateInput(),
        help_text=_("Empty: the same as the certificate it replaces."),
    )

    def __init__(self, *args: object, certificate: Certificate, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in certificate.type.field_labels().items():
            self.fields[f"field_{name}"] = forms.CharField(
                label=label,
                required=False,
                max_length=500,
                initial=str(certificate.fields.get(name, "")),
            )

    def field_values(self) -> dict[str, str]:
        return {
            key.removeprefix("field_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("field_") and value != ""
        }
