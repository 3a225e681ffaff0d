from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import StaffMembership

Role = StaffMembership.Role


class LegalHoldForm(forms.Form):
    case = forms.CharField(
        label=_("Case number"),
        max_length=20,
        help_text=_("For example SQ-2026-000123 or TS-2026-000045."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The court order, the investigation or the appeal that needs the record kept."),
    )


class HoldClearForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for lifting the hold"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(forms.Form):
    as_role = forms.ChoiceField(
        label=_("Approve as"),
        choices=[
            (Role.RECORDS_OFFICER, _("Records officer")),
            (Role.LEAD, _("Department lead")),
        ],
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
