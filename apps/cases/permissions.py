"""Who may see and act on a case: django-guardian object permissions, granted to a department's
group when work is routed to it and withdrawn when the work leaves it."""

from django.db.models import Model
from guardian.shortcuts import assign_perm, remove_perm

from apps.accounts.models import Department

CASE_VIEW = "cases.view_case"
CASE_PROCESS = "cases.process_case"
TASK_ACT = "cases.act_on_task"


def department_grant(department: Department, obj: Model, *perms: str) -> None:
    for perm in perms:
        assign_perm(perm, department.group, obj)


def department_revoke(department: Department, obj: Model, *perms: str) -> None:
    for perm in perms:
        remove_perm(perm, department.group, obj)
