from collections.abc import Callable, Iterable, Sequence
from datetime import date

from django.contrib.auth.models import Permission
from django.db.models import (
    BooleanField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Case_
from django.http import Http404
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm
from guardian.shortcuts import get_objects_for_user

from apps.accounts.models import StaffMembership, User
from apps.catalog.models import FieldDefinition, ServiceItem
from apps.core.calendar import WorkingCalendar
from apps.core.pagination import SeekKey

from .duties import KnownGrants, holds_grant
from .grant_reads import (
    FULL_ID_NUMBERS,
    known_grants_annotations,
    known_grants_attach,
    task_known_grants_annotations,
)
from .models import (
    Attachment,
    Case,
    CaseDocument,
    CaseEvent,
    CaseGroupGrant,
    CaseUserGrant,
    ExtensionRequest,
    ReviewTask,
    TaskGroupGrant,
    TaskUserGrant,
    may_decide,
    may_process,
)

# The order of each list (for `apps.core.pagination`): the last key is unique, and an index
# added in `models/` serves each one from its cursor.
RESIDENT_CASE_ORDER = (SeekKey("created_at", descending=True), SeekKey("pk", descending=True))
INTAKE_ORDER = (SeekKey("deadline", nullable=True), SeekKey("pk"))
TASK_ORDER = (SeekKey("due_date", nullable=True), SeekKey("pk"))
OVERDUE_CASE_ORDER = (SeekKey("deadline"), SeekKey("pk"))
OVERDUE_TASK_ORDER = (SeekKey("due_date"), SeekKey("pk"))


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    """The cases this person may see (object permissions), newest first."""
    return (
        get_objects_for_user(
            user, "cases.view_case", klass=Case, accept_global_perms=False, with_superuser=False
        )
        .select_related("service", "version")
        .order_by("-created_at")
    )


def resident_case_list(*, user: User) -> QuerySet[Case]:
    """The resident's "my cases": those they applied for, and those a family member's proxy
    grant (亲情账号) lets them see. Two index walks (the applicant column, the person's
    direct-FK grants) merged by a UNION, then the cases by primary key; order with
    `RESIDENT_CASE_ORDER`."""
    own = Case.objects.filter(applicant_id=user.pk).order_by().values("pk")
    granted = (
        CaseUserGrant.objects.filter(
            user_id=user.pk,
            permission__codename="view_case",
            permission__content_type__app_label="cases",
        )
        .order_by()
        .values("content_object_id")
    )
    cases: QuerySet[Case] = Case.objects.filter(pk__in=own.union(granted))
    return cases.select_related("service", "version")


def case_get_for_user(*, user: User, ref: str) -> Case:
    """One case by number or draft reference as a resident sees it (their own, a complaint they
    reported, a family member's they were granted), or 404. The person's own grants only: a
    department's group grant lets its staff read the case through `case_get_for_staff`, whose
    views record the staff view of personal data, never through the resident's pages and API."""
    own: QuerySet[Case] = get_objects_for_user(
        user,
        "cases.view_case",
        klass=Case,
        accept_global_perms=False,
        with_superuser=False,
        use_groups=False,
    )
    case = (
        own.filter(Q(number=ref) | Q(reference=ref))
        .select_related("service", "version", "applicant", "applicant__profile", "signature")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("field_key", "id")),
            Prefetch(
                "case_documents",
                queryset=CaseDocument.objects.select_related("document").order_by("created_at"),
            ),
        )
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_timeline(*, case: Case, include_internal: bool = False) -> list[CaseEvent]:
    events = case.events.select_related("actor", "on_behalf_of")
    if not include_internal:
        events = events.filter(is_public=True)
    return list(events)


def case_public_documents(*, case: Case) -> list[CaseDocument]:
    return [link for link in case.case_documents.all() if link.is_public]


def attachments_by_field(*, case: Case) -> dict[str, list[Attachment]]:
    grouped: dict[str, list[Attachment]] = {}
    for attachment in case.attachments.all():
        grouped.setdefault(attachment.field_key, []).append(attachment)
    return grouped


# --- staff: queues, the case page, overdue work -----------------------------------------------


def staff_department_ids(*, user: User, roles: Sequence[str] = ()) -> list[int]:
    """The departments where this person holds an active membership (with one of `roles`),
    from the memberships the user object read once (`User.active_memberships`)."""
    ids = (m.department_id for m in user.active_memberships if not roles or m.role in roles)
    return list(dict.fromkeys(ids))


def _overdue_first(qs: QuerySet, *, due: str) -> QuerySet:
    today = timezone.localdate()
    result: QuerySet = qs.annotate(
        is_overdue=Case_(
            When(**{f"{due}__lt": today}, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    ).order_by(F(due).asc(nulls_last=True), "pk")  # the overdue (earliest) come first
    return result


def services_of_departments(*, department_ids: Iterable[int]) -> list[ServiceItem]:
    """The services my departments lead or review: the queue's service filter."""
    return list(
        ServiceItem.objects.filter(
            Q(lead_department_id__in=department_ids) | Q(stages__departments__id__in=department_ids)
        )
        .distinct()
        .order_by("code")
    )


def _department_grant(*, user: User, codename: str) -> Exists:
    """The row's department group holds `codename` for one of this person's groups: an index
    probe per row walked (guardian's direct-FK table), not a scan of every grant. The groups go
    in as a list, read first: with a join to them instead, PostgreSQL cannot tell how many grants
    match and hashes all of a department's (80,000 at a million cases) before the first row."""
    permission = Permission.objects.filter(
        codename=codename, content_type__app_label=Case._meta.app_label
    ).values("pk")[:1]
    return Exists(
        CaseGroupGrant.objects.filter(
            content_object_id=OuterRef("pk"),
            group_id__in=list(user.groups.values_list("pk", flat=True)),
            permission_id=Subquery(permission),
        )
    )


def intake_list_for_user(*, user: User, service: str = "", overdue: bool = False) -> QuerySet[Case]:
    """受理: submitted cases of my departments that I may take in, overdue and nearest first
    (order with `INTAKE_ORDER`: overdue deadlines come first in it)."""
    cases = Case.objects.filter(
        _department_grant(user=user, codename="process_case"),
        state=Case.State.SUBMITTED,
        lead_department_id__in=staff_department_ids(user=user),
    )
    if service:
        cases = cases.filter(service__code=service)
    if overdue:
        cases = cases.filter(deadline__lt=timezone.localdate())
    return _overdue_first(
        cases.select_related("service", "applicant", "applicant__profile", "lead_department"),
        due="deadline",
    )


def _granted_task_ids(*, user: User, departments: Sequence[int]) -> list[int]:
    """Active tasks outside my departments granted to me or my groups (exceptional grants):
    a small query of its own, so the queue stays one index walk."""
    own = TaskUserGrant.objects.filter(user=user).values("content_object_id")
    groups = TaskGroupGrant.objects.filter(group__user=user).values("content_object_id")
    filters = {
        "permission__codename": "act_on_task",
        "content_object__state": ReviewTask.State.ACTIVE,
    }
    ids = own.filter(**filters).union(groups.filter(**filters))
    return [
        pk
        for pk in ReviewTask.objects.filter(pk__in=ids)
        .exclude(department_id__in=departments)
        .values_list("pk", flat=True)
    ]


def task_list_for_user(
    *, user: User, service: str = "", overdue: bool = False
) -> QuerySet[ReviewTask]:
    """Review tasks under way in my departments (or granted to me), overdue and nearest first
    (order with `TASK_ORDER`)."""
    departments = staff_department_ids(user=user)
    tasks = ReviewTask.objects.filter(
        Q(department_id__in=departments)
        | Q(pk__in=_granted_task_ids(user=user, departments=departments)),
        state=ReviewTask.State.ACTIVE,
    )
    if service:
        tasks = tasks.filter(case__service__code=service)
    if overdue:
        tasks = tasks.filter(due_date__lt=timezone.localdate())
    return _overdue_first(
        tasks.select_related(
            "case",
            "case__service",
            "case__applicant",
            "case__applicant__profile",
            "department",
            "assignee",
        ),
        due="due_date",
    )


def task_get_for_user(*, user: User, pk: int) -> ReviewTask:
    """A review task of a case this person may see, or 404."""
    task = (
        ReviewTask.objects.filter(pk=pk, case__in=case_list_for_user(user=user).values("pk"))
        .select_related("case", "case__service", "department", "assignee")
        .first()
    )
    if task is None:
        raise Http404
    result: ReviewTask = task
    return result


def colleagues_by_department(*, department_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active clerks and leads of each department, for "assign to a colleague"; one query.
    People only: a department's system holds a clerk membership but is no one to hand work to."""
    memberships = (
        StaffMembership.objects.filter(
            department_id__in=set(department_ids),
            is_active=True,
            user__is_active=True,
            user__is_system_account=False,
            role__in=[StaffMembership.Role.CLERK, StaffMembership.Role.LEAD],
        )
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )
    grouped: dict[int, list[User]] = {}
    for membership in memberships:
        people = grouped.setdefault(membership.department_id, [])
        if membership.user not in people:
            people.append(membership.user)
    return grouped


def _staff_case_scope(*, user: User) -> QuerySet[Case]:
    """The cases whose staff page this person may open: supervisors (督办, read-only) any
    submitted case from the overdue view; others need the department's object permission."""
    if staff_department_ids(user=user, roles=(StaffMembership.Role.SUPERVISOR,)):
        cases: QuerySet[Case] = Case.objects.exclude(state=Case.State.DRAFT).select_related(
            "service", "version"
        )
        return cases
    return case_list_for_user(user=user)


def case_files_get_for_staff(*, user: User, ref: str) -> Case:
    """A case with its attachments and documents, for the staff file downloads: whoever may
    open the staff case page (`case_get_for_staff`) may read its files, supervisors included;
    404 for anyone else."""
    case = (
        _staff_case_scope(user=user)
        .filter(Q(number=ref) | Q(reference=ref))
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("field_key", "id")),
            Prefetch(
                "case_documents",
                queryset=CaseDocument.objects.select_related("document").order_by("created_at"),
            ),
        )
        .first()
    )
    if case is None:
        raise Http404
    result: Case = case
    return result


def case_get_for_staff(*, user: User, ref: str) -> Case:
    """One case with everything the staff case page shows, in a fixed number of queries: the
    grants its buttons depend on come with the case and its tasks (`duties.KnownGrants`).

    Supervisors (督办) may open any submitted case from the overdue view; others need the
    department's object permission."""
    cases = _staff_case_scope(user=user)
    case = (
        cases.filter(Q(number=ref) | Q(reference=ref))
        .select_related("applicant", "applicant__profile", "lead_department", "signature")
        .annotate(
            **known_grants_annotations(user=user),
        )
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("field_key", "id")),
            Prefetch(
                "case_documents",
                queryset=CaseDocument.objects.select_related("document").order_by("created_at"),
            ),
            Prefetch(
                "version__fields",
                queryset=FieldDefinition.objects.select_related("document").order_by(
                    "step", "order", "pk"
                ),
            ),
            Prefetch(
                "review_tasks",
                queryset=ReviewTask.objects.select_related("department", "assignee", "decided_by")
                .annotate(**task_known_grants_annotations())
                .order_by("round", "stage_order", "department__code"),
            ),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related(
                    "actor", "on_behalf_of", "department"
                ).order_by("created_at", "id"),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related(
                    "requested_by", "decided_by"
                ).order_by("-created_at"),
            ),
        )
        .first()
    )
    if case is None:
        raise Http404
    known_grants_attach(case, user=user)
    result: Case = case
    return result


def case_shows_full_id_numbers(*, case: Case, user: User) -> bool:
    """`user.has_perm("accounts.view_full_id_number")`, from the case's own query when it came
    from `case_get_for_staff` for this person."""
    known = getattr(case, "known_grants", None)
    if not isinstance(known, KnownGrants) or known.viewer_id != user.pk:
        return user.has_perm(FULL_ID_NUMBERS)
    return user.is_active and (user.is_superuser or bool(case.viewer_full_ids))  # type: ignore[attr-defined]


def extension_get_for_user(*, user: User, pk: int) -> ExtensionRequest:
    extension = (
        ExtensionRequest.objects.filter(pk=pk, case__in=case_list_for_user(user=user).values("pk"))
        .select_related("case")
        .first()
    )
    if extension is None:
        raise Http404
    return extension


def case_staff_actions(*, case: Case, user: User) -> dict:
    """What the workflow lets this person do on the case now: the only buttons a page shows.

    Expects a case from `case_get_for_staff` (tasks and extension requests prefetched)."""
    # The rules of the transitions (`duties.py`): a superuser flag gives no button.
    process = may_process(case, user)
    handling = case.state in (Case.State.SUBMITTED, Case.State.IN_REVIEW)

    def allowed(method: Callable[..., object]) -> bool:
        return can_proceed(method) and has_transition_perm(method, user)

    my_tasks = [
        task
        for task in case.current_tasks()
        if task.state == ReviewTask.State.ACTIVE and has_transition_perm(task.approve, user)
    ]
    pending = [
        e for e in case.extension_requests.all() if e.state == ExtensionRequest.State.PENDING
    ]
    is_lead = case.lead_department_id in staff_department_ids(
        user=user, roles=(StaffMembership.Role.LEAD,)
    )
    outcome = case.review_outcome() if case.state == Case.State.IN_REVIEW else "pending"
    return {
        "accept": allowed(case.accept),
        "refuse": allowed(case.refuse),
        "return_for_correction": allowed(case.return_for_correction),
        "tasks": my_tasks,
        "decide": outcome != "pending" and may_decide(case, user),
        "outcome": outcome,
        "extend": handling
        and (process or bool(my_tasks))
        and case.deadline is not None
        and case.deadline >= timezone.localdate()
        and not pending,
        "pending_extensions": pending if is_lead else [],
        # A supervisor reading a case from the overdue view is not on it: no notes.
        "note": holds_grant(user, "cases.view_case", case),
    }


def overdue_lists_for_user(*, user: User) -> tuple[QuerySet[Case], QuerySet[ReviewTask]]:
    """督办: cases past their deadline and review tasks past their due date. Supervisors see
    every department, leads their own; anyone else sees nothing."""
    today = timezone.localdate()
    cases = Case.objects.filter(
        state__in=[Case.State.SUBMITTED, Case.State.IN_REVIEW], deadline__lt=today
    )
    tasks = ReviewTask.objects.filter(state=ReviewTask.State.ACTIVE, due_date__lt=today)
    if not staff_department_ids(user=user, roles=(StaffMembership.Role.SUPERVISOR,)):
        departments = staff_department_ids(user=user, roles=(StaffMembership.Role.LEAD,))
        cases = cases.filter(lead_department_id__in=departments)
        tasks = tasks.filter(department_id__in=departments)
    cases = cases.select_related("service", "lead_department").order_by("deadline", "pk")
    tasks = tasks.select_related("case", "case__service", "department", "assignee").order_by(
        "due_date", "pk"
    )
    return cases, tasks


def days_overdue(
    *, due: date | None, today: date | None = None, calendar: WorkingCalendar | None = None
) -> int:
    """Working days past `due` (the calendar skips weekends and holidays; no due date: 0). Pass
    one `WorkingCalendar` for a whole list, so its holidays are read once."""
    if due is None:
        return 0
    today = today or timezone.localdate()
    return max((calendar or WorkingCalendar()).working_days_between(due, today), 0)


def is_supervisor(*, user: User) -> bool:
    """督查: supervisors see every department's overdue work (and the complaints' too)."""
    return bool(staff_department_ids(user=user, roles=(StaffMembership.Role.SUPERVISOR,)))
