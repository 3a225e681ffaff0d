"""Reads of certificates: the holder's wallet, a department's issued certificates, what a case
links and what its applicant could use. Status is always computed today, never stored."""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import StaffMembership, User
from apps.cases.models import Case
from apps.catalog.models import FieldDefinition
from apps.core.pagination import SeekKey
from apps.documents.models import Document
from apps.documents.standing import DocumentStanding

from .models import CaseCertificate, Certificate

STAFF_CERTIFICATE_ORDER = (SeekKey("pk", descending=True),)
HOLDER_CERTIFICATE_ORDER = (SeekKey("valid_from", descending=True), SeekKey("pk", descending=True))
_RELATED = ("type", "issuing_department", "document", "replaced_by", "source_case")


def certificate_list_for_holder(*, user: User) -> QuerySet[Certificate]:
    """The wallet: every certificate the user holds, newest first (expired and ended too)."""
    return (
        Certificate.objects.filter(holder=user)
        .select_related(*_RELATED)
        .order_by("-valid_from", "-pk")
    )


def certificate_get_for_holder(*, user: User, number: str) -> Certificate:
    certificate = certificate_list_for_holder(user=user).filter(number=number).first()
    if certificate is None:
        raise Http404
    return certificate


def _staff_department_ids(*, user: User) -> list[int]:
    return list(
        StaffMembership.objects.filter(
            user=user, is_active=True, department__is_active=True
        ).values_list("department_id", flat=True)
    )


def certificate_list_for_staff(*, user: User, query: str = "") -> QuerySet[Certificate]:
    """The certificates the staff member's departments issued (by number or type code)."""
    qs = Certificate.objects.filter(
        issuing_department_id__in=_staff_department_ids(user=user)
    ).select_related(*_RELATED)
    if query:
        qs = qs.filter(Q(number__iexact=query.strip()) | Q(type__code__iexact=query.strip()))
    return qs.order_by("-id")


def certificate_get_for_staff(*, user: User, number: str) -> Certificate:
    """A certificate of one of the staff member's departments (404 otherwise)."""
    certificate = certificate_list_for_staff(user=user).filter(number=number).first()
    if certificate is None:
        raise Http404
    return certificate


def certificates_usable(*, holder: User, type_ids: list[int]) -> list[Certificate]:
    """The holder's certificates of these types that are valid today."""
    today = timezone.localdate()
    return list(
        Certificate.objects.filter(
            holder=holder, type_id__in=type_ids, state=Certificate.State.VALID
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related(*_RELATED)
        .order_by("-valid_from", "-id")
    )


def certificates_usable_by_type_codes(*, holder: User, codes: list[str]) -> list[Certificate]:
    """The holder's certificates of these type codes valid today, newest first (prefill)."""
    today = timezone.localdate()
    return list(
        Certificate.objects.filter(
            holder=holder, type__code__in=codes, state=Certificate.State.VALID
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("type")
        .order_by("-valid_from", "-id")
    )


def case_certificate_fields(*, case: Case) -> dict[str, int]:
    """File field key → the certificate type that answers it, for the case's form version."""
    return dict(
        FieldDefinition.objects.filter(
            version_id=case.version_id,
            kind=FieldDefinition.Kind.FILE,
            document__certificate_type__isnull=False,
        ).values_list("key", "document__certificate_type_id")
    )


def case_certificate_links(*, case: Case) -> list[CaseCertificate]:
    """The certificates the case links, each read as it stands now (state, PDF)."""
    return list(
        CaseCertificate.objects.filter(case=case)
        .select_related(*(f"certificate__{name}" for name in _RELATED))
        .order_by("field_key")
    )


def certificate_linking_department_ids(*, certificate: Certificate) -> set[int]:
    """The departments that reuse a certificate: the lead departments of the cases linking
    it (and the service's lead department while a case is not yet taken in)."""
    ids: set[int] = set()
    for lead, service_lead in CaseCertificate.objects.filter(certificate=certificate).values_list(
        "case__lead_department_id", "case__service__lead_department_id"
    ):
        ids.add(lead or service_lead)
    return ids


def certificate_standing_for_document(*, document: Document) -> DocumentStanding | None:
    """For /verify/: whether the certificate a sealed PDF shows is still in force today (the
    seal stays intact after a revocation, so the page must say so itself)."""
    certificate = Certificate.objects.filter(document=document).first()
    if certificate is None:
        return None
    ended = certificate.ended_at
    return DocumentStanding(
        status=certificate.status,
        status_display=certificate.get_status_display(),
        in_force=certificate.is_usable,
        ended_on=timezone.localdate(ended) if ended else None,
        valid_until=certificate.valid_until,
    )


def certificates_expiring(*, today: datetime.date, days: int) -> QuerySet[Certificate]:
    """Valid certificates of active holders whose last valid day is within `days` from `today`
    (through `certificates_valid_until`, never the whole table)."""
    return (
        Certificate.objects.filter(
            state=Certificate.State.VALID,
            valid_until__isnull=False,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
            holder__is_active=True,
        )
        .select_related("type", "issuing_department", "holder")
        .order_by("valid_until", "pk")
    )
