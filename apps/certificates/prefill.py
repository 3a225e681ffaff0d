"""The certificates' prefill source (`certificate:<type code>.<field>`): a field is filled in
from the applicant's valid certificate of that type, the newest one, once they consent
(`apps/cases/prefill.py` calls it only then)."""

from apps.cases.prefill import Found, PrefillRequest
from apps.catalog.models import FieldDefinition
from apps.catalog.prefill import SourceName

from .models import Certificate
from .selectors import certificates_usable_by_type_codes


def certificate_prefill(
    request: PrefillRequest, pairs: list[tuple[FieldDefinition, SourceName]]
) -> dict[str, Found]:
    """One query for every certificate field of the form; origin names the certificate."""
    codes = sorted({source.certificate_type for _definition, source in pairs})
    newest: dict[str, Certificate] = {}
    for certificate in certificates_usable_by_type_codes(holder=request.applicant, codes=codes):
        newest.setdefault(certificate.type.code, certificate)
    found: dict[str, Found] = {}
    for definition, source in pairs:
        held = newest.get(source.certificate_type)
        if held is None:
            continue
        value = held.fields.get(source.item)
        if value in (None, "", []):
            continue
        found[definition.key] = Found(value, {"kind": "certificate", "certificate": held.number})
    return found
