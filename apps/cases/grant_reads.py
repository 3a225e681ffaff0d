"""Grants read with the rows of the staff case page (`selectors.case_get_for_staff`): each
is a subquery of the row's own query, handed to the rules of `duties.py` as `KnownGrants`, so
that the page's buttons, the four-eyes check and the ID-number mask ask no query each, and
the page costs the same whatever the department holds."""

from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q

from apps.accounts.models import User
from apps.accounts.selectors import user_perm_exists

from .duties import KnownGrants
from .models import Case, CaseGroupGrant, CaseUserGrant, TaskGroupGrant
from .permissions import CASE_PROCESS, CASE_VIEW, TASK_ACT

FULL_ID_NUMBERS = "accounts.view_full_id_number"


def _grant_of(model: type[Model], perm: str) -> Q:
    """Rows of the direct-FK grant table `model` that grant `perm` (on its own model's rows)."""
    # A direct foreign key always names its model.
    target = cast("type[Model]", model._meta.get_field("content_object").related_model)
    return Q(
        permission__codename=perm.split(".", 1)[-1],
        permission__content_type=ContentType.objects.get_for_model(target),
    )


def _group_grant(model: type[Model], perm: str, group: str) -> Exists:
    """The group that `group` names on the outer row holds `perm` on that row."""
    return Exists(
        model._default_manager.filter(
            _grant_of(model, perm), content_object_id=OuterRef("pk"), group_id=OuterRef(group)
        )
    )


def _viewer_holds(*, user: User, perm: str) -> Q:
    """`perm` on the outer case through the person's own or their groups' grants (as
    `duties.holds_grant` asks it)."""
    own = CaseUserGrant.objects.filter(
        _grant_of(CaseUserGrant, perm), content_object_id=OuterRef("pk"), user=user
    )
    groups = CaseGroupGrant.objects.filter(
        _grant_of(CaseGroupGrant, perm), content_object_id=OuterRef("pk"), group__user=user
    )
    return Q(Exists(own)) | Q(Exists(groups))


def known_grants_annotations(*, user: User) -> dict[str, Exists | Q]:
    """For the case's own query: the lead department's process grant, the viewer's view
    grant, and whether the viewer may read full ID numbers."""
    return {
        "lead_processes": _group_grant(CaseGroupGrant, CASE_PROCESS, "lead_department__group"),
        "viewer_views": _viewer_holds(user=user, perm=CASE_VIEW),
        "viewer_full_ids": user_perm_exists(user=user, perm=FULL_ID_NUMBERS),
    }


def task_known_grants_annotations() -> dict[str, Exists]:
    """For the review tasks' prefetch: the task's department's grant to act on it."""
    return {"department_acts": _group_grant(TaskGroupGrant, TASK_ACT, "department__group")}


def known_grants_attach(case: Case, *, user: User) -> None:
    """Hand the annotations to the rules as `KnownGrants` on the case and on its tasks."""
    lead_id = case.lead_department_id
    lead = [lead_id] if lead_id is not None and case.lead_processes else []  # type: ignore[attr-defined]
    case.known_grants = KnownGrants(  # type: ignore[attr-defined]
        viewer_id=user.pk,
        held={CASE_VIEW: case.viewer_views},  # type: ignore[attr-defined]
        departments={CASE_PROCESS: frozenset(lead)},
    )
    for task in case.review_tasks.all():
        acts = [task.department_id] if task.department_acts else []  # type: ignore[attr-defined]
        task.known_grants = KnownGrants(  # type: ignore[attr-defined]
            viewer_id=user.pk, departments={TASK_ACT: frozenset(acts)}
        )
