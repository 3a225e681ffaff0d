"""The measures every table, export and page shows, with the definition shown as help text."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Measure:
    key: str  # the Row attribute, the JSON key and the CSV column
    label: Promise
    kind: str  # "count", "rate" (0..1) or "days"
    definition: Promise


MEASURES = (
    Measure(
        "received",
        _("Cases received"),
        "count",
        _("Cases submitted in the period (by the month they were submitted)."),
    ),
    Measure(
        "decided",
        _("Cases decided"),
        "count",
        _(
            "Cases with an outcome in the period (approved, rejected, not accepted, or a "
            "complaint replied to), by the month of the outcome."
        ),
    ),
    Measure(
        "on_time_rate",
        _("On-time rate"),
        "rate",
        _("Decided cases whose outcome came by the deadline, out of all decided cases."),
    ),
    Measure(
        "avg_working_days",
        _("Average working days to outcome"),
        "days",
        _(
            "Working days from submission to outcome of the decided cases, not counting the "
            "days spent waiting for the resident's corrections."
        ),
    ),
    Measure(
        "p90_working_days",
        _("90th percentile of working days"),
        "days",
        _(
            "Nine in ten decided cases had their outcome within this many working days "
            "(nearest rank)."
        ),
    ),
    Measure(
        "active_rating_rate",
        _("Active rating rate (主动评价率)"),
        "rate",
        _(
            "Rating requests opened in the period that the resident answered with a rating "
            "(online, by SMS or at the counter; re-ratings not counted), out of all rating "
            "requests opened. Cases nobody rated count as unrated."
        ),
    ),
    Measure(
        "satisfaction_rate",
        _("Satisfaction rate (满意率)"),
        "rate",
        _(
            "Each case's latest rating, by the month it was given, not counting ratings "
            "set aside on appeal: very satisfied, satisfied or fairly satisfied, out of all "
            "those ratings."
        ),
    ),
    Measure(
        "rectification_rate",
        _("Bad-rating rectification rate (差评整改率)"),
        "rate",
        _(
            "Bad ratings (dissatisfied or very dissatisfied, not set aside on appeal) given in "
            "the period whose rectification the department has answered, out of those bad "
            "ratings."
        ),
    ),
    Measure(
        "follow_up_rate",
        _("Follow-up rate (回访率)"),
        "rate",
        _(
            "The same bad ratings whose rectification result was brought back to the "
            "resident, out of those bad ratings."
        ),
    ),
    Measure(
        "reopen_rate",
        _("Reopen rate"),
        "rate",
        _("Decided cases that were reopened, out of all decided cases."),
    ),
    Measure(
        "return_rate",
        _("Return rate (退单率)"),
        "rate",
        _(
            "Received complaints a department sent back as outside its remit, out of all "
            "received cases."
        ),
    ),
    Measure(
        "correction_rate",
        _("Correction rate"),
        "rate",
        _(
            "Received applications returned to the resident for corrections at least once, "
            "out of all received cases."
        ),
    ),
)

MEASURE_KEYS = tuple(measure.key for measure in MEASURES)
