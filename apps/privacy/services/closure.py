"""Close my account: anonymise what may go, keep what the law requires, confirmed by a code.

What goes: the name, phone, email, address and ID number on the account and profile (replaced
by a placeholder, or emptied where the column is unique and nullable), the password, sessions,
authenticator and code devices, API tokens, notifications, unused claim codes, stored data
exports, the evidence files of the resident's mandates (unless a case the mandate covers is on
legal hold: `holds.py`; the row keeps the file's SHA-256); drafts are withdrawn and their
answers and files deleted; family links end and mandates are revoked. What stays: cases that
were submitted (their answers, documents and timeline are the department's record, kept for
their retention period, linked to the closed account), ratings (counted in the published
satisfaction figures) and the audit trail, which is append-only: its rows are never changed,
so the chain still verifies.

`resident_anonymise` is the reusable part (retention will call it for reporters past their
period); `account_close` adds the checks, the code and the closing of links.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from apps.accounts.models import ApiToken, ResidentProfile, User, VerificationCode
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case, PrefillConsent
from apps.cases.services.transitions import case_transition
from apps.core.exceptions import ApplicationError
from apps.helpdesk.models import ClaimCode, FamilyLink, Mandate
from apps.helpdesk.services import family_unbind, mandate_revoke
from apps.notifications.models import Notification
from apps.signatures.services import signature_code_send, signature_take

from ..holds import cases_on_hold
from ..models import DataExport
from .export import desk_mandate_for

# Shown wherever the resident's name used to be (the case lists staff still read).
CLOSED_NAME = "[已注销]"

# Cases under way: the department is working on them or waits for the resident. Closing the
# account would leave them without anyone to tell, so the resident withdraws them or waits
# for the decision first. Drafts are withdrawn by the closing itself.
ACTIVE_STATES = (
    Case.State.SUBMITTED,
    Case.State.NEEDS_CORRECTION,
    Case.State.IN_REVIEW,
    Case.State.DISPATCHED,
    Case.State.IN_PROGRESS,
)

DECLARATION = (
    "I close my account on the citizen services portal. My personal details are removed; "
    "the city keeps my submitted cases for their retention period and the audit trail."
)


def account_closure_blockers(*, resident: User) -> list[Case]:
    """The resident's cases under way, which must be withdrawn or decided before closing."""
    return list(
        Case.objects.filter(applicant=resident, state__in=ACTIVE_STATES).order_by("created_at")
    )


def account_closure_code_send(*, resident: User, channel: str) -> None:
    """Send the resident their one-time code (email or SMS), or check their authenticator."""
    signature_code_send(user=resident, channel=channel)


def _placeholder(user: User, field: str) -> str:
    """A stable stand-in, unique per user, that cannot be turned back into what it replaced."""
    salt = f"{settings.SECRET_KEY}:anonymise:{field}:{user.pk}".encode()
    return hashlib.sha256(salt).hexdigest()[:12]


def _sessions_delete(user: User) -> int:
    count = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            count += 1
    return count


@transaction.atomic
def resident_anonymise(
    *, user: User, actor: User | None = None, reason: str = "closed"
) -> dict[str, int]:
    """Remove a resident's personal data from their account, keeping the row (cases, ratings and
    the audit trail point at it) inactive and unable to sign in. Idempotent. Returns counts.

    Writes no audit event itself: the caller (closing, or retention) records why it ran."""
    user = User.objects.select_for_update().get(pk=user.pk)
    destinations = [d for d in (user.email, user.phone) if d]
    user.username = f"closed-{_placeholder(user, 'username')}"
    user.email = None
    user.phone = None
    user.display_name = CLOSED_NAME
    user.is_active = False
    user.care_mode = False
    user.set_unusable_password()
    user.save()
    profile = ResidentProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.family_phone:
            destinations.append(profile.family_phone)
        profile.real_name = CLOSED_NAME
        profile.id_number = None
        profile.address = ""
        profile.family_phone = ""
        profile.notification_channels = []
        profile.preferred_contact = ResidentProfile.Contact.ONLINE
        profile.save()
    counts: dict[str, Any] = {"sessions": _sessions_delete(user)}
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    counts["devices"] = len(devices)
    counts["api_tokens"] = ApiToken.objects.filter(user=user).delete()[0]
    counts["verification_codes"] = VerificationCode.objects.filter(
        destination__in=destinations
    ).delete()[0]
    counts["claim_codes"] = ClaimCode.objects.filter(resident=user, used_at__isnull=True).delete()[
        0
    ]
    counts["notifications"] = Notification.objects.filter(recipient=user).delete()[0]
    # A closed account fills in nothing any more: its consents end (the rows stay as the record
    # of when they held).
    counts["prefill_consents"] = PrefillConsent.objects.filter(
        resident=user, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    exports = 0
    for export in DataExport.objects.filter(resident=user).exclude(file=""):
        export.file.delete(save=False)
        export.state = DataExport.State.EXPIRED
        export.save(update_fields=["file", "state", "updated_at"])
        exports += 1
    counts["exports"] = exports
    counts.update(mandate_evidence_remove(resident=user))
    return counts


def _mandate_cases(mandate: Mandate, cases: list[tuple[int, int | None]]) -> set[int]:
    """The resident's cases counter staff may have acted on under `mandate`."""
    if mandate.scope == Mandate.Scope.CASE:
        return {mandate.case_id} if mandate.case_id else set()
    if mandate.scope == Mandate.Scope.SERVICE:
        return {pk for pk, service_id in cases if service_id == mandate.service_id}
    return {pk for pk, _service_id in cases}


def mandate_evidence_remove(*, resident: User) -> dict[str, int]:
    """Delete the resident's mandates' evidence files (signed forms, drawn signatures) from
    storage and blank their references, as anonymising does with every personal file. A
    mandate that covers a case on legal hold keeps its file: the hold freezes the record of who
    could act on that case, and a later call (retention's, once the hold is lifted and the case
    anonymised) removes it. Idempotent; the mandate rows and SHA-256 stay."""
    mandates = list(Mandate.objects.filter(resident=resident).exclude(evidence=""))
    if not mandates:
        return {"mandate_evidence": 0, "mandate_evidence_held": 0}
    cases = list(Case.objects.filter(applicant=resident).values_list("pk", "service_id"))
    covered = {mandate.pk: _mandate_cases(mandate, cases) for mandate in mandates}
    held = cases_on_hold(case_ids=set().union(*covered.values()))
    removed = kept = 0
    for mandate in mandates:
        if covered[mandate.pk] & held:
            kept += 1
            continue
        mandate.evidence.delete(save=False)
        mandate.save(update_fields=["evidence", "updated_at"])
        removed += 1
    return {"mandate_evidence": removed, "mandate_evidence_held": kept}


def _withdraw_drafts(resident: User, context: AuditContext | None) -> tuple[int, int]:
    withdrawn = files = 0
    for case in Case.objects.filter(applicant=resident, state=Case.State.DRAFT):
        # The portal withdraws it (`actor=None`), as the consequence of the closing the
        # resident confirmed; the closing's own audit event names who asked.
        case_transition(
            case=case,
            transition="withdraw",
            actor=None,
            note=_("The account was closed."),
            context=context,
        )
        # A draft was never the city's record: its answers and files go with the account.
        for attachment in case.attachments.all():
            attachment.file.delete(save=False)
            attachment.delete()
            files += 1
        Case.objects.filter(pk=case.pk).update(answers={}, correction_request={})
        withdrawn += 1
    return withdrawn, files


def _end_links(resident: User, actor: User, context: AuditContext | None) -> tuple[int, int]:
    links = FamilyLink.objects.filter(resident=resident) | FamilyLink.objects.filter(
        member=resident
    )
    ended = 0
    for link in links.exclude(state=FamilyLink.State.ENDED):
        family_unbind(link=link, actor=actor, context=context)
        ended += 1
    revoked = 0
    for mandate in Mandate.objects.filter(resident=resident, revoked_at__isnull=True):
        mandate_revoke(
            mandate=mandate, actor=actor, reason=_("The account was closed."), context=context
        )
        revoked += 1
    return ended, revoked


def account_close(
    *,
    resident: User,
    actor: User,
    code: str,
    channel: str,
    context: AuditContext | None = None,
) -> dict[str, int]:
    """Close `resident`'s account once `code` confirms it: the resident's own code (email, SMS
    or authenticator), or, for counter staff under a mandate for everything, the staff
    member's authenticator code (an assisted signature, as at the counter). Refused while a case
    is under way (`account_closure_blockers`)."""
    assisted = actor.pk != resident.pk
    mandate = desk_mandate_for(staff=actor, resident=resident) if assisted else None
    blockers = account_closure_blockers(resident=resident)
    if blockers:
        raise ApplicationError(
            _(
                "You have cases under way: %(cases)s. Withdraw them or wait for the decision, "
                "then close the account."
            )
            % {"cases": ", ".join(c.ref for c in blockers)},
            extra={"reason": "cases_under_way", "cases": [c.ref for c in blockers]},
        )
    record = signature_take(
        signer=resident,
        payload={"action": "account_close", "resident": resident.pk},
        declaration=DECLARATION,
        code=code,
        channel="totp" if assisted else channel,
        context=context,
        target=resident,
        assisted_by=actor if assisted else None,
        mandate_ref=mandate.reference if mandate is not None else "",
    )
    with transaction.atomic():
        # The contact details go first: what follows tells the resident nothing by email,
        # SMS or letter any more (there is no one to reach).
        counts = resident_anonymise(user=resident, actor=actor, reason="closed")
        resident.refresh_from_db()
        drafts, draft_files = _withdraw_drafts(resident, context)
        links, mandates = _end_links(resident, actor, context)
        # Withdrawing and ending links told the resident in the portal: those go too.
        Notification.objects.filter(recipient=resident).delete()
        counts.update(
            {
                "drafts_withdrawn": drafts,
                "draft_files": draft_files,
                "family_links_ended": links,
                "mandates_revoked": mandates,
                "cases_kept": Case.objects.filter(applicant=resident)
                .exclude(state=Case.State.WITHDRAWN)
                .count(),
            }
        )
        audit_record(
            action=AuditAction.ACCOUNT_CLOSE,
            actor=actor,
            on_behalf_of=resident if assisted else None,
            target=resident,
            data={
                **counts,
                "signature": record.pk,
                "mandate_ref": mandate.reference if mandate is not None else "",
            },
            context=context,
        )
    return counts
