"""The timeline verbs complaints write, registered with the cases timeline at start-up."""

from django.utils.translation import gettext_lazy as _

VERB_LABELS = {
    "file_complaint": _("Report received"),
    "dispatch": _("Sent to the department in charge"),
    "sign": _("The department took it on"),
    "reply": _("Answered"),
    "reopen": _("Reopened: to be handled again"),
    "merge": _("Merged with a report of the same problem"),
    "question_asked": _("A question for you"),
    "question_answered": _("Question answered"),
}

# Lines only staff see (internal).
STAFF_VERB_LABELS = {
    "complaint_return": _("Returned by the department (退单)"),
    "complaint_escalated": _("Overdue: escalated to supervisors (督办)"),
    "complaint_reminder": _("Reminder sent to the department (催办)"),
}
