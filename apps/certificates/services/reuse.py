"""A case answers a file field with a certificate its applicant holds (已有电子证照，无需上传):
a link the resident's signature covers, never a copy."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.services import case_change_check, editable_keys
from apps.core.exceptions import ApplicationError, ConflictError

from ..models import CaseCertificate, Certificate
from ..selectors import case_certificate_fields


def certificate_refusal_message(*, certificate: Certificate) -> str:
    """Why a certificate cannot stand in for an upload today (translated)."""
    status = certificate.status
    if status == Certificate.Status.EXPIRED:
        return _(
            "Certificate %(number)s expired on %(date)s. Upload the document instead or renew "
            "the certificate."
        ) % {"number": certificate.number, "date": certificate.valid_until}
    if status == Certificate.Status.REPLACED:
        return _(
            "Certificate %(number)s was replaced by %(successor)s. Use the new certificate."
        ) % {
            "number": certificate.number,
            "successor": certificate.replaced_by.number if certificate.replaced_by else "",
        }
    return _(
        "Certificate %(number)s was revoked by %(department)s. Upload the document instead."
    ) % {"number": certificate.number, "department": certificate.issuing_department}


def _editable_field(case: Case, field_key: str) -> int:
    if not case.is_editable:
        raise ConflictError(
            _("This case is %(state)s: its answers can no longer be changed.")
            % {"state": case.get_state_display()}
        )
    allowed = editable_keys(case=case)
    if allowed is not None and field_key not in allowed:
        raise ApplicationError(
            _("Only the documents the department returned can be changed."),
            errors={field_key: [_("This document was not returned for correction.")]},
        )
    type_id = case_certificate_fields(case=case).get(field_key)
    if type_id is None:
        raise ApplicationError(
            _("No certificate can be used for this document."),
            errors={"field": [_("Choose a document that a certificate answers.")]},
        )
    return type_id


def case_certificate_link(
    *,
    case: Case,
    actor: User,
    field_key: str,
    number: str,
    mandated: bool = False,
    context: AuditContext | None = None,
) -> CaseCertificate:
    """Use the applicant's certificate `number` for the file field `field_key` instead of an
    upload. Only a valid certificate of the type the document names, held by the applicant."""
    case_change_check(
        case=case, actor=actor, step="certificate_link", mandated=mandated, context=context
    )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        type_id = _editable_field(case, field_key)
        certificate = (
            Certificate.objects.select_related("type", "issuing_department", "replaced_by")
            .filter(number=number.strip(), holder_id=case.applicant_id, type_id=type_id)
            .first()
        )
        if certificate is None:
            raise ApplicationError(
                _("The applicant holds no such certificate for this document."),
                errors={field_key: [_("Choose one of the certificates offered.")]},
            )
        if not certificate.is_usable:
            message = certificate_refusal_message(certificate=certificate)
            raise ApplicationError(message, errors={field_key: [message]})
        if certificate.document_id is None:
            # The signature covers the sealed PDF's hash: wait for the PDF (seconds after issue).
            message = _("Certificate %(number)s is still being sealed. Try again in a minute.") % {
                "number": certificate.number
            }
            raise ConflictError(message, errors={field_key: [message]})
        link, _created = CaseCertificate.objects.update_or_create(
            case=case,
            field_key=field_key,
            defaults={"certificate": certificate, "linked_by": actor},
        )
        audit_record(
            action=AuditAction.CERTIFICATE_LINK,
            actor=actor,
            on_behalf_of=case.applicant if actor.pk != case.applicant_id else None,
            target=case,
            data={"field": field_key, "number": certificate.number},
            context=context,
        )
    return link


def case_certificate_unlink(
    *,
    case: Case,
    actor: User,
    field_key: str,
    mandated: bool = False,
    context: AuditContext | None = None,
) -> None:
    """Stop using a certificate for the field (the resident uploads the document instead)."""
    case_change_check(
        case=case, actor=actor, step="certificate_unlink", mandated=mandated, context=context
    )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _editable_field(case, field_key)
        link = CaseCertificate.objects.filter(case=case, field_key=field_key).first()
        if link is None:
            return
        number = link.certificate.number
        link.delete()
        audit_record(
            action=AuditAction.CERTIFICATE_UNLINK,
            actor=actor,
            on_behalf_of=case.applicant if actor.pk != case.applicant_id else None,
            target=case,
            data={"field": field_key, "number": number},
            context=context,
        )
