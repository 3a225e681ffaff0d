"""Reading the sources a form field declares (`FieldDefinition.prefill_source`), and what a
case's prefilled answers show: where each came from, and whether the service lets it change.

Nothing here reads a resident's data before they consent: `prefill_offer` names the sources
from the form alone; `prefill_values` reads them and is called only by `case_prefill`, which
records the consent. Each kind of source is one resolver that reads all its fields in one
query (the profile: one row; the last application: one index walk on
`case_applicant_service_idx`). A higher app adds a kind through `prefill_resolver_register`
(the certificates app, for `certificate:<type>.<field>`), knowing nothing of the form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import ResidentProfile, User
from apps.catalog.forms import field_definitions
from apps.catalog.models import FieldDefinition, ServiceItem, ServiceVersion
from apps.catalog.prefill import SourceName, source_parse
from apps.catalog.services import answers_clean, answers_validate
from apps.core.exceptions import ApplicationError
from apps.core.i18n import pick_language

from .models import Case, PrefillConsent


@dataclass(frozen=True)
class PrefillRequest:
    """Who applies for what: what a resolver is given."""

    applicant: User
    service: ServiceItem
    case_id: int | None


@dataclass
class Found:
    """One value a resolver found, and its origin as the case keeps it (JSON-safe)."""

    value: Any
    origin: dict[str, str] = field(default_factory=dict)


# A resolver: the request and the (definition, parsed source) pairs of its kind → values by key.
Resolver = Callable[[PrefillRequest, list[tuple[FieldDefinition, SourceName]]], dict[str, Found]]
_RESOLVERS: dict[str, Resolver] = {}

# What each kind of source is called in the consent question, before anything is read.
_KIND_NAMES = {
    "profile": gettext_lazy("your profile (个人资料)"),
    "last_case": gettext_lazy("your last application for this service"),
    "certificate": gettext_lazy("your electronic licences (电子证照)"),
}


def prefill_resolver_register(*, kind: str, resolver: Resolver) -> None:
    """Let a kind of source be read (called from an `AppConfig.ready`)."""
    _RESOLVERS[kind] = resolver


# --- the built-in sources --------------------------------------------------------------------


def _profile(request: PrefillRequest, pairs: list[tuple[FieldDefinition, SourceName]]):
    profile = ResidentProfile.objects.filter(user_id=request.applicant.pk).first()
    values = {
        "name": profile.real_name if profile else "",
        "id_number": profile.id_number if profile else "",
        "phone": request.applicant.phone or "",
        "address": profile.address if profile else "",
    }
    return {
        definition.key: Found(values[source.item], {"kind": "profile"})
        for definition, source in pairs
        if values.get(source.item)
    }


def last_application_list(*, applicant_id: int, service_id: int) -> QuerySet[Case]:
    """The applicant's submitted applications of the service, latest first (a withdrawn one
    does not count: the resident took it back); an index walk on `case_applicant_service_idx`."""
    return (
        Case.objects.filter(
            applicant_id=applicant_id, service_id=service_id, submitted_at__isnull=False
        )
        .exclude(state=Case.State.WITHDRAWN)
        .order_by("-submitted_at", "-id")
    )


def _last_case(request: PrefillRequest, pairs: list[tuple[FieldDefinition, SourceName]]):
    """The same keys in the applicant's latest submitted application of the service."""
    latest = (
        last_application_list(applicant_id=request.applicant.pk, service_id=request.service.pk)
        .values("number", "answers")
        .first()
    )
    if latest is None:
        return {}
    answers = latest["answers"] or {}
    return {
        definition.key: Found(
            answers[definition.key], {"kind": "last_case", "case": latest["number"] or ""}
        )
        for definition, _source in pairs
        if answers.get(definition.key) not in (None, "", [])
    }


prefill_resolver_register(kind="profile", resolver=_profile)
prefill_resolver_register(kind="last_case", resolver=_last_case)


# --- reading -----------------------------------------------------------------------------------


def _sourced(definitions: Iterable[FieldDefinition]) -> list[tuple[FieldDefinition, SourceName]]:
    pairs = []
    for definition in definitions:
        source = source_parse(definition.prefill_source) if definition.prefill_source else None
        if source is not None and not definition.is_file and source.kind in _RESOLVERS:
            pairs.append((definition, source))
    return pairs


def prefill_offer(*, version: ServiceVersion | None) -> list[dict[str, Any]]:
    """What the consent question names, from the form alone (no personal data is read):
    `[{"kind", "name", "fields": [label, …]}]`, one entry per kind of source, in form order."""
    if version is None:
        return []
    offer: dict[str, dict[str, Any]] = {}
    for definition, source in _sourced(field_definitions(version)):
        entry = offer.setdefault(
            source.kind, {"kind": source.kind, "name": str(_KIND_NAMES[source.kind]), "fields": []}
        )
        entry["fields"].append(definition.label)
    return list(offer.values())


def prefill_consent_get(*, resident: User, service: ServiceItem) -> PrefillConsent | None:
    """The resident's consent in force for the service, if any."""
    return PrefillConsent.objects.filter(
        resident=resident, service=service, withdrawn_at__isnull=True
    ).first()


def prefill_consent_list(*, resident: User) -> list[PrefillConsent]:
    """The resident's consents in force, with their services, newest first."""
    return list(
        PrefillConsent.objects.filter(resident=resident, withdrawn_at__isnull=True)
        .select_related("service")
        .order_by("-created_at")
    )


def prefill_values(*, case: Case, keys_taken: Iterable[str] = ()) -> dict[str, Found]:
    """Read every declared source of the case's form for its applicant: valid values only
    (a value the form would refuse, say a choice since removed, is left for the resident),
    never for a key in `keys_taken`. One query per kind of source in use."""
    taken = set(keys_taken)
    pairs = [(d, s) for d, s in _sourced(field_definitions(case.version)) if d.key not in taken]
    request = PrefillRequest(applicant=case.applicant, service=case.service, case_id=case.pk)
    found: dict[str, Found] = {}
    for kind in dict.fromkeys(source.kind for _d, source in pairs):
        found.update(_RESOLVERS[kind](request, [(d, s) for d, s in pairs if s.kind == kind]))
    if not found:
        return {}
    errors = answers_validate(
        version=case.version, answers={key: item.value for key, item in found.items()}, partial=True
    )
    return {key: item for key, item in found.items() if key not in errors}


# --- what a case shows -----------------------------------------------------------------------


def source_label(origin: Mapping[str, str]) -> str:
    """ "来自：个人资料" / "来自：电子证照 XX" / "来自：上次办理 SQ-…", in the active language."""
    kind = origin.get("kind")
    if kind == "profile":
        return _("From: your profile")
    if kind == "last_case":
        return _("From: your last application %(number)s") % {"number": origin.get("case", "")}
    if kind == "certificate":
        return _("From: electronic licence %(name)s %(number)s") % {
            "name": pick_language(origin, "name"),
            "number": origin.get("number", ""),
        }
    return _("From: a record the city holds")


def case_prefill_marks(*, case: Case) -> dict[str, dict[str, Any]]:
    """Per prefilled key: `{"source", "label", "locked", "origin"}`; what the form and the API
    show beside the answer. A locked answer (the service disallows change) stays as given."""
    fields = (case.prefill or {}).get("fields", {})
    return {
        key: {
            "source": mark.get("source", ""),
            "label": source_label(mark.get("origin", {})),
            "locked": bool(mark.get("locked")),
            "origin": mark.get("origin", {}),
        }
        for key, mark in fields.items()
    }


def case_prefill_sources(*, case: Case) -> dict[str, tuple[str, bool]]:
    """`{key: (where from, locked)}`: what the form engine's `show_sources` is given."""
    return {
        key: (mark["label"], mark["locked"]) for key, mark in case_prefill_marks(case=case).items()
    }


def prefill_locked_keys(*, case: Case) -> set[str]:
    """The answers the service does not let the resident change from what the source gave
    (unless the department returned one of them for correction: then it asks for a change)."""
    fields = (case.prefill or {}).get("fields", {})
    locked = {key for key, mark in fields.items() if mark.get("locked")}
    if case.state == Case.State.NEEDS_CORRECTION:
        locked -= set((case.correction_request or {}).get("fields", []))
    return locked


def prefill_locks_check(*, case: Case, answers: Mapping[str, Any]) -> None:
    """Refuse a change to a locked prefilled answer (`ApplicationError` naming each field, what
    it comes from, and that the service fixes it). Values are compared as the form stores them."""
    locked = prefill_locked_keys(case=case) & set(answers)
    if not locked:
        return
    mine = {key: answers[key] for key in locked}
    if answers_validate(version=case.version, answers=mine, partial=True):
        changed = locked  # a value the form refuses is certainly not the prefilled one
    else:
        cleaned = answers_clean(version=case.version, answers=mine, partial=True)
        changed = {key for key in locked if cleaned.get(key) != case.answers.get(key)}
    if changed:
        marks = case_prefill_marks(case=case)
        raise ApplicationError(
            _(
                "Some answers come from a record the city holds and this service does not let "
                "you change them."
            ),
            errors={
                key: [
                    _("%(source)s. This service does not let you change this answer.")
                    % {"source": marks[key]["label"]}
                ]
                for key in sorted(changed)
            },
        )
