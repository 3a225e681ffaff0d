"""Documents a case holds otherwise than by an upload, from an app above cases.

Certificates (电子证照) register a provider in their `AppConfig.ready`: it offers the
applicant's valid certificates for a file field, and describes the ones a case links, read live
each time (never a copy). Cases uses it without knowing the app: a required file field a usable
document answers needs no upload, one that is no longer usable (revoked, expired) stops the
submission, and the resident's signature covers each document's digest items."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.audit.context import AuditContext

    from .models import Case


@dataclass(frozen=True)
class DocumentOffer:
    """A document the applicant holds that can answer a file field instead of an upload."""

    field_key: str
    reference: str  # what the provider's link command takes (a certificate number)
    title: str
    valid_until: date | None


@dataclass(frozen=True)
class ProvidedDocument:
    """A file field a case answers with a document held elsewhere, as it stands today."""

    field_key: str
    reference: str
    title: str
    status: str  # valid / expired / revoked / replaced
    status_label: str
    usable: bool
    issued_by: str
    valid_from: date | None
    valid_until: date | None
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, value) to show
    data: dict[str, object] = field(default_factory=dict)  # the same, keyed by field name
    signed: dict[str, str] = field(default_factory=dict)  # what the signature digest covers
    refusal: str = ""  # why it cannot be submitted with (translated), when not usable


class DocumentProvider(Protocol):
    def offers(self, *, case: "Case") -> dict[str, list[DocumentOffer]]: ...

    def provided(self, *, case: "Case") -> list[ProvidedDocument]: ...

    def use(
        self,
        *,
        case: "Case",
        actor: "User",
        field_key: str,
        reference: str,
        context: "AuditContext | None",
    ) -> None: ...

    def remove(
        self, *, case: "Case", actor: "User", field_key: str, context: "AuditContext | None"
    ) -> None: ...


_providers: list[DocumentProvider] = []


def register_document_provider(provider: DocumentProvider) -> None:
    if not any(type(p) is type(provider) for p in _providers):
        _providers.append(provider)


def document_offers(*, case: "Case") -> dict[str, list[DocumentOffer]]:
    """Field key → the documents the applicant could use there instead of an upload."""
    result: dict[str, list[DocumentOffer]] = {}
    for provider in _providers:
        for key, offers in provider.offers(case=case).items():
            result.setdefault(key, []).extend(offers)
    return result


def provided_documents(*, case: "Case") -> list[ProvidedDocument]:
    """The documents the case links, each with its state today."""
    return [doc for provider in _providers for doc in provider.provided(case=case)]


def provided_by_field(*, case: "Case") -> dict[str, ProvidedDocument]:
    return {doc.field_key: doc for doc in provided_documents(case=case)}


def document_use(
    *,
    case: "Case",
    actor: "User",
    field_key: str,
    reference: str,
    context: "AuditContext | None" = None,
) -> None:
    """Answer `field_key` with the offered document `reference` (the provider checks it all:
    who may change the case, that the applicant holds it, that it is usable)."""
    for provider in _providers:
        provider.use(
            case=case, actor=actor, field_key=field_key, reference=reference, context=context
        )
        return


def document_remove(
    *, case: "Case", actor: "User", field_key: str, context: "AuditContext | None" = None
) -> None:
    """Stop answering `field_key` with a document held elsewhere (upload it instead)."""
    for provider in _providers:
        provider.remove(case=case, actor=actor, field_key=field_key, context=context)
