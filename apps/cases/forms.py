"""Forms of the application pages: the resident's signing and withdrawal, and the department
staff's queue filters and workflow actions."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.accounts.selectors import user_has_confirmed_device
from apps.accounts.validators import mask_phone
from apps.catalog.models import ServiceItem
from apps.core.widgets import PageDateInput

from .models import Case

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class SignForm(forms.Form):
    """Choose how the one-time code reaches you, then type it to sign."""

    channel = forms.ChoiceField(label=_("Send the code by"), widget=forms.RadioSelect)
    code = forms.CharField(
        label=_("One-time code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, StrOrPromise]] = []
        if user.phone:
            choices.append(("sms", _("SMS to %(phone)s") % {"phone": mask_phone(user.phone)}))
        if user.email:
            choices.append(("email", _("Email to %(email)s") % {"email": user.email}))
        if user_has_confirmed_device(user=user):
            choices.append(("totp", _("My authenticator app")))
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = choices
        if choices:
            channel.initial = choices[0][0]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if "send_code" not in self.data and not self.cleaned_data.get("code"):
            self.add_error("code", _("Type the code we sent you."))
        return cleaned


class PrefillChoiceForm(forms.Form):
    """同意 before anything is read: fill in from the city's records, for this draft or for the
    service until withdrawn. Nothing is chosen for the resident but "no" (PIPL: opt-in)."""

    prefill = forms.ChoiceField(
        label=_("Fill in your answers from the records the city holds?"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, remembered: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["prefill"]
        assert isinstance(field, forms.ChoiceField)
        if remembered:
            field.choices = [
                ("remember", _("Yes, as I agreed for this service")),
                ("none", _("No, not this time: I type every answer")),
            ]
            field.initial = "remember"
        else:
            field.choices = [
                ("none", _("No: I type every answer")),
                ("draft", _("Yes, for this application")),
                ("remember", _("Yes, and for my later applications for this service")),
            ]
            field.initial = "none"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- department staff -------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All work")),
            (Case.State.SUBMITTED, _("To take in")),
            (Case.State.IN_REVIEW, _("To review")),
        ],
    )
    overdue = forms.BooleanField(label=_("Only overdue work"), required=False)

    def __init__(self, *args: Any, services: Iterable[ServiceItem] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        assert isinstance(service, forms.ChoiceField)
        service.choices = [("", _("All services"))] + [(item.code, item.name) for item in services]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"service": "", "state": "", "overdue": False}
        return self.cleaned_data


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Colleague"), coerce=int)

    def __init__(self, *args: Any, colleagues: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {user.pk: user for user in colleagues}
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = [("", _("Choose a colleague"))] + [
            (user.pk, str(user)) for user in self.colleagues.values()
        ]


def _text(
    label: "StrOrPromise", *, required: bool = True, rows: int = 4, help_text: "StrOrPromise" = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AcceptForm(forms.Form):
    note = _text(_("Note for the timeline"), required=False, rows=2)


class RefuseForm(forms.Form):
    reasons = _text(
        _("Reasons for not accepting"),
        help_text=_("The resident reads these reasons, with the legal basis."),
    )


class ReturnForm(forms.Form):
    """一次告知: every answer and document the resident must correct, at once."""

    note = _text(_("What to correct and why"), help_text=_("The resident reads this note."))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Added here, not declared on the class: a class attribute `fields` would hide Form.fields.
        self.fields["fields"] = forms.MultipleChoiceField(
            label=_("What must the resident correct?"),
            widget=forms.CheckboxSelectMultiple,
            choices=[
                (definition.key, definition.label) for definition in case.version.fields.all()
            ],
        )
        self.order_fields(["fields", "note"])


class ApproveTaskForm(forms.Form):
    opinion = _text(_("Opinion"), required=False, rows=3)


class RejectTaskForm(forms.Form):
    opinion = _text(
        _("Reasons for rejecting"), help_text=_("The lead department bases its decision on them.")
    )


class DecideForm(forms.Form):
    reasons = _text(
        _("Reasons"),
        required=False,
        help_text=_("For a refusal: the reasons, the legal basis and how to appeal."),
    )
    granted_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("For example 2030-12-31. Leave empty when the approval does not expire."),
        widget=PageDateInput(),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        help_text=_("You sign the decision with it."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, outcome: str = "approved", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if outcome != "approved":
            del self.fields["granted_until"]
            self.fields["reasons"].required = True


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=60)
    reason = _text(_("Why is more time needed?"), rows=3)


class NoteForm(forms.Form):
    note = _text(_("Internal note"), rows=3, help_text=_("Staff see it; the resident never does."))
