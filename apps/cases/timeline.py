"""What each timeline verb means to a person, in their language."""

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
}


def verb_label(verb: str) -> str:
    return str(VERB_LABELS.get(verb, verb.replace("_", " ")))
