"""Who may do which step of a case (审批分离): the `permission=` of the workflow's transitions.

A step is allowed from the person's own standing, never from an account flag:

- the department holds the step's object permission on the row (granted to its group when the
  work was routed to it: `process_case` on the case for the lead department, `act_on_task` on
  a review task for the reviewing department), read from the person's own and their groups'
  grants only, so `is_superuser` adds nothing (guardian's and Django's `has_perm` answer yes
  to a superuser for everything);
- the person holds an active staff role in that department that the step names: intake and
  the reviews by clerks and leads, the decision by the role the service names
  (`ServiceItem.decision_role`, a lead by default; a lead always may);
- the decision, where the service asks for four eyes (`ServiceItem.four_eyes`), not by the
  person who took the case in or decided one of its review tasks.

Each rule is a callable django-fsm calls with the row and the person (`True`: allowed) and
answers `refusal()` with why not, which the transition mechanism audits and shows. This module
reads the rows' relations only and imports no model of this app, so the models can use it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.utils.translation import gettext as _
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from apps.accounts.models import Department, StaffMembership, User

Role = StaffMembership.Role
HANDLING_ROLES: tuple[str, ...] = (Role.CLERK, Role.LEAD)


class Refusal(StrEnum):
    """Why a step was refused (kept in the refusal's audit event)."""

    SUPERUSER = "superuser_without_role"
    NO_ROLE = "role_missing"
    FOUR_EYES = "four_eyes"
    NOT_APPLICANT = "not_applicant"
    NOT_PERMITTED = "not_permitted"


def _grant_filter(model: type[Model], perm: str, obj: Model, prefix: str = "") -> Q:
    """Rows of guardian's grant table `model` (direct foreign key or generic) granting `perm` on
    `obj`, seen from `prefix`."""
    content_type = ContentType.objects.get_for_model(obj)  # a proxy's rows are the table's
    where: dict[str, object] = {
        f"{prefix}permission__codename": perm.split(".", 1)[-1],
        f"{prefix}permission__content_type": content_type,
    }
    if model.objects.is_generic():  # type: ignore[attr-defined]
        where |= {f"{prefix}content_type": content_type, f"{prefix}object_pk": str(obj.pk)}
    else:
        where[f"{prefix}content_object_id"] = obj.pk
    return Q(**where)


@dataclass(frozen=True)
class KnownGrants:
    """What a row's grants say for one viewer, read with the row by a page's selector
    (`cases.selectors.case_get_for_staff`), so that its buttons ask no query each. Set as
    `obj.known_grants`; a row loaded otherwise (the locked row of a transition) has none and
    is asked in the database. The viewer's roles come from `User.active_memberships`.

    `held`: perm → whether the viewer holds it through their own or their groups' grants;
    `departments`: perm → the departments whose group holds it on the row (of those the rules
    name for it)."""

    viewer_id: int
    held: dict[str, bool] = field(default_factory=dict)
    departments: dict[str, frozenset[int]] = field(default_factory=dict)


def _known(obj: Model, user: User) -> KnownGrants | None:
    known = getattr(obj, "known_grants", None)
    return known if isinstance(known, KnownGrants) and known.viewer_id == user.pk else None


def holds_grant(user: object, perm: str, obj: Model) -> bool:
    """`perm` on `obj` through the user's own or their groups' object grants; an account flag
    (superuser, staff) counts for nothing. One query, or none when the row came with them."""
    if not isinstance(user, User) or not user.is_active or obj.pk is None:
        return False
    known = _known(obj, user)
    if known is not None and perm in known.held:
        return known.held[perm]
    user_model, group_model = get_user_obj_perms_model(obj), get_group_obj_perms_model(obj)
    own = user_model._default_manager.filter(_grant_filter(user_model, perm, obj), user=user)
    groups = group_model._default_manager.filter(
        _grant_filter(group_model, perm, obj), group__user=user
    )
    return bool(own.values("pk").union(groups.values("pk")).exists())


def _department_holds(
    user: User, department_id: int, roles: Sequence[str], perm: str, obj: Model
) -> bool:
    """The person holds one of `roles` (any but a department system's, if empty) in the
    department, and the department's group holds `perm` on `obj`. One query, or none when the
    row came with its grants (`KnownGrants`)."""
    known = _known(obj, user)
    if known is not None and perm in known.departments:
        return department_id in known.departments[perm] and any(
            m.department_id == department_id
            and (m.role in roles if roles else m.role != Role.SYSTEM)
            for m in user.active_memberships
        )
    model = get_group_obj_perms_model(obj)
    rows = model.group.field.related_query_name()  # type: ignore[attr-defined]
    memberships = StaffMembership.objects.filter(
        _grant_filter(model, perm, obj, prefix=f"department__group__{rows}__"),
        user=user,
        department_id=department_id,
        is_active=True,
    )
    if roles:
        memberships = memberships.filter(role__in=roles)
    else:  # the system role is for certificates (apps/systems): no case duty accepts it
        memberships = memberships.exclude(role=Role.SYSTEM)
    return memberships.exists()


def refusal_message(reason: str, *, roles: Sequence[str] = (), department: object = None) -> str:
    """What the person refused reads (translated)."""
    if reason == Refusal.SUPERUSER:
        return _(
            "An administrator's account gives no right to act on a case: only a staff role in "
            "the department does."
        )
    if reason == Refusal.FOUR_EYES:
        return _(
            "Four eyes (审批分离): you took this case in or decided one of its reviews, so "
            "someone else must issue the decision."
        )
    if reason == Refusal.NOT_APPLICANT:
        return _(
            "Only the applicant, or a family member they gave the right to, may change this "
            "application."
        )
    if reason == Refusal.NO_ROLE and roles and department is not None:
        names = " / ".join(str(Role(role).label) for role in roles)
        return _("This step is for %(roles)s of %(department)s.") % {
            "roles": names,
            "department": department,
        }
    return _("You may not do this on this case.")


@dataclass(frozen=True)
class DepartmentDuty:
    """A step for `roles` (empty: any active role) of the department `department_of` names, which
    must hold `perm` on the row."""

    perm: str
    department_of: Callable[[Model], int | None]
    roles: tuple[str, ...] = HANDLING_ROLES

    def __call__(self, obj: Model, user: object) -> bool:
        return self.refusal(obj, user) is None

    def allowed_roles(self, obj: Model) -> tuple[str, ...]:
        return self.roles

    def refusal(self, obj: Model, user: object) -> Refusal | None:
        if not isinstance(user, User):
            return Refusal.NOT_PERMITTED
        department_id = self.department_of(obj)
        if (
            not user.is_active
            or department_id is None
            or obj.pk is None
            or not _department_holds(user, department_id, self.allowed_roles(obj), self.perm, obj)
        ):
            return Refusal.SUPERUSER if user.is_superuser else Refusal.NO_ROLE
        return self.conflict(obj, user)

    def conflict(self, obj: Model, user: User) -> Refusal | None:
        """A further reason this person may not, though their role allows it."""
        return None

    def department(self, obj: Model) -> Department | None:
        department_id = self.department_of(obj)
        return Department.objects.filter(pk=department_id).first() if department_id else None


class DecisionDuty(DepartmentDuty):
    """The decision: the service's deciding role (or a lead) of the lead department, and under
    four eyes nobody who took the case in or decided one of its review tasks."""

    def allowed_roles(self, obj: Model) -> tuple[str, ...]:
        role = getattr(obj.service, "decision_role", "") or Role.LEAD  # type: ignore[attr-defined]
        if role == Role.SYSTEM:  # never a department's system, whatever a row says
            role = Role.LEAD
        return tuple(dict.fromkeys([role, Role.LEAD]))

    def conflict(self, obj: Model, user: User) -> Refusal | None:
        if not getattr(obj.service, "four_eyes", True):  # type: ignore[attr-defined]
            return None
        prefetched = getattr(obj, "_prefetched_objects_cache", {})
        if "events" in prefetched and "review_tasks" in prefetched:  # the case page's row
            took_in = any(
                e.verb == "accept" and e.actor_id == user.pk for e in prefetched["events"]
            )
            reviewed = any(
                t.decided_by_id == user.pk and t.state in ("approved", "rejected")
                for t in prefetched["review_tasks"]
            )
            return Refusal.FOUR_EYES if took_in or reviewed else None
        took_in = obj.events.filter(verb="accept", actor=user).exists()  # type: ignore[attr-defined]
        reviewed = obj.review_tasks.filter(  # type: ignore[attr-defined]
            decided_by=user, state__in=("approved", "rejected")
        ).exists()
        return Refusal.FOUR_EYES if took_in or reviewed else None


def _lead_department(case: Model) -> int | None:
    department_id: int | None = getattr(case, "lead_department_id", None)
    return department_id


def _task_department(task: Model) -> int | None:
    department_id: int | None = getattr(task, "department_id", None)
    return department_id


# The rules of the workflow's transitions (see `models/case.py`, `models/review.py` and the
# complaints' model).
intake_duty = DepartmentDuty(perm="cases.process_case", department_of=_lead_department)
decision_duty = DecisionDuty(perm="cases.process_case", department_of=_lead_department)
review_duty = DepartmentDuty(perm="cases.act_on_task", department_of=_task_department)
# A complaint's department handles it (sign, return, reply, asking for more time) through its
# clerks and leads, like intake: not through every role it has (counter staff, dispatchers,
# supervisors and records officers hold other duties), nor through the account flag.
handling_duty = DepartmentDuty(perm="cases.process_case", department_of=_lead_department)


@dataclass(frozen=True)
class Refused:
    """Why a rule refuses, with what the message names."""

    reason: Refusal
    roles: list[str] = field(default_factory=list)
    department: Department | None = None


def refusal_of(
    rule: Callable[[Model, object], bool] | None, obj: Model, user: object
) -> Refused | None:
    """Why `rule` refuses `user` on `obj` (None: it allows)."""
    if isinstance(rule, DepartmentDuty):
        reason = rule.refusal(obj, user)
        if reason is None:
            return None
        return Refused(reason, list(rule.allowed_roles(obj)), rule.department(obj))
    if rule is None or rule(obj, user):
        return None
    superuser = isinstance(user, User) and user.is_superuser
    return Refused(Refusal.SUPERUSER if superuser else Refusal.NOT_PERMITTED)
