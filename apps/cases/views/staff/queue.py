"""The work lists: the queue (intake and review tasks), claiming and assigning a task, and the
overdue work for leads and supervisors (督办)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.models import StaffMembership
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.core.calendar import WorkingCalendar
from apps.core.exceptions import ApplicationError

from ... import selectors, services
from ...display import applicant_name
from ...forms import AssignForm, QueueFilterForm
from ...models import Case
from .common import back_url, seek_page_for_request


@staff_required()
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    departments = selectors.staff_department_ids(user=request.user)
    filter_form = QueueFilterForm(
        request.GET or None,
        services=selectors.services_of_departments(department_ids=departments),
    )
    filters = filter_form.filters()
    intake = tasks = None
    if filters["state"] in ("", Case.State.SUBMITTED):
        intake = seek_page_for_request(
            request,
            selectors.intake_list_for_user(
                user=request.user, service=filters["service"], overdue=filters["overdue"]
            ),
            keys=selectors.INTAKE_ORDER,
            param="intake",
        )
    if filters["state"] in ("", Case.State.IN_REVIEW):
        tasks = seek_page_for_request(
            request,
            selectors.task_list_for_user(
                user=request.user, service=filters["service"], overdue=filters["overdue"]
            ),
            keys=selectors.TASK_ORDER,
        )
    rows = []
    if tasks is not None:
        colleagues = selectors.colleagues_by_department(
            department_ids={t.department_id for t in tasks}
        )
        rows = [
            {
                "task": task,
                "applicant": applicant_name(task.case),
                "assign_form": AssignForm(
                    prefix=f"task{task.pk}", colleagues=colleagues.get(task.department_id, [])
                ),
            }
            for task in tasks
        ]
    return render(
        request,
        "staff/cases/queue.html",
        {
            "filter_form": filter_form,
            "intake": intake,
            "intake_rows": [{"case": c, "applicant": applicant_name(c)} for c in intake or []],
            "tasks": tasks,
            "task_rows": rows,
            "today": timezone.localdate(),
        },
    )


@staff_required()
@require_POST
def task_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for_user(user=request.user, pk=pk)
    try:
        services.task_claim(
            task=task, actor=request.user, context=AuditContext.from_request(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You work on %(number)s now.") % {"number": task.case.ref})
    return redirect(back_url(request, reverse("staff:staff_cases:queue")))


@staff_required()
@require_POST
def task_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for_user(user=request.user, pk=pk)
    colleagues = selectors.colleagues_by_department(department_ids=[task.department_id]).get(
        task.department_id, []
    )
    form = AssignForm(request.POST, prefix=f"task{task.pk}", colleagues=colleagues)
    if not form.is_valid():
        messages.error(request, _("Choose a colleague of %(dept)s.") % {"dept": task.department})
        return redirect(back_url(request, reverse("staff:staff_cases:queue")))
    assignee = form.colleagues[form.cleaned_data["assignee"]]
    try:
        services.task_assign(
            task=task,
            actor=request.user,
            assignee=assignee,
            context=AuditContext.from_request(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(number)s is assigned to %(name)s.") % {"number": task.case.ref, "name": assignee},
        )
    return redirect(back_url(request, reverse("staff:staff_cases:queue")))


# --- overdue work (督办) ------------------------------------------------------------------------


@staff_required(StaffMembership.Role.SUPERVISOR, StaffMembership.Role.LEAD)
def overdue(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases, tasks = selectors.overdue_lists_for_user(user=request.user)
    cases_page = seek_page_for_request(
        request, cases, keys=selectors.OVERDUE_CASE_ORDER, param="cases"
    )
    tasks_page = seek_page_for_request(request, tasks, keys=selectors.OVERDUE_TASK_ORDER)
    calendar = WorkingCalendar()
    return render(
        request,
        "staff/cases/overdue.html",
        {
            "cases": cases_page,
            "case_rows": [
                {"case": c, "days": selectors.days_overdue(due=c.deadline, calendar=calendar)}
                for c in cases_page
            ],
            "tasks": tasks_page,
            "task_rows": [
                {"task": t, "days": selectors.days_overdue(due=t.due_date, calendar=calendar)}
                for t in tasks_page
            ],
        },
    )
