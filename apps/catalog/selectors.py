"""Reads on the catalogue: what residents can browse, search and apply for."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from apps.accounts.models import Department

from .models import FieldDefinition, ReviewStage, ServiceItem, ServiceVersion


def _published_version_exists() -> Exists:
    return Exists(ServiceVersion.objects.filter(service=OuterRef("pk"), published_at__isnull=False))


def service_list(
    *,
    q: str = "",
    department: str = "",
    kind: str | None = ServiceItem.Kind.APPLICATION,
) -> QuerySet[ServiceItem]:
    """Active services with a published version, searched by words in either language.

    Every word of `q` must appear in the code, name or summary (Chinese or English);
    `department` (a code) keeps services the department leads or reviews."""
    services = (
        ServiceItem.objects.filter(is_active=True)
        .filter(_published_version_exists())
        .select_related("lead_department")
    )
    if kind:
        services = services.filter(kind=kind)
    for word in (q or "").split()[:10]:
        services = services.filter(
            Q(code__icontains=word)
            | Q(name_zh__icontains=word)
            | Q(name_en__icontains=word)
            | Q(summary_zh__icontains=word)
            | Q(summary_en__icontains=word)
        )
    if department:
        services = services.filter(
            Q(lead_department__code=department) | Q(stages__departments__code=department)
        ).distinct()
    return services.order_by("code")


def service_get(*, code: str) -> ServiceItem:
    """An active service with a published version, with its documents and stages; else 404."""
    service = (
        ServiceItem.objects.filter(is_active=True, code=code)
        .filter(_published_version_exists())
        .select_related("lead_department")
        .prefetch_related(
            "documents",
            Prefetch(
                "stages",
                queryset=ReviewStage.objects.order_by("order").prefetch_related("departments"),
            ),
        )
        .first()
    )
    if service is None:
        raise Http404("No such service.")
    return service


def service_version_get(*, service: ServiceItem, number: int | None = None) -> ServiceVersion:
    """A published version of the service (the current one without `number`); else 404."""
    versions = service.versions.filter(published_at__isnull=False)
    version = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    if version is None:
        raise Http404("No such version.")
    return version


def catalog_departments() -> QuerySet[Department]:
    """Departments that lead or review at least one active service, for the filter."""
    return (
        Department.objects.filter(
            Q(led_services__is_active=True) | Q(review_stages__service__is_active=True)
        )
        .distinct()
        .order_by("code")
    )


def complaint_categories() -> QuerySet[ServiceItem]:
    """The active complaint categories (12345), each with its default department."""
    return (
        ServiceItem.objects.filter(kind=ServiceItem.Kind.COMPLAINT, is_active=True)
        .select_related("lead_department")
        .order_by("code")
    )


def complaint_category_get(*, code: str) -> ServiceItem | None:
    return complaint_categories().filter(code=code).first()


def field_definition_list(*, version: ServiceVersion) -> list[FieldDefinition]:
    """The field definitions of one version of a service's form, in their order."""
    return list(version.fields.all())
