"""Reads for departments' systems: the system behind a token, and its department's cases.

A system sees what its department's clerks see, through its own account's memberships and
the department group's grants (apps/cases/selectors.py), never more."""

import hashlib

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from oauth2_provider.models import AbstractAccessToken, get_access_token_model

from apps.cases.models import Case, CaseEvent, CaseGroupGrant, ReviewTask
from apps.certificates.models import Certificate, CertificateType
from apps.core.exceptions import ApplicationError
from apps.core.pagination import SeekKey

from .models import DepartmentSystem

# Newest first: the primary key's own index, from the cursor.
SYSTEM_CASE_ORDER = (SeekKey("pk", descending=True),)


def department_system_for_application(*, application: object) -> DepartmentSystem | None:
    """The system an OAuth2 application is registered for (None: an application made some other
    way, which gets no scope and no access)."""
    pk = getattr(application, "pk", None)
    if pk is None:
        return None
    system: DepartmentSystem | None = (
        DepartmentSystem.objects.select_related("department", "user", "application")
        .filter(application_id=pk)
        .first()
    )
    return system


def department_system_for_client_id(*, client_id: str) -> DepartmentSystem | None:
    system: DepartmentSystem | None = DepartmentSystem.objects.filter(
        application__client_id=client_id
    ).first()
    return system


def access_token_get(*, key: str) -> AbstractAccessToken:
    """The access token row of a token just issued (by its checksum, as the toolkit keeps it)."""
    checksum = hashlib.sha256(key.encode("utf-8")).hexdigest()
    token: AbstractAccessToken = (
        get_access_token_model().objects.select_related("application").get(token_checksum=checksum)
    )
    return token


def department_system_for_token(*, token: AbstractAccessToken) -> DepartmentSystem | None:
    """The active system whose client holds this access token, with an active account."""
    system = department_system_for_application(application=token.application)
    if system is None or not system.is_active or not system.user.is_active:
        return None
    return system


def system_case_list(*, system: DepartmentSystem, state: str = "") -> QuerySet[Case]:
    """Cases the system's department leads or reviews (its group's `view_case` grants: the
    unique grant index walked for one group), never drafts; order with `SYSTEM_CASE_ORDER`."""
    granted = CaseGroupGrant.objects.filter(
        group_id=system.department.group_id or 0,
        permission__codename="view_case",
        permission__content_type__app_label="cases",
    ).values("content_object_id")
    cases = Case.objects.filter(pk__in=granted).exclude(state=Case.State.DRAFT)
    if state:
        cases = cases.filter(state=state)
    result: QuerySet[Case] = cases.select_related("service", "lead_department")
    return result


def system_case_get(*, system: DepartmentSystem, ref: str) -> Case:
    """One case of the department by number, with its reviews and timeline; 404 otherwise."""
    case = (
        system_case_list(system=system)
        .filter(Q(number=ref) | Q(reference=ref))
        .select_related("version", "applicant", "applicant__profile")
        .prefetch_related(
            Prefetch(
                "review_tasks",
                queryset=ReviewTask.objects.select_related("department", "decided_by").order_by(
                    "round", "stage_order", "department__code"
                ),
            ),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related("actor", "department").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .first()
    )
    if case is None:
        raise Http404
    result: Case = case
    return result


def system_certificate_type_get(*, code: str) -> CertificateType:
    """An active certificate type by code (bad input otherwise); whether the system's
    department may issue it is the issuing service's duty to decide (403, audited)."""
    certificate_type = CertificateType.objects.filter(code=code.strip(), is_active=True).first()
    if certificate_type is None:
        raise ApplicationError(
            _("No certificate type has the code “%(code)s”.") % {"code": code},
            errors={"type": [_("Use the code of one of your department's certificate types.")]},
        )
    result: CertificateType = certificate_type
    return result


def system_certificate_get(*, number: str) -> Certificate:
    """A certificate by its number (404 if none). Not narrowed to the department: a number is
    unguessable and travels with the holder's paper, so a system that has one learns nothing
    new; whether it may act on it is the certificate service's duty (403, audited with the
    client named), the same answer as for another department's task."""
    certificate = (
        Certificate.objects.filter(number=number.strip())
        .select_related("type", "holder", "issuing_department")
        .first()
    )
    if certificate is None:
        raise Http404
    result: Certificate = certificate
    return result
