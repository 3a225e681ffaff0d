"""Settings and checks every feedback command shares (windows, roles, the rating link)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.accounts.models import Department, User
from apps.cases.models import Case

from ..selectors import DEPARTMENT_ROLES

COMMENT_MAX_LENGTH = 2000


def rectification_days() -> int:
    return int(getattr(settings, "FEEDBACK_RECTIFICATION_DAYS", 5))


def rate_url(*, case: Case) -> str:
    return reverse("feedback:rate", args=[case.ref])


def _require_department_role(actor: User, department: Department | None) -> None:
    if not actor.is_authenticated or not (actor.roles_in(department) & set(DEPARTMENT_ROLES)):
        raise PermissionDenied
