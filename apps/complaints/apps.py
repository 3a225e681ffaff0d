from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

WORKFLOW_TEXT = """A proxy of `Case` (`apps/complaints/models.py`): the same row and table,
with the complaint transitions. Dispatchers (`dispatcher` role) `dispatch` and `merge`; the lead
department (`process_case`, granted at dispatch, and any active staff role there: a superuser
flag gives nothing) `sign`s for it (签收), returns it
(`complaint_return`, 退单, with a reason and the legal basis) or `reply`s (办结); the reporter
(within the rating window) or a dispatcher may `reopen` it (重办). A good rating, or the end of
the rating window, `close`s it. The hour-based clock (签收 reminders, 督办, 催办) runs in its own
hourly beat task, `apps.complaints.tasks.complaint_clock_sweep_task`."""


class ComplaintsConfig(AppConfig):
    name = "apps.complaints"
    label = "complaints"
    verbose_name = _("Complaints (12345)")

    def ready(self) -> None:
        # cases knows nothing of complaints: this app hands it its timeline labels, what the
        # reporter is told at each transition, and the section of docs/workflow.md that shows
        # the complaint machine.
        from apps.cases.services.transitions import register_resident_notices
        from apps.cases.timeline import register_verb_labels

        from .services.common import RESIDENT_NOTICES
        from .timeline import STAFF_VERB_LABELS, VERB_LABELS

        register_verb_labels(public=VERB_LABELS, staff=STAFF_VERB_LABELS)
        register_resident_notices(notices=RESIDENT_NOTICES)

    @property
    def workflow_sections(self) -> list[dict]:
        from .models import Complaint, workflow_doc_ignored_transitions

        return [
            {
                "model": Complaint,
                "title": "Complaint (12345 work order)",
                "text": WORKFLOW_TEXT,
                "ignore": workflow_doc_ignored_transitions(),
            }
        ]
