"""Object grants on cases and review tasks as direct foreign keys (django-guardian's
`UserObjectPermissionBase` / `GroupObjectPermissionBase`).

Guardian finds these models by the reverse relation (`get_user_obj_perms_model(Case)`), so
`assign_perm`, `remove_perm`, `get_objects_for_user` and `ObjectPermissionChecker` read and write
them instead of the generic rows: a grant joins `cases_case.id` by an integer column with an
index, never `object_pk` as text. A proxy (`Complaint`) shares its table's grants."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .case import Case
from .review import ReviewTask


class CaseUserGrant(UserObjectPermissionBase):
    """A person's grant on a case: the applicant's own, a family proxy's (亲情账号)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "case user grant"


class CaseGroupGrant(GroupObjectPermissionBase):
    """A department group's grant on a case (lead or co-handling department)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "case group grant"


class TaskUserGrant(UserObjectPermissionBase):
    """An exceptional grant of a review task to one person."""

    content_object = models.ForeignKey(
        ReviewTask, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "review task user grant"


class TaskGroupGrant(GroupObjectPermissionBase):
    """The reviewing department group's grant on its task."""

    content_object = models.ForeignKey(
        ReviewTask, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "review task group grant"
