from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The outbound feed of case events for departments' own systems (CloudEvents 1.0): the
    outbox table, webhooks with signatures and retries, and the pull API."""

    name = "apps.events"
    label = "events"
    verbose_name = _("Events for departments' systems")

    def ready(self) -> None:
        from apps.cases.signals import case_line_added
        from apps.certificates.signals import certificate_changed

        from .receivers import case_line_recorded, certificate_changed_recorded

        case_line_added.connect(case_line_recorded, dispatch_uid="events.case_line_recorded")
        certificate_changed.connect(
            certificate_changed_recorded, dispatch_uid="events.certificate_changed_recorded"
        )
