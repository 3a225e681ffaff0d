"""The certificates' side of `apps.cases.provided`: what a case's form offers, and what a
case's linked certificates are today."""

from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.cases.models import Case
from apps.cases.provided import DocumentOffer, ProvidedDocument

from .models import Certificate
from .selectors import case_certificate_fields, case_certificate_links, certificates_usable
from .services.reuse import (
    case_certificate_link,
    case_certificate_unlink,
    certificate_refusal_message,
)


def certificate_fields_display(*, certificate: Certificate) -> list[tuple[str, str]]:
    labels = certificate.type.field_labels()
    return [(labels.get(name, name), str(value)) for name, value in certificate.fields.items()]


class CertificateDocuments:
    def offers(self, *, case: Case) -> dict[str, list[DocumentOffer]]:
        fields = case_certificate_fields(case=case)
        if not fields:
            return {}
        linked = {link.field_key for link in case_certificate_links(case=case)}
        held = certificates_usable(holder=case.applicant, type_ids=sorted(set(fields.values())))
        offers: dict[str, list[DocumentOffer]] = {}
        for key, type_id in fields.items():
            if key in linked:
                continue
            for certificate in held:
                if certificate.type_id == type_id:
                    offers.setdefault(key, []).append(
                        DocumentOffer(
                            field_key=key,
                            reference=certificate.number,
                            title=f"{certificate.type.name} {certificate.number}",
                            valid_until=certificate.valid_until,
                        )
                    )
        return offers

    def provided(self, *, case: Case) -> list[ProvidedDocument]:
        result = []
        for link in case_certificate_links(case=case):
            certificate = link.certificate
            usable = certificate.is_usable
            result.append(
                ProvidedDocument(
                    field_key=link.field_key,
                    reference=certificate.number,
                    title=f"{certificate.type.name} {certificate.number}",
                    status=certificate.status,
                    status_label=certificate.get_status_display(),
                    usable=usable,
                    issued_by=str(certificate.issuing_department),
                    valid_from=certificate.valid_from,
                    valid_until=certificate.valid_until,
                    fields=certificate_fields_display(certificate=certificate),
                    data=dict(certificate.fields),
                    signed={"number": certificate.number, "sha256": certificate.pdf_sha256},
                    refusal="" if usable else certificate_refusal_message(certificate=certificate),
                )
            )
        return result

    def use(
        self,
        *,
        case: Case,
        actor: User,
        field_key: str,
        reference: str,
        context: AuditContext | None,
    ) -> None:
        case_certificate_link(
            case=case, actor=actor, field_key=field_key, number=reference, context=context
        )

    def remove(
        self, *, case: Case, actor: User, field_key: str, context: AuditContext | None
    ) -> None:
        case_certificate_unlink(case=case, actor=actor, field_key=field_key, context=context)
