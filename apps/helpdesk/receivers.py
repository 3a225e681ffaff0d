"""Reactions to cases' signals: bound family members see and may act on every new case."""

from django.dispatch import receiver

from apps.cases.models import Case
from apps.cases.signals import case_created

from .selectors import family_active_links_of_resident
from .services.family import family_case_grant


@receiver(case_created, dispatch_uid="helpdesk.family_proxies_grant")
def on_case_created(sender: object, case: Case, **kwargs: object) -> None:
    for link in family_active_links_of_resident(resident_id=case.applicant_id):
        family_case_grant(member=link.member, case=case)
