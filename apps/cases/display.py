"""How the staff pages and the staff API name a case's applicant."""

from django.utils.translation import gettext as _

from .models import Case


def applicant_name(case: Case) -> str:
    if case.hide_identity:  # a complaint whose reporter hid their identity from departments
        return _("Identity hidden at the reporter's request")
    profile = getattr(case.applicant, "profile", None)
    return profile.real_name if profile else str(case.applicant)
