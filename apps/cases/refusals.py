"""A refused step of a case (审批分离): translated for the person, audited for the auditor.

`duty_check` asks a rule (a transition's `permission=`, see `apps/cases/duties.py`) and raises
`StepRefused` (a `PermissionDenied`: 403) with the translated reason. The refusal's audit
event must outlive the transaction the refusal rolls back, so it is not written where the
refusal is raised: `refusals_audited`, the outermost wrapper of every service that can refuse
(outside its `transaction.atomic`), writes it in a transaction of its own once the refused
one is rolled back, and only the outermost such service writes it. A caller above that wraps
such a service in its own transaction uses `refusals_audited` on itself too."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

from apps.accounts.models import Department, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record

from .duties import Refusal, refusal_message, refusal_of
from .models import ReviewTask

P = ParamSpec("P")
R = TypeVar("R")

_depth: ContextVar[int] = ContextVar("cases_refusal_depth", default=0)


class StepRefused(PermissionDenied):
    """A step of a case the person may not take; `audit()` records it once."""

    def __init__(
        self,
        message: str,
        *,
        actor: User | None,
        on_behalf_of: User | None,
        target: Model,
        data: dict[str, Any],
        context: AuditContext | None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.actor = actor
        self.on_behalf_of = on_behalf_of
        self.target = target
        self.data = data
        self.context = context
        self.audited = False

    def audit(self) -> None:
        if self.audited:
            return
        with transaction.atomic():
            audit_record(
                action=AuditAction.TRANSITION_REFUSED,
                actor=self.actor,
                on_behalf_of=self.on_behalf_of,
                target=self.target,
                data=self.data,
                context=self.context,
            )
        self.audited = True


@contextmanager
def refusals_recorded() -> Iterator[None]:
    """Audit a refusal raised inside once the outermost such block is left."""
    outermost = _depth.get() == 0
    token = _depth.set(_depth.get() + 1)
    try:
        try:
            yield
        finally:
            _depth.reset(token)
    except StepRefused as exc:
        if outermost:
            exc.audit()
        raise


def refusals_audited(func: Callable[P, R]) -> Callable[P, R]:
    """The decorator form of `refusals_recorded`: put it above `@transaction.atomic`."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with refusals_recorded():
            return func(*args, **kwargs)

    return wrapper


def duty_check(
    *,
    rule: Callable[[Model, object], bool] | None,
    obj: Model,
    step: str,
    actor: User | None,
    on_behalf_of: User | None = None,
    context: AuditContext | None = None,
) -> None:
    """Raise `StepRefused` when `rule` refuses the person acted for (`on_behalf_of or actor`)
    `step` on `obj`; `actor=None` (the portal itself) is never refused."""
    person = on_behalf_of or actor
    if person is None:
        return
    found = refusal_of(rule, obj, person)
    if found is None:
        return
    step_refused(
        reason=found.reason,
        obj=obj,
        step=step,
        actor=actor,
        on_behalf_of=on_behalf_of,
        context=context,
        roles=found.roles,
        department=found.department,
    )


def step_refused(
    *,
    reason: Refusal,
    obj: Model,
    step: str,
    actor: User | None,
    on_behalf_of: User | None = None,
    context: AuditContext | None = None,
    roles: list[str] | None = None,
    department: Department | None = None,
) -> None:
    """Raise the refusal of `step` on `obj` (a case or a review task) for `reason`."""
    case = obj.case if isinstance(obj, ReviewTask) else obj
    raise StepRefused(
        refusal_message(reason, roles=roles or (), department=department),
        actor=actor,
        on_behalf_of=on_behalf_of,
        target=obj,
        data={
            "step": step,
            "reason": str(reason),
            "case": str(case),
            "state": getattr(obj, "state", ""),
            "department": getattr(department, "code", ""),
            "roles": roles or [],
            "superuser": bool(getattr(on_behalf_of or actor, "is_superuser", False)),
        },
        context=context,
    )
