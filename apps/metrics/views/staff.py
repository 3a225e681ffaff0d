"""The supervisors' dashboard at /staff/metrics/ and its CSV export. Leads see their own
departments, supervisors every department, other staff and residents get 403. The figures
are read from the replica where there is one (the role is checked on the primary first)."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import StaffMembership
from apps.accounts.permissions import staff_required
from apps.core.db_router import read_from_replica

from ..charts import months_chart, rate_chart
from ..definitions import MEASURES
from ..forms import MetricsFilterForm
from ..presenters import cells, csv_value, format_value, measure_header, no_figure_note
from ..selectors import (
    MetricsFilters,
    dashboard_tables,
    departments_in_scope,
    metrics_scope_for_user,
    metrics_table,
    rollup,
    services_in_scope,
    total,
)
from ..selectors.dashboard import FINEST
from ..services import rollups_refresh_if_due

Role = StaffMembership.Role
ON_TIME = next(m for m in MEASURES if m.key == "on_time_rate")
VIEWS = (
    ("department", ["department"]),
    ("service", ["service"]),
    ("channel", ["channel"]),
    ("month", ["month"]),
)


def _filters(request: AuthenticatedHttpRequest) -> tuple[MetricsFilterForm, MetricsFilters]:
    scope = metrics_scope_for_user(user=request.user)
    form = MetricsFilterForm(
        request.GET,
        departments=departments_in_scope(scope=scope),
        services=services_in_scope(scope=scope),
    )
    rollups_refresh_if_due()  # without beat only; a no-op when beat keeps the rollups current
    return form, form.filters(scope=scope)


@staff_required(Role.LEAD, Role.SUPERVISOR)
@read_from_replica()
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    found = dashboard_tables(filters=filters)
    tables = {
        "department": found.by_department,
        "service": found.by_service,
        "channel": found.by_channel,
        "month": found.by_month,
    }
    summary = found.summary
    charts = {
        "months": months_chart(
            [(row.month or "", row.received, row.decided) for row in tables["month"]],
            title=_("Received and decided cases per month"),
        ),
        "on_time": rate_chart(
            [(row.department_label, row.on_time_rate) for row in tables["department"]],
            title=_("On-time rate per department"),
            ident="chart-on-time",
        ),
    }
    query = form.query_params()
    context = {
        "form": form,
        "filters": filters,
        "summary": cells(summary),
        "measures": MEASURES,
        "tables": [
            (_("By department"), "department", [(r, cells(r)) for r in tables["department"]]),
            (_("By service"), "service", [(r, cells(r)) for r in tables["service"]]),
            (_("By channel"), "channel", [(r, cells(r)) for r in tables["channel"]]),
            (_("By month"), "month", [(r, cells(r)) for r in tables["month"]]),
        ],
        "month_rows": tables["month"],
        "department_rows": [
            (row, format_value(ON_TIME, row.on_time_rate)) for row in tables["department"]
        ],
        "charts": charts,
        "export_query": query,
        "no_figure_note": no_figure_note(),
    }
    return render(request, "staff/metrics/dashboard.html", context)


@staff_required(Role.LEAD, Role.SUPERVISOR)
@read_from_replica()
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboard's figures for the same filters: the total, each view and the detailed
    breakdown, one table per `table` value. UTF-8 with a BOM so that Excel reads Chinese."""
    form, filters = _filters(request)
    fine = metrics_table(group_by=FINEST, filters=filters)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            "table",
            _("Department code"),
            _("Department"),
            _("Service code"),
            _("Service"),
            _("Channel"),
            _("Month"),
            *[measure_header(m) for m in MEASURES],
        ]
    )
    tables = [("total", [total(rows=fine)])]
    tables += [(name, rollup(rows=fine, group_by=group_by)) for name, group_by in VIEWS]
    tables.append(("detail", fine))
    for name, rows in tables:
        for row in rows:
            writer.writerow(
                [
                    name,
                    row.department_code,
                    row.department_label,
                    row.service_code,
                    row.service_label,
                    row.channel or "",
                    row.month or "",
                    *[csv_value(m, getattr(row, m.key)) for m in MEASURES],
                ]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"metrics-{form.query_params()['start']}-{form.query_params()['end']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
