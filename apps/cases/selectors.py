from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from apps.accounts.models import User

from .models import Attachment, Case, CaseDocument, CaseEvent


def case_list_for_user(user: User) -> QuerySet[Case]:
    """The cases this person may see (object permissions), newest first."""
    return (
        get_objects_for_user(user, "cases.view_case", klass=Case, accept_global_perms=False)
        .select_related("service", "version")
        .order_by("-created_at")
    )


def case_get_for_user(*, user: User, ref: str) -> Case:
    """One case by number or draft reference, or 404 for anyone who may not see it."""
    case = (
        case_list_for_user(user)
        .filter(Q(number=ref) | Q(reference=ref))
        .select_related("applicant", "applicant__profile", "signature")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("field_key", "id")),
            Prefetch(
                "case_documents",
                queryset=CaseDocument.objects.select_related("document").order_by("created_at"),
            ),
        )
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_timeline(case: Case, *, include_internal: bool = False) -> list[CaseEvent]:
    events = case.events.select_related("actor", "on_behalf_of")
    if not include_internal:
        events = events.filter(is_public=True)
    return list(events)


def case_public_documents(case: Case) -> list[CaseDocument]:
    return [link for link in case.case_documents.all() if link.is_public]


def attachments_by_field(case: Case) -> dict[str, list[Attachment]]:
    grouped: dict[str, list[Attachment]] = {}
    for attachment in case.attachments.all():
        grouped.setdefault(attachment.field_key, []).append(attachment)
    return grouped
