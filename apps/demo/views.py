"""The load benchmark's floor (audience: `benchmarks/load_benchmark.py`, never residents or
staff): a bare view that reads one indexed row of the cases table, served by the same
processes as the pages it is compared with. Routed only by `apps.demo.benchmark_urls` with
`BENCHMARK_FLOOR` on (`benchmarks/load_settings.py`); apps.demo is not installed in production."""

from django.http import Http404, HttpRequest, JsonResponse

from .selectors import case_floor_row


def floor(request: HttpRequest, pk: int) -> JsonResponse:
    row = case_floor_row(pk=pk)
    if row is None:
        raise Http404
    return JsonResponse(row)
