from django import template
from django.contrib.auth.models import AnonymousUser

from apps.accounts.models import User
from apps.cases.models import Case

from ..selectors import rating_panel as rating_panel_for

register = template.Library()


@register.inclusion_tag("resident/feedback/case_panel.html")
def rating_panel(case: Case, user: User | AnonymousUser) -> dict[str, object]:
    """The rating panel of the resident's case page: rate now, your rating, the department's
    answer to a bad rating and rate again. Empty for anyone but the applicant."""
    return {"case": case, "panel": rating_panel_for(case=case, user=user)}
