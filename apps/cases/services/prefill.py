"""Prefill with consent (一次填报、多次复用): the resident's consent, given for one draft or
remembered for a service until withdrawn, and the answers filled in from the sources the form
declares. Counter staff acting under a mandate prefill with the mandate's consent.

PIPL asks for consent that is informed (the purpose and what is read are told:
`prefill_offer`) and given by an act (nothing is ticked for the resident); every consent, its
withdrawal and every prefill are in the audit trail, naming the fields and their sources but no
values."""

from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.catalog.models import ServiceItem
from apps.catalog.services import answers_clean
from apps.core.exceptions import ApplicationError, ConflictError

from ..models import Case, PrefillConsent
from ..prefill import prefill_consent_get, prefill_offer, prefill_values
from .applications import case_create_draft

__all__ = [
    "PREFILL_PURPOSE",
    "PrefillChoice",
    "case_prefill",
    "case_start",
    "prefill_consent_give",
    "prefill_consent_withdraw",
]

# What the resident is told the data is read for; the audit keeps the same words (in Chinese).
PREFILL_PURPOSE = "为填写本事项的申请表，读取您的个人资料、上次办理的申请和电子证照中的对应信息"


class PrefillChoice(StrEnum):
    """The resident's answer to "fill in from what the city holds?" when starting a draft."""

    NONE = "none"  # no, not this time (also when a consent is remembered)
    DRAFT = "draft"  # yes, for this application only
    REMEMBER = "remember"  # yes, and for this service's later applications until withdrawn


@transaction.atomic
def prefill_consent_give(
    *,
    resident: User,
    service: ServiceItem,
    actor: User,
    mandate_reference: str = "",
    context: AuditContext | None = None,
) -> PrefillConsent:
    """Remember the resident's consent to prefill the service's forms (once; giving it again
    keeps the one in force)."""
    existing = prefill_consent_get(resident=resident, service=service)
    if existing is not None:
        return existing
    consent = PrefillConsent.objects.create(
        resident=resident, service=service, given_by=actor, mandate_reference=mandate_reference
    )
    audit_record(
        action=AuditAction.PREFILL_CONSENT_GIVE,
        actor=actor,
        on_behalf_of=resident if actor.pk != resident.pk else None,
        target=consent,
        data={
            "service": service.code,
            "purpose": PREFILL_PURPOSE,
            "sources": [
                entry["kind"] for entry in prefill_offer(version=service.current_version())
            ],
            "mandate": mandate_reference,
        },
        context=context,
    )
    return consent


@transaction.atomic
def prefill_consent_withdraw(
    *, resident: User, service: ServiceItem, actor: User, context: AuditContext | None = None
) -> PrefillConsent:
    """Withdraw the resident's remembered consent: later drafts ask again. Answers already
    filled in stay in their drafts, where the resident may change them."""
    consent = (
        PrefillConsent.objects.select_for_update()
        .filter(resident=resident, service=service, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ConflictError(_("You have no consent to prefill for this service to withdraw."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    audit_record(
        action=AuditAction.PREFILL_CONSENT_WITHDRAW,
        actor=actor,
        on_behalf_of=resident if actor.pk != resident.pk else None,
        target=consent,
        data={"service": service.code},
        context=context,
    )
    return consent


@transaction.atomic
def case_prefill(
    *,
    case: Case,
    actor: User,
    basis: str,
    mandate_reference: str = "",
    context: AuditContext | None = None,
) -> Case:
    """Fill in the draft's empty answers from the sources its form declares, under a consent
    (`basis`: "draft", "service" or "mandate"), and keep where each came from. Answers already
    given are never overwritten; a draft only (a returned case keeps what was signed)."""
    case = Case.objects.select_for_update().select_related("version", "service").get(pk=case.pk)
    if case.state != Case.State.DRAFT:
        raise ConflictError(_("Only a draft can be filled in from your records."))
    if basis not in {"draft", "service", "mandate"}:
        raise ApplicationError(_("Say whether you agree to prefill."))
    applicant = case.applicant
    taken = {key for key, value in case.answers.items() if value not in (None, "", [])}
    found = prefill_values(case=case, keys_taken=taken)
    cleaned = answers_clean(
        version=case.version,
        answers={key: item.value for key, item in found.items()},
        partial=True,
    )
    definitions = {d.key: d for d in case.version.fields.filter(key__in=list(cleaned))}
    fields = dict((case.prefill or {}).get("fields", {}))
    for key in cleaned:
        definition = definitions[key]
        fields[key] = {
            "source": definition.prefill_source,
            "origin": found[key].origin,
            "locked": not definition.prefill_changeable,
        }
    case.answers = {**case.answers, **cleaned}
    case.prefill = {"basis": basis, "mandate": mandate_reference, "fields": fields}
    case.save(update_fields=["answers", "prefill", "updated_at"])
    audit_record(
        action=AuditAction.CASE_PREFILL,
        actor=actor,
        on_behalf_of=applicant if actor.pk != applicant.pk else None,
        target=case,
        data={
            "basis": basis,
            "mandate": mandate_reference,
            "purpose": PREFILL_PURPOSE,
            "fields": {key: fields[key]["source"] for key in sorted(cleaned)},
        },
        context=context,
    )
    return case


def case_start(
    *,
    service: ServiceItem,
    applicant: User,
    actor: User,
    choice: str | None = None,
    channel: str = Case.Channel.WEB,
    mandate_reference: str = "",
    context: AuditContext | None = None,
) -> Case:
    """Start a draft and prefill it as the applicant chose: `choice` None follows a consent
    remembered for the service (or prefills nothing), "none" prefills nothing this time, "draft"
    prefills this draft, "remember" also remembers the consent. Under a mandate
    (`mandate_reference`), the mandate is the consent."""
    if choice is not None and choice not in set(PrefillChoice):
        raise ApplicationError(
            _("Say whether you agree to prefill."),
            errors={"prefill": [_("Choose one of the options.")]},
        )
    with transaction.atomic():
        case = case_create_draft(
            service=service, applicant=applicant, actor=actor, channel=channel, context=context
        )
        if mandate_reference:
            basis: str | None = "mandate"
        elif choice == PrefillChoice.REMEMBER:
            prefill_consent_give(resident=applicant, service=service, actor=actor, context=context)
            basis = "service"
        elif choice == PrefillChoice.DRAFT:
            basis = "draft"
        elif choice is None and prefill_consent_get(resident=applicant, service=service):
            basis = "service"
        else:
            basis = None
        if basis is not None and prefill_offer(version=case.version):
            case = case_prefill(
                case=case,
                actor=actor,
                basis=basis,
                mandate_reference=mandate_reference,
                context=context,
            )
    return case
