"""The portal's URLs and, with `BENCHMARK_FLOOR` on, the load benchmark's floor view.

Only `benchmarks/load_settings.py` names this module as ROOT_URLCONF; `portal/urls.py` never
includes it, so no deployment serves the floor."""

from typing import Any

from django.conf import settings
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

from . import views

urlpatterns: list[Any] = list(portal_urlpatterns)
if getattr(settings, "BENCHMARK_FLOOR", False):
    urlpatterns.insert(0, path("__benchmark__/floor/<int:pk>/", views.floor, name="bench-floor"))
