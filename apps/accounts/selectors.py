from collections.abc import Collection

from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Exists, Q, QuerySet
from django_otp import devices_for_user

from .models import Department, ResidentProfile, StaffMembership, User


def user_has_confirmed_device(*, user: User) -> bool:
    """Whether the user has confirmed an authenticator (or another django-otp device)."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def resident_profile_get_for_user(*, user: User) -> ResidentProfile:
    """The user's own resident profile (DoesNotExist if they have none)."""
    return ResidentProfile.objects.get(user=user)


def staff_memberships_of(*, user: User) -> list[StaffMembership]:
    """The user's active memberships, with their departments and service points."""
    return list(
        StaffMembership.objects.filter(user=user, is_active=True)
        .select_related("department", "service_point")
        .order_by("department__code", "role")
    )


def departments_of(*, user: User, roles: Collection[str] | None = None) -> list[Department]:
    """The departments where the user is an active member (with one of `roles`, if given)."""
    memberships = StaffMembership.objects.filter(user=user, is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return list(Department.objects.filter(memberships__in=memberships).distinct())


def user_has_role(*, user: User | AnonymousUser, roles: Collection[str]) -> bool:
    """Whether the user is an active member anywhere with one of `roles`."""
    if not user.is_authenticated:
        return False
    return any(m.role in roles for m in user.active_memberships)


def user_perm_exists(*, user: User, perm: str) -> Exists:
    """`user.has_perm(perm)` (no object) for an active user who is no superuser, as a subquery
    to read with a page's row instead of Django's two queries: the permission given to them or
    to one of their groups (Django's `ModelBackend`; the other backends give none without an
    object)."""
    app_label, codename = perm.split(".", 1)
    return Exists(
        Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            codename=codename,
            content_type__app_label=app_label,
        )
    )


def id_number_shown_to(*, viewer: User, profile: ResidentProfile) -> str:
    """The full ID number for staff allowed to see it, the masked one for everyone else."""
    if viewer.has_perm("accounts.view_full_id_number"):
        return profile.id_number or ""
    return profile.masked_id_number


def staff_people() -> QuerySet[User]:
    """Active users who are people: every list of colleagues and every staff notification
    starts here, so a department's system account (a clerk by membership) is never among them."""
    return User.objects.filter(is_active=True, is_system_account=False)


def department_staff(*, department: Department, roles: Collection[str] = ()) -> list[User]:
    """Active staff of a department (people, never its systems), optionally only those with one
    of `roles`."""
    memberships = StaffMembership.objects.filter(department=department, is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return list(staff_people().filter(staff_memberships__in=memberships).distinct())


def staff_with_role(*, role: str) -> list[User]:
    """The people holding an active `role` in any department (dispatchers, supervisors)."""
    return list(
        staff_people()
        .filter(staff_memberships__is_active=True, staff_memberships__role=role)
        .distinct()
    )
