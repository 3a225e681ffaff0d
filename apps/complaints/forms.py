"""Forms of the complaint pages: filing (resident and staff for a caller), tracking, and the
dispatchers' and departments' actions."""

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, User
from apps.cases.models import Case
from apps.catalog.forms import UploadField, build_field, to_json_value
from apps.catalog.models import FieldDefinition, ServiceItem
from apps.catalog.selectors import complaint_categories, complaint_category_get
from apps.core.widgets import PageDateInput

from .selectors import complaint_category_questions
from .services.filing import ANSWER_FIELD
from .services.photos import MAX_PHOTOS, PHOTO_TYPES


def _photos_hint_now() -> str:
    return gettext(
        "Up to %(n)d photos (JPEG, PNG or WebP). Location and camera data are removed."
    ) % {"n": MAX_PHOTOS}


# Formatted when the form is drawn, in the request's language, not once at import time.
_photos_hint = lazy(_photos_hint_now, str)


class ComplaintForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=ServiceItem.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a category"),
    )
    complaint_type = forms.ChoiceField(
        label=_("Type of request"), choices=Case.ComplaintType.choices, widget=forms.RadioSelect
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Case.Urgency.choices,
        initial=Case.Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Urgent: a danger to people or property now. Urgent requests count hours."),
    )
    description = forms.CharField(
        label=_("Describe the problem"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000
    )
    address = forms.CharField(
        label=_("Where is it?"),
        max_length=255,
        required=False,
        help_text=_("Street and number, or a landmark."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    photos = UploadField(
        label=_("Photos"),
        allowed=PHOTO_TYPES,
        max_files=MAX_PHOTOS,
        help_text=_photos_hint(),
    )
    hide_identity = forms.BooleanField(
        label=_("Hide my name and phone number from the department"),
        required=False,
        help_text=_("The hotline still sees them to call you back."),
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    reporter_phone = forms.CharField(
        label=_("Mobile phone for the SMS with your extraction code"),
        max_length=20,
        required=False,
    )

    def __init__(self, *args: Any, user: User | AnonymousUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = complaint_categories()
        if user is not None and user.is_authenticated:
            # A signed-in resident's own name and phone are known.
            del self.fields["reporter_name"]
            del self.fields["reporter_phone"]
        self._add_questions()

    def _add_questions(self) -> None:
        """The chosen category's questions, built by the catalogue's form engine (the same
        fields, checks and translated messages as a service's form), after the category."""
        code = self.data.get(self.add_prefix("category")) if self.is_bound else None
        code = code or self.initial.get("category") or ""
        service = complaint_category_get(code=str(code)[:50]) if code else None
        self.questions: list[FieldDefinition] = (
            complaint_category_questions(service=service) if service else []
        )
        self.question_code = service.code if service else ""
        # The page names the category whose questions it showed (`asked`, see
        # includes/complaint_questions.html): a category chosen or changed on a page that did not
        # show its questions asks them first instead of refusing them as missing.
        shown = not self.is_bound or self.data.get("asked") == self.question_code
        # Not shown yet: nothing is refused as missing; `clean` asks for the answers instead.
        self.questions_pending = bool(self.questions) and not shown
        fields = {}
        for definition in self.questions:
            fields[self.question_name(definition.key)] = build_field(
                definition, force_optional=self.questions_pending
            )
        if fields:
            order = list(self.fields)
            at = order.index("category") + 1
            rest = {name: self.fields[name] for name in order[at:]}
            for name in order[at:]:
                del self.fields[name]
            self.fields.update(fields)
            self.fields.update(rest)

    @staticmethod
    def question_name(key: str) -> str:
        return f"answer_{key}"

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[self.question_name(d.key)] for d in self.questions]

    def answers(self) -> dict[str, Any]:
        """The answers to the category's questions, as `complaint_file` takes them."""
        data = self.cleaned_data
        return {
            d.key: to_json_value(d, data.get(self.question_name(d.key)))
            for d in self.questions
            if data.get(self.question_name(d.key)) not in (None, "", [])
        }

    def service_field_names(self) -> dict[str, str]:
        """How `complaint_file` names the questions in a refusal, mapped onto this form."""
        return {ANSWER_FIELD % d.key: self.question_name(d.key) for d in self.questions}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        data = self.cleaned_data
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both coordinates, or neither."))
        if self.questions_pending:
            self.add_error(
                None,
                _("This category asks a few questions of its own: answer them and send again."),
            )
        return cleaned


class StaffComplaintForm(ComplaintForm):
    """A hotline or counter call: the caller's name and phone are typed in by staff."""

    channel = forms.ChoiceField(
        label=_("How did the request come in?"),
        choices=[
            (Case.Channel.HOTLINE, Case.Channel.HOTLINE.label),
            (Case.Channel.COUNTER, Case.Channel.COUNTER.label),
        ],
        widget=forms.RadioSelect,
        initial=Case.Channel.HOTLINE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["reporter_name"].label = _("Caller's name")
        self.fields["reporter_phone"].label = _("Caller's mobile phone")


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("Case number"), max_length=20, help_text=_("For example TS-2026-000123.")
    )
    code = forms.CharField(
        label=_("Extraction code (提取码)"),
        max_length=6,
        min_length=6,
        help_text=_("Six characters, from the SMS or the confirmation page."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DispatchForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.order_by("code")
    )
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments (optional)"),
        queryset=Department.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note to the department"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you send a returned complaint back to the same department."),
    )


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Merge into case number"), max_length=20)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ComplaintReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not yours to handle?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the reporter"), widget=forms.Textarea(attrs={"rows": 6})
    )


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the reporter"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due = forms.DateField(label=_("Answer needed by"), widget=PageDateInput())


class ComplaintExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintNoteForm(forms.Form):
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))
