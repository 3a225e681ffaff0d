"""Settings for `load_benchmark.py`'s gunicorn: the portal's own (production-like from the
environment the benchmark sets) plus the floor view's URL."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "apps.demo.benchmark_urls"
BENCHMARK_FLOOR = True
