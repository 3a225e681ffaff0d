"""The machinery every case command shares: numbers, timeline lines, and `case_transition`:
one transaction that locks the row, runs the django-fsm transition, saves, writes the timeline
and the audit event, and queues notifications and follow-up work for after the commit."""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from apps.accounts.models import Department, User
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ConflictError
from apps.notifications.services import notify

from ..models import Case, CaseEvent, CaseNumberSequence

NUMBER_PREFIXES = {Case.Kind.APPLICATION: "SQ", Case.Kind.COMPLAINT: "TS"}


# --- numbers and timeline -------------------------------------------------------------------


def case_number_next(*, kind: str, at) -> str:
    """`SQ-2026-000123`: one locked counter row per prefix and year, so no number repeats."""
    prefix = NUMBER_PREFIXES[kind]
    year = timezone.localtime(at).year
    with transaction.atomic():
        CaseNumberSequence.objects.bulk_create(
            [CaseNumberSequence(prefix=prefix, year=year)], ignore_conflicts=True
        )
        sequence = CaseNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{prefix}-{year}-{sequence.last:06d}"


def case_event_add(
    *,
    case: Case,
    verb: str,
    actor: User | None,
    on_behalf_of: User | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    is_public: bool = True,
    department: Department | None = None,
) -> CaseEvent:
    """One line of the case's timeline (shown to the resident unless `is_public` is false).

    A reporter who hid their identity never appears as a line's actor: the staff pages and API
    show actors, so the line names nobody; the audit chain still names them."""
    if case.hide_identity:
        if actor is not None and actor.pk == case.applicant_id:
            actor = None
        if on_behalf_of is not None and on_behalf_of.pk == case.applicant_id:
            on_behalf_of = None
    return CaseEvent.objects.create(
        department=department,
        case=case,
        verb=verb,
        actor=actor,
        on_behalf_of=on_behalf_of,
        from_state=from_state,
        to_state=to_state,
        note=note,
        is_public=is_public,
    )


@transaction.atomic
def case_transition(
    *,
    case: Case,
    transition: str,
    actor: User | None,
    on_behalf_of: User | None = None,
    note: str = "",
    is_public: bool = True,
    context: AuditContext | None = None,
    after_commit: Callable[[Case], None] | None = None,
    within: Callable[[Case], None] | None = None,
    permission_checked: bool = False,
    department: Department | None = None,
    notify_event: str = "",
    notify_context: dict | None = None,
    **data,
) -> Case:
    """Run one workflow transition with its lock, permission check, timeline line and audit.

    The row is locked and loaded as the caller's class, so a proxy's transitions (a complaint's)
    run the same way as the `Case`'s own."""
    case = type(case)._base_manager.select_for_update().get(pk=case.pk)
    method = getattr(case, transition)
    if not can_proceed(method):
        raise ConflictError(
            _("This case is now “%(state)s”: that cannot be done in this state.")
            % {"state": case.get_state_display()},
            extra={"state": case.state},
        )
    # The person the action is for must be allowed it; counter staff act under a mandate.
    # `permission_checked`: the caller already checked the actor's right on a related object
    # (a reviewer's task drives the case), or the system itself acts (`actor=None`: deadlines,
    # the rating sweep), which it may only do with the check already made.
    if not permission_checked:
        acting = on_behalf_of or actor
        if acting is None or not has_transition_perm(method, acting):
            raise PermissionDenied
    before = case.state
    try:
        method(**data)
    except TransitionNotAllowed as exc:
        raise ConflictError(_("This case changed meanwhile. Reload the page.")) from exc
    case.save()
    event = case_event_add(
        case=case,
        verb=transition,
        actor=actor,
        on_behalf_of=on_behalf_of,
        from_state=before,
        to_state=case.state,
        note=note,
        is_public=is_public,
        department=department,
    )
    if within is not None:
        within(case)
    audit_record(
        action=f"cases.case.{transition}",
        actor=actor,
        on_behalf_of=on_behalf_of,
        target=case,
        data={"from": before, "to": case.state, "note": note},
        context=context,
    )
    if notify_event:
        notify(
            event=notify_event,
            recipients=_resident_recipients(case),
            context={**case_notification_context(case), **(notify_context or {})},
            dedup_key=f"case:{case.pk}:{event.pk}",
        )
    if after_commit is not None:
        transaction.on_commit(lambda: after_commit(case))
    return case


def _resident_recipients(case: Case) -> Iterable[User]:
    return [case.applicant]


def case_notification_context(case: Case) -> dict:
    return {
        "case_number": case.ref,
        "service_name": case.service.name,
        "deadline": case.deadline,
        "due_date": case.deadline,
        "url": reverse("cases:detail", args=[case.ref]),
    }
