"""查询登记: counter staff find a resident only by their full ID number or mobile phone, and only
with a reason; each look-up is audited with its reason and lets that staff member open the
residents found for `HELPDESK_LOOKUP_MINUTES`."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.validators import (
    CN_MOBILE_RE,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    validate_cn_id_number,
)
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError

from ..models import ResidentLookup
from ..selectors import resident_matches

__all__ = ["resident_lookup"]

REASON_TEXT_MAX = 255


def _query_kind(query: str) -> tuple[str, str, list[str]]:
    """(kind, the query as searched, errors): a full mobile number or a full, valid ID number;
    anything shorter or partial is refused, never searched."""
    if CN_MOBILE_RE.match(query):
        return ResidentLookup.MatchedBy.PHONE, query, []
    id_number = normalize_id_number(query)
    if len(id_number) == 18:
        try:
            validate_cn_id_number(id_number)
        except ValidationError as exc:
            return "", id_number, list(exc.messages)
        return ResidentLookup.MatchedBy.ID_NUMBER, id_number, []
    return (
        "",
        query,
        [
            _(
                "Type the full 18-character ID number or the full 11-digit mobile number. "
                "Part of a number finds nobody."
            )
        ],
    )


@transaction.atomic
def resident_lookup(
    *,
    staff: User,
    query: str,
    reason: str,
    reason_text: str,
    context: AuditContext | None = None,
) -> list[ResidentLookup]:
    """Look residents up by full ID number or phone, for the reason given; one audited
    look-up per resident found (or one audit line saying nobody was found)."""
    query = (query or "").strip()
    reason_text = (reason_text or "").strip()
    errors: dict[str, list[str]] = {}
    kind, searched, query_errors = _query_kind(query)
    if query_errors:
        errors["q"] = query_errors
    if reason not in ResidentLookup.Reason.values:
        errors["reason"] = [_("Choose why you are looking this resident up.")]
    if not reason_text:
        errors["reason_text"] = [
            _("Say in a few words what the resident needs, for example the service they ask about.")
        ]
    elif len(reason_text) > REASON_TEXT_MAX:
        errors["reason_text"] = [_("Keep the reason under 255 characters.")]
    if errors:
        raise ApplicationError(
            _("Say why you are looking the resident up, and type the full number."), errors=errors
        )

    masked = mask_phone(searched) if kind == ResidentLookup.MatchedBy.PHONE else None
    data = {
        "reason": reason,
        "reason_text": personal_digest(reason_text),
        "query": personal_digest(masked if masked is not None else mask_id_number(searched)),
        "query_kind": kind,
    }
    expires_at = timezone.now() + timedelta(minutes=settings.HELPDESK_LOOKUP_MINUTES)
    lookups = []
    for profile, matched_by in resident_matches(query=searched, kind=kind):
        lookup = ResidentLookup.objects.create(
            staff=staff,
            resident=profile.user,
            reason=reason,
            reason_text=reason_text,
            matched_by=matched_by,
            expires_at=expires_at,
        )
        audit_record(
            action=AuditAction.RESIDENT_LOOKUP,
            actor=staff,
            on_behalf_of=profile.user,
            target=lookup,
            data={**data, "matched_by": matched_by},
            context=context,
        )
        lookups.append(lookup)
    if not lookups:
        audit_record(
            action=AuditAction.RESIDENT_LOOKUP,
            actor=staff,
            data={**data, "matched_by": ""},
            context=context,
        )
    return lookups
