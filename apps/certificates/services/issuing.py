"""Issuing certificates: the record in the deciding transaction, its sealed PDF after commit."""

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.documents.models import Document

from ..models import Certificate, CertificateType
from ..signals import certificate_changed
from .duties import certificate_duty_check

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


def certificate_number_new(*, certificate_type: CertificateType, day: datetime.date) -> str:
    """`<TYPE>-<YEAR>-<8 characters>`: unguessable, so a number alone reveals no neighbour."""
    token = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{certificate_type.code.upper()}-{day.year}-{token}"[:40]


def certificate_fields_from_answers(
    *, certificate_type: CertificateType, answers: dict[str, Any]
) -> dict[str, Any]:
    """The type's fields, each from the case answer it names (absent answers are left out)."""
    fields: dict[str, Any] = {}
    for source in certificate_type.field_sources or []:
        name, answer = str(source.get("name", "")), str(source.get("answer", ""))
        if name and answer in answers and answers[answer] not in (None, ""):
            fields[name] = answers[answer]
    return fields


def _validity(
    certificate_type: CertificateType, valid_from: datetime.date, until: datetime.date | None
) -> datetime.date | None:
    if until is not None:
        return until
    if certificate_type.validity_days:
        return valid_from + datetime.timedelta(days=certificate_type.validity_days - 1)
    return None


def _certificate_create(
    *,
    certificate_type: CertificateType,
    holder: User,
    fields: dict[str, Any],
    actor: User | None,
    source_case: Case | None,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
    context: AuditContext | None,
    replaces: Certificate | None = None,
) -> Certificate:
    day = valid_from or timezone.localdate()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    type=certificate_type,
                    holder=holder,
                    number=certificate_number_new(certificate_type=certificate_type, day=day),
                    issuing_department=certificate_type.issuing_department,
                    valid_from=day,
                    valid_until=_validity(certificate_type, day, valid_until),
                    fields=fields,
                    source_case=source_case,
                    language=translation.get_language() or "",
                )
                break
        except IntegrityError:  # pragma: no cover - two issues drew the same number
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not number the certificate")
    audit_record(
        action=AuditAction.CERTIFICATE_ISSUE,
        actor=actor,
        on_behalf_of=None,
        target=certificate,
        data={
            "number": certificate.number,
            "type": certificate_type.code,
            "holder": holder.pk,
            "case": source_case.number if source_case is not None else None,
            "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
            "fields": sorted(fields),
        },
        context=context,
    )
    certificate_changed.send(
        sender=Certificate, certificate=certificate, change="issued", replaces=replaces
    )
    certificate_pk = certificate.pk
    transaction.on_commit(lambda: _queue_pdf(certificate_pk))
    return certificate


def _queue_pdf(certificate_id: int) -> None:
    from ..tasks import certificate_pdf_task

    certificate_pdf_task.delay(certificate_id)


def certificate_issue(
    *,
    certificate_type: CertificateType,
    holder: User,
    fields: dict[str, Any],
    actor: User,
    source_case: Case | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    context: AuditContext | None = None,
) -> Certificate:
    """Issue a certificate of `certificate_type` to `holder` by a clerk or lead of its issuing
    department (a department system's client acts as one): audited, published as
    `gov.portal.certificate.issued`, its sealed PDF rendered after commit."""
    certificate_duty_check(
        actor=actor,
        department=certificate_type.issuing_department,
        roles=("clerk", "lead"),
        step="issue",
        target=certificate_type,
        context=context,
    )
    with transaction.atomic():
        return _certificate_create(
            certificate_type=certificate_type,
            holder=holder,
            fields=fields,
            actor=actor,
            source_case=source_case,
            valid_from=valid_from,
            valid_until=valid_until,
            context=context,
        )


def certificate_issue_for_case(
    *, case: Case, actor: User | None, context: AuditContext | None = None
) -> Certificate | None:
    """What an approved decision grants (`ServiceItem.certificate_type`), in the deciding
    transaction: the decision is the issuing act (its duty was checked by the decision), so no
    second role check. Fields from the case's answers; valid until the decision's end date
    (`granted_until`) or for the type's days. Once per case and type."""
    certificate_type = case.service.certificate_type
    if certificate_type is None or not certificate_type.is_active:
        return None
    existing = Certificate.objects.filter(source_case=case, type=certificate_type).first()
    if existing is not None:
        return existing
    return _certificate_create(
        certificate_type=certificate_type,
        holder=case.applicant,
        fields=certificate_fields_from_answers(
            certificate_type=certificate_type, answers=case.answers
        ),
        actor=actor,
        source_case=case,
        valid_from=timezone.localdate(case.decided_at) if case.decided_at else None,
        valid_until=case.granted_until,
        context=context,
    )


@transaction.atomic
def certificate_pdf_issue(*, certificate_id: int) -> Document:
    """Render the certificate in the language it was issued in, seal it with the issuing
    department's certificate and keep it on the record. Once: a retry finds it."""
    from apps.documents.services import document_issue

    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("type", "holder", "issuing_department", "source_case", "document")
        .get(pk=certificate_id)
    )
    if certificate.document is not None:
        return certificate.document
    language = certificate.language or None
    with translation.override(language):
        labels = certificate.type.field_labels()
        profile = getattr(certificate.holder, "profile", None)
        document = document_issue(
            kind=Document.Kind.CERTIFICATE,
            title=_("%(type)s No. %(number)s")
            % {"type": certificate.type.name, "number": certificate.number},
            template_name="documents/certificate.html",
            context={
                "type_name": certificate.type.name,
                "number": certificate.number,
                "holder_name": profile.real_name if profile else str(certificate.holder),
                "department": str(certificate.issuing_department),
                "valid_from": certificate.valid_from,
                "valid_until": certificate.valid_until,
                "fields": [
                    (labels.get(name, name), value) for name, value in certificate.fields.items()
                ],
                "case_number": certificate.source_case.number if certificate.source_case else "",
                "issued_at": timezone.localtime(certificate.created_at),
            },
            seal=certificate.issuing_department.code,
            language=language,
        )
    certificate.document = document
    certificate.save(update_fields=["document", "updated_at"])
    return document
