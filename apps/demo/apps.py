from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and `seed_demo` for `make run` and the tests; never installed in production."""

    name = "apps.demo"
    label = "demo"
