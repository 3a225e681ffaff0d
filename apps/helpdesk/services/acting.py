"""Acting on behalf: counter staff apply, answer and sign for a resident under a mandate.

Every command re-checks the mandate first; the signature is `assisted` (the resident's, confirmed
by the staff member's own one-time code) and names the mandate; the audit and the timeline carry
the staff member as actor and the resident as `on_behalf_of`."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases import services as case_services
from apps.cases.models import Attachment, Case
from apps.catalog.models import ServiceItem
from apps.complaints import services as complaint_services
from apps.signatures.models import SignatureRecord
from apps.signatures.services import signature_take

from ..models import Mandate
from .mandates import mandate_check
from .residents import counter_service_point

__all__ = [
    "acting_attachment_add",
    "acting_case_create",
    "acting_complaint_file",
    "acting_answers_update",
    "acting_start",
    "acting_stop",
    "assisted_case_submit",
    "assisted_signature_take",
]


def acting_start(
    *, staff: User, resident: User, mandate: Mandate | None, context: AuditContext | None = None
) -> Mandate:
    """Check that `staff` may start "acting for <resident>" under a mandate valid today, and
    audit it; returns the mandate checked. The view keeps the acting state in the session."""
    mandate = mandate_check(
        mandate=mandate,
        resident=resident,
        staff=staff,
        case=mandate.case if mandate is not None else None,
        service=mandate.service if mandate is not None else None,
    )
    audit_record(
        action=AuditAction.ACTING_START,
        actor=staff,
        on_behalf_of=resident,
        target=mandate,
        data={"mandate": mandate.reference},
        context=context,
    )
    return mandate


def acting_stop(
    *,
    staff: User,
    resident_id: int | None,
    mandate_id: int | None,
    context: AuditContext | None = None,
) -> None:
    """Audit the end of acting for a resident (the view clears the session)."""
    resident = User.objects.filter(pk=resident_id).first() if resident_id else None
    audit_record(
        action=AuditAction.ACTING_STOP,
        actor=staff,
        on_behalf_of=resident,
        data={"mandate_id": mandate_id},
        context=context,
    )


def acting_case_create(
    *,
    staff: User,
    resident: User,
    mandate: Mandate | None,
    service: ServiceItem,
    context: AuditContext | None = None,
) -> Case:
    """Start an application for the resident at the counter, prefilled from the sources its
    form declares with the mandate's consent (the audit names the mandate)."""
    mandate = mandate_check(mandate=mandate, resident=resident, staff=staff, service=service)
    return case_services.case_start(
        service=service,
        applicant=resident,
        actor=staff,
        channel=Case.Channel.COUNTER,
        mandate_reference=mandate.reference,
        context=context,
    )


def _check_case(case: Case, mandate: Mandate | None, staff: User) -> Mandate:
    return mandate_check(
        mandate=mandate, resident=case.applicant, staff=staff, case=case, service=case.service
    )


def acting_answers_update(
    *,
    case: Case,
    staff: User,
    mandate: Mandate | None,
    answers: dict[str, Any],
    context: AuditContext | None = None,
) -> Case:
    _check_case(case, mandate, staff)
    return case_services.case_answers_update(
        case=case, actor=staff, answers=answers, mandated=True, context=context
    )


def acting_attachment_add(
    *,
    case: Case,
    staff: User,
    mandate: Mandate | None,
    field_key: str,
    upload: UploadedFile,
    context: AuditContext | None = None,
) -> Attachment:
    _check_case(case, mandate, staff)
    return case_services.attachment_add(
        case=case,
        actor=staff,
        field_key=field_key,
        upload=upload,
        mandated=True,
        context=context,
    )


def assisted_signature_take(
    *,
    staff: User,
    resident: User,
    mandate: Mandate | None,
    payload: dict[str, Any],
    declaration: str,
    code: str,
    context: AuditContext | None = None,
    target: models.Model | None = None,
    case: Case | None = None,
) -> SignatureRecord:
    """The resident's `assisted` signature: confirmed by `staff`'s own authenticator code,
    naming the mandate. The signatures app checks the staff member's device, not the resident's."""
    mandate = mandate_check(
        mandate=mandate,
        resident=resident,
        staff=staff,
        case=case,
        service=case.service if case is not None else None,
    )
    return signature_take(
        signer=resident,
        payload=payload,
        declaration=declaration,
        code=code,
        channel="totp",
        context=context,
        target=target,
        assisted_by=staff,
        mandate_ref=mandate.reference,
    )


def assisted_case_submit(
    *,
    case: Case,
    staff: User,
    mandate: Mandate | None,
    code: str,
    context: AuditContext | None = None,
) -> Case:
    """Sign (assisted) and submit — or resubmit after corrections — for the resident: number,
    deadline, receipt, exactly as `cases.services.case_submit` does for a resident online."""
    case = Case.objects.select_related("service", "version", "applicant").get(pk=case.pk)
    resident = case.applicant
    mandate = _check_case(case, mandate, staff)
    case_services.case_sign_check(case=case)
    signature = assisted_signature_take(
        staff=staff,
        resident=resident,
        mandate=mandate,
        payload=case_services.case_signature_payload(case=case),
        declaration=case_services.case_declaration(case=case),
        code=code,
        context=context,
        target=case,
        case=case,
    )
    point = counter_service_point(user=staff) or mandate.service_point
    note = _("At %(point)s, under mandate %(mandate)s.") % {
        "point": point,
        "mandate": mandate.reference,
    }
    return case_services.case_submit_signed(
        case=case,
        actor=staff,
        signature=signature,
        on_behalf_of=resident,
        note=note,
        context=context,
    )


def acting_complaint_file(
    *,
    staff: User,
    resident: User,
    mandate: Mandate | None,
    service: ServiceItem,
    complaint_type: str,
    description: str,
    urgency: str = Case.Urgency.NORMAL,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Sequence[UploadedFile] = (),
    hide_identity: bool = False,
    answers: Mapping[str, Any] | None = None,
    context: AuditContext | None = None,
) -> tuple[Case, str]:
    """Report a problem for the resident at the counter: the complaint is theirs (the reporter),
    filed by the staff member under the mandate, with the answers to the category's questions
    (checked and stored by `complaint_file` as on every channel); returns the case and its
    extraction code."""
    mandate_check(mandate=mandate, resident=resident, staff=staff, service=service)
    profile = getattr(resident, "profile", None)
    # The extraction code goes by SMS where a phone is known: theirs, or the family phone.
    phone = resident.phone or (profile.family_phone if profile else "") or ""
    return complaint_services.complaint_file(
        service=service,
        actor=staff,
        reporter=resident,
        reporter_phone=phone,
        channel=Case.Channel.COUNTER,
        complaint_type=complaint_type,
        description=description,
        urgency=urgency,
        address=address,
        latitude=latitude,
        longitude=longitude,
        photos=photos,
        hide_identity=hide_identity,
        answers=answers if answers is not None else {},
        context=context,
    )
