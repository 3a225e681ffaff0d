from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ResidentProfile, User
from apps.accounts.validators import validate_cn_mobile
from apps.cases.models import Case
from apps.catalog.forms import IdNumberField, PhoneField
from apps.catalog.models import ServiceItem
from apps.core.uploads import accept_attribute
from apps.core.widgets import PageDateInput

from .models import IdentityCheck, Mandate, ResidentLookup
from .services.residents import ASSISTED_CONTACTS

# Dates in the page's format, not the browser's: see apps.core.widgets.PageDateInput.
DateInput = PageDateInput


class SearchForm(forms.Form):
    """A look-up at the counter: the full number from the card or phone, and why (recorded)."""

    q = forms.CharField(
        label=_("ID number or mobile phone"),
        max_length=30,
        help_text=_("Type the full 18-character ID number from the card, or a mobile number."),
        error_messages={
            "required": _(
                "Type the full 18-character ID number or the full 11-digit mobile number."
            )
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.ChoiceField(
        label=_("Why are you looking the resident up?"),
        choices=ResidentLookup.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you are looking this resident up.")},
    )
    reason_text = forms.CharField(
        label=_("What the resident needs"),
        max_length=255,
        help_text=_(
            "For example the service they ask about. Kept in the audit trail with your name."
        ),
        error_messages={
            "required": _(
                "Say in a few words what the resident needs, for example the service they ask "
                "about."
            )
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class IdentityCheckFields(forms.Form):
    document_type = forms.ChoiceField(
        label=_("Document you checked"),
        choices=IdentityCheck.DocumentType.choices,
        initial=IdentityCheck.DocumentType.ID_CARD,
    )
    last_digits = forms.CharField(
        label=_("Last 4 characters of its number"),
        min_length=4,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "input input--short"}),
    )


class AssistedAccountForm(IdentityCheckFields):
    """The resident's own details: every contact field is named `resident_…` or `family_…`, so
    nothing of the staff member's account can be filled in by the browser or by mistake."""

    field_order = [
        "real_name",
        "id_number",
        "resident_phone",
        "address",
        "preferred_contact",
        "family_phone",
        "document_type",
        "last_digits",
    ]

    real_name = forms.CharField(label=_("Resident's real name"), max_length=100)
    id_number = IdNumberField(
        label=_("Resident's ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    resident_phone = PhoneField(
        label=_("Resident's own mobile phone"),
        required=False,
        max_length=20,
        help_text=_("Only if the resident has one. Never your own number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label=_("Resident's home address"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    preferred_contact = forms.ChoiceField(
        label=_("How the resident wants to hear from us"),
        choices=[(c.value, c.label) for c in ASSISTED_CONTACTS],
        initial=ResidentProfile.Contact.LETTER,
        widget=forms.RadioSelect,
    )
    family_phone = PhoneField(
        label=_("Family member's mobile phone"),
        required=False,
        max_length=20,
        help_text=_("Needed when messages go to a family member's phone."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )


class CaseChoiceField(forms.ModelChoiceField):
    """A case named by its number and service."""

    def label_from_instance(self, obj: Case) -> str:
        return f"{obj.ref} · {obj.service.name}"


class MandateForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What may the service point do?"),
        choices=Mandate.Scope.choices,
        initial=Mandate.Scope.SERVICE,
        widget=forms.RadioSelect,
    )
    service: forms.ModelChoiceField[ServiceItem] = forms.ModelChoiceField(
        label=_("Service (for one service)"), queryset=None, required=False
    )
    case = CaseChoiceField(label=_("Case (for one case)"), queryset=None, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    evidence = forms.FileField(
        label=_("Scanned signed mandate form"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB. Or let the resident sign on the tablet."),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )
    drawn_signature = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        services: QuerySet[ServiceItem],
        cases: QuerySet[Case],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        service_field, case_field = self.fields["service"], self.fields["case"]
        if isinstance(service_field, forms.ModelChoiceField):
            service_field.queryset = services
        if isinstance(case_field, forms.ModelChoiceField):
            case_field.queryset = cases

        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today.replace(year=today.year + 1)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=255, required=False)


class StaffCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your own one-time code (authenticator app)"),
        max_length=10,
        help_text=_(
            "Your code confirms that the resident agreed to the declaration in front of you."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class FamilyInviteForm(forms.Form):
    login = forms.CharField(
        label=_("Their email address or mobile phone"),
        max_length=254,
        help_text=_("They need an online account of their own already."),
    )
    relationship = forms.CharField(
        label=_("Relationship (optional)"), max_length=50, required=False
    )


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Claim code from your letter"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    id_number = IdNumberField(
        label=_("Your ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label=_("Your email or mobile number"),
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

    def clean_contact(self) -> str:
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            validate_email(value)
            if User.objects.filter(email__iexact=value).exists():
                raise forms.ValidationError(_("This email address is already registered."))
            self.channel = User.Channel.EMAIL
            return value.lower()
        validate_cn_mobile(value)
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
                password_validation.validate_password(p1)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
