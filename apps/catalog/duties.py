"""What separation of duties (审批分离) a service asks for; the cases workflow enforces it
(`apps/cases/duties.py`): who issues the decision, and whether the people who took the case in
or decided one of its reviews must leave the decision to someone else."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import StaffMembership


class DecisionSettings(models.Model):
    """A service's settings of who decides (part of `ServiceItem`)."""

    decision_role = models.CharField(
        _("who decides"),
        max_length=20,
        # Never a department's system (apps/systems): a system may not decide a case.
        choices=[
            (value, label)
            for value, label in StaffMembership.Role.choices
            if value != StaffMembership.Role.SYSTEM
        ],
        default=StaffMembership.Role.LEAD,
        help_text=_(
            "The role in the lead department that issues the decision; a department lead "
            "always may."
        ),
    )
    four_eyes = models.BooleanField(
        _("four eyes (审批分离)"),
        default=True,
        help_text=_(
            "Whoever took the case in or decided one of its reviews may not issue the decision."
        ),
    )

    class Meta:
        abstract = True
