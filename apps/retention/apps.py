from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """How long the city keeps what (the retention schedule), the legal hold, the daily
    anonymisation of cases past their period and the destruction lists a records officer and
    the department lead approve (docs/retention.md). At the top, above privacy (whose
    `resident_anonymise` it reuses) and metrics (whose counted timeline lines it keeps)."""

    name = "apps.retention"
    label = "retention"
    verbose_name = _("Records retention")

    def ready(self) -> None:
        from apps.privacy.holds import case_hold_reader_register

        from .selectors import cases_on_hold_among

        case_hold_reader_register(reader=cases_on_hold_among)
