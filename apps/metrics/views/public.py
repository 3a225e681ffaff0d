"""The public open-data page at /open-data/, its JSON and its CSV: aggregates only, read from
the replica where there is one."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from apps.core.db_router import read_from_replica

from ..definitions import MEASURES
from ..forms import PeriodForm
from ..open_data import TABLES, open_data, open_data_csv
from ..presenters import SUPPRESS_BELOW, no_figure_note, public_text
from ..selectors import MetricsFilters


def _document(request: HttpRequest) -> tuple[PeriodForm, dict]:
    form = PeriodForm(request.GET)
    start, end = form.period()
    return form, open_data(filters=MetricsFilters(start=start, end=end))


@read_from_replica()
def open_data_page(request: HttpRequest) -> HttpResponse:
    form, document = _document(request)
    tables = []
    for name, group_by in TABLES:
        rows = [
            (record, [public_text(record, measure) for measure in MEASURES])
            for record in document[name]
        ]
        tables.append((name, group_by[0], rows))
    context = {
        "form": form,
        "document": document,
        "tables": tables,
        "measures": MEASURES,
        "threshold": SUPPRESS_BELOW,
        "query": form.query_params(),
        "no_figure_note": no_figure_note(),
    }
    return render(request, "resident/open_data/index.html", context)


@read_from_replica()
def open_data_json(request: HttpRequest) -> JsonResponse:
    _form, document = _document(request)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


@read_from_replica()
def open_data_csv_view(request: HttpRequest) -> HttpResponse:
    form, document = _document(request)
    response = HttpResponse(open_data_csv(document), content_type="text/csv; charset=utf-8")
    query = form.query_params()
    response["Content-Disposition"] = (
        f'attachment; filename="open-data-{query["start"]}-{query["end"]}.csv"'
    )
    return response
