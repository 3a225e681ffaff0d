from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .indicators import SUB_INDICATORS, level_choices
from .services import COMMENT_MAX_LENGTH


class RatingForm(forms.Form):
    """The level (the overall satisfaction), the other sub-indicators of the service's kind as
    optional 5-level groups, and a comment."""

    level = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with how your case was handled?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        help_text=_("What went well, or what should change?"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = level_choices()
        level = self.fields["level"]
        if isinstance(level, forms.ChoiceField):
            level.choices = choices
        self.indicator_keys = [key for key in SUB_INDICATORS[kind] if key != "overall"]
        comment = self.fields.pop("comment")
        for key in self.indicator_keys:
            self.fields[f"sub_{key}"] = forms.TypedChoiceField(
                label=SUB_INDICATORS[kind][key],
                coerce=int,
                empty_value=None,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["comment"] = comment

    def sub_scores(self) -> dict:
        return {
            key: self.cleaned_data[f"sub_{key}"]
            for key in self.indicator_keys
            if self.cleaned_data.get(f"sub_{key}") is not None
        }


class RectificationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What did the department do about this rating?"),
        help_text=_("The resident receives this answer and may rate the case again."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this rating mistaken or malicious?"),
        help_text=_(
            "A supervisor decides. An upheld appeal keeps the rating out of the satisfaction rate."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class AppealDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("uphold", _("Uphold: exclude the rating")), ("dismiss", _("Dismiss"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Required when dismissing."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class CounterLookupForm(forms.Form):
    case = forms.CharField(label=_("Case number"), max_length=20)
