"""What each timeline verb means to a person, in their language.

Apps above cases that write their own verbs (complaints) register their labels at start-up
with `register_verb_labels`, so this module never needs to know them."""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "created": _("Application started"),
    "submit": _("Application signed and submitted"),
    "resubmit": _("Corrections signed and submitted"),
    "withdraw": _("Application withdrawn"),
    "receipt_issued": _("Receipt issued"),
    "return_for_correction": _("Corrections requested"),
    "accept": _("Application accepted"),
    "refuse": _("Application not accepted"),
    "approve": _("Application approved"),
    "reject": _("Application rejected"),
    "decision_letter_issued": _("Decision letter issued"),
    "extension_granted": _("More time granted to decide"),
    "close": _("Case closed"),
    "rating_requested": _("Asked for your rating"),
    "rated": _("Rated"),
    "rated_again": _("Rated again"),
    "rectification_answered": _("The department answered your rating"),
}

# Lines only staff see (internal), on top of the public ones.
STAFF_VERB_LABELS = {
    "note": _("Internal note"),
    "task_approve": _("Review approved"),
    "task_reject": _("Review rejected"),
    "task_return": _("Reviewer asked for corrections"),
    "task_cancel": _("Review cancelled"),
    "task_deemed_consent": _("Deemed consent: no answer by the due date"),
    "deemed_consent": _("Deemed consent: no answer by the due date"),
    "extension_requested": _("Extension requested"),
    "extension_granted": _("Extension granted"),
    "extension_refused": _("Extension refused"),
    "escalated": _("Overdue: escalated to the department lead"),
    "rating_appealed": _("Rating appealed by the department"),
    "appeal_upheld": _("Appeal upheld: rating not counted"),
    "appeal_dismissed": _("Appeal dismissed"),
}


def register_verb_labels(*, public: dict, staff: dict | None = None) -> None:
    """Add another app's timeline verbs: `public` ones the resident sees, `staff` ones internal."""
    VERB_LABELS.update(public)
    STAFF_VERB_LABELS.update(staff or {})


def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb.replace("_", " ")))


def staff_verb_label(verb: str) -> str:
    if verb in STAFF_VERB_LABELS:
        return str(STAFF_VERB_LABELS[verb])
    return verb_label(verb)
