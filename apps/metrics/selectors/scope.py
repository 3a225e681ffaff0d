"""Who sees what: the departments a reader of the metrics may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apps.accounts.models import Department, StaffMembership, User
from apps.catalog.models import ServiceItem


def metrics_scope_for_user(*, user: User) -> frozenset[int] | None:
    """None (every department) for supervisors; a lead's own departments; PermissionDenied
    for everyone else."""
    Role = StaffMembership.Role
    roles = set(
        StaffMembership.objects.filter(
            user=user, is_active=True, role__in=[Role.SUPERVISOR, Role.LEAD]
        ).values_list("role", "department_id")
    )
    if any(role == Role.SUPERVISOR for role, _department in roles):
        return None
    if not roles:
        raise PermissionDenied
    return frozenset(department for _role, department in roles)


def departments_in_scope(*, scope: frozenset[int] | None) -> list[Department]:
    queryset = Department.objects.filter(is_active=True)
    if scope is not None:
        queryset = queryset.filter(pk__in=scope)
    return list(queryset.order_by("code"))


def services_in_scope(*, scope: frozenset[int] | None) -> list[ServiceItem]:
    queryset = ServiceItem.objects.all()
    if scope is not None:
        queryset = queryset.filter(lead_department__in=scope)
    return list(queryset.order_by("code"))
