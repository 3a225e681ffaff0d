"""Who may approve a destruction list (four eyes): a records officer of its department and the
department's lead, never one person for both. The `@transition`s name these as their
`permission=`; `destruction_refusal` says why not, translated, for the service to raise."""

from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership, User

Role = StaffMembership.Role


def _roles(user: object, department_id: int) -> set[str]:
    if not isinstance(user, User) or not user.is_authenticated:
        return set()
    return set(
        StaffMembership.objects.filter(
            user=user, department_id=department_id, is_active=True
        ).values_list("role", flat=True)
    )


def destruction_refusal(*, destruction_list: object, user: object, as_role: str) -> str | None:
    """Why `user` may not approve or reject `destruction_list` as `as_role` (None: they may)."""
    department_id = getattr(destruction_list, "department_id", None)
    if department_id is None:
        return _("This list has no department.")
    roles = _roles(user, department_id)
    if as_role not in roles:
        if as_role == Role.RECORDS_OFFICER:
            return _("Only a records officer of the department may give this approval.")
        return _("Only the department's lead may give this approval.")
    officer = getattr(destruction_list, "officer_approved_by_id", None)
    lead = getattr(destruction_list, "lead_approved_by_id", None)
    user_id = getattr(user, "pk", None)
    if user_id is not None and user_id in (officer, lead):
        return _(
            "You already approved this list. The second approval must come from another person."
        )
    return None


def records_officer_duty(instance: object, user: object) -> bool:
    return (
        destruction_refusal(destruction_list=instance, user=user, as_role=Role.RECORDS_OFFICER)
        is None
    )


def lead_duty(instance: object, user: object) -> bool:
    return destruction_refusal(destruction_list=instance, user=user, as_role=Role.LEAD) is None


def either_duty(instance: object, user: object) -> bool:
    department_id = getattr(instance, "department_id", None)
    if department_id is None:
        return False
    return bool(_roles(user, department_id) & {Role.RECORDS_OFFICER, Role.LEAD})
