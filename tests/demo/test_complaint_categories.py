import pytest

from apps.catalog.models import ServiceItem
from apps.demo.loader import seed_complaint_categories

pytestmark = pytest.mark.django_db


def test_demo_complaint_categories_are_idempotent():
    seed_complaint_categories()
    items = seed_complaint_categories()
    assert len(items) == 5
    for item in items:
        assert item.kind == ServiceItem.Kind.COMPLAINT and item.current_version() is not None
        assert item.complaint_days_for("consultation") == 2
