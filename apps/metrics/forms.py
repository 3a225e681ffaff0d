from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.catalog.models import ServiceItem

from .selectors import (
    MetricsFilters,
    add_months,
    default_period,
    month_key,
    months_between,
    parse_month,
)

MAX_MONTHS = 60


class MonthInput(forms.TextInput):
    input_type = "month"


class PeriodForm(forms.Form):
    """From month to month (YYYY-MM), both included; the last twelve months by default."""

    start = forms.CharField(
        label=_("From month"),
        required=False,
        widget=MonthInput(attrs={"placeholder": "2025-01"}),
        help_text=_("Year and month, for example 2025-01."),
    )
    end = forms.CharField(
        label=_("To month"),
        required=False,
        widget=MonthInput(attrs={"placeholder": "2025-12"}),
        help_text=_("Year and month, included."),
    )

    def _month(self, name: str) -> date | None:
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        try:
            return parse_month(text=text)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a year and month such as 2025-01."), code="month"
            ) from None

    def clean_start(self) -> date | None:
        return self._month("start")

    def clean_end(self) -> date | None:
        return self._month("end")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "start" not in data or "end" not in data:
            return data  # a month did not parse: its error is shown
        start, end = data["start"], data["end"]
        default_start, default_end = default_period()
        if end is None:
            end = default_end if start is None or start <= default_end else start
        if start is None:
            start = min(default_start, add_months(value=end, months=-11))
        if start > end:
            self.add_error("end", _("The last month cannot come before the first."))
        elif len(months_between(first=start, last=end)) > MAX_MONTHS:
            self.add_error("end", _("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[date, date]:
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_period()

    def query_params(self) -> dict:
        start, end = self.period()
        return {"start": month_key(value=start), "end": month_key(value=end)}


class MetricsFilterForm(PeriodForm):
    """The dashboard's filters: department, service and period, all optional."""

    department = forms.ChoiceField(label=_("Department"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)

    field_order = ["department", "service", "start", "end"]

    def __init__(
        self,
        *args: Any,
        departments: Iterable[Department] = (),
        services: Iterable[ServiceItem] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.departments = {department.code: department for department in departments}
        self.services = {service.code: service for service in services}
        choices = {
            "department": [("", _("All my departments"))]
            + [(department.code, str(department)) for department in departments],
            "service": [("", _("All services"))]
            + [(service.code, service.name) for service in services],
        }
        for name, field_choices in choices.items():
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                field.choices = field_choices

    def filters(self, *, scope: frozenset[int] | None) -> MetricsFilters:
        start, end = self.period()
        department = service = None
        if self.is_valid():
            department = self.departments.get(self.cleaned_data["department"])
            service = self.services.get(self.cleaned_data["service"])
        return MetricsFilters(
            start=start,
            end=end,
            department_id=department.pk if department else None,
            service_id=service.pk if service else None,
            scope=scope,
        )

    def query_params(self) -> dict:
        params = super().query_params()
        if self.is_valid():
            for name in ("department", "service"):
                if self.cleaned_data.get(name):
                    params[name] = self.cleaned_data[name]
        return params
