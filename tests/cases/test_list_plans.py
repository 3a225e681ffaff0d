"""Every list is an index walk (issue 11): on PostgreSQL, with a few thousand seeded cases and
fresh statistics, the plans of the main lists read cases_case and cases_reviewtask through
their indexes, never a sequential scan."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from apps.accounts.models import StaffMembership
from apps.cases import selectors as cases
from apps.cases.models import Case
from apps.cases.prefill import last_application_list
from apps.complaints import selectors as complaints

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (query plans)"),
]


def plan_of(queryset) -> str:
    return queryset[:26].explain()


def test_the_lists_walk_indexes():
    call_command("seed_load", cases=4000, fast="off", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clerk = StaffMembership.objects.filter(role="clerk").select_related("user").first().user
    supervisor = (
        StaffMembership.objects.filter(role="supervisor").select_related("user").first().user
    )
    resident = Case.objects.order_by("pk").first().applicant
    overdue_cases, overdue_tasks = cases.overdue_lists_for_user(user=supervisor)
    lists = {
        "my cases": cases.resident_case_list(user=resident).order_by("-created_at", "-pk"),
        "intake": cases.intake_list_for_user(user=clerk),
        "tasks": cases.task_list_for_user(user=clerk),
        "overdue cases": overdue_cases,
        "overdue tasks": overdue_tasks,
        "triage": complaints.complaint_triage_list(),
        "complaints being handled": complaints.complaint_department_list(user=clerk),
        "last application (prefill)": last_application_list(
            applicant_id=resident.pk, service_id=Case.objects.order_by("pk").first().service_id
        ),
    }
    for name, queryset in lists.items():
        plan = plan_of(queryset)
        for table in ("cases_case", "cases_reviewtask"):
            # (\b: the co-handling table cases_case_co_departments is another table)
            assert not re.search(rf"Seq Scan on {table}\b", plan), f"{name}:\n{plan}"
        assert "Index" in plan, f"{name}:\n{plan}"
