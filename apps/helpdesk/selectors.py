"""Help desk reads: finding residents, their mandates, family links and print batches."""

from django.db.models import Q, QuerySet
from django.http import Http404

from apps.accounts.models import ResidentProfile, ServicePoint, User
from apps.accounts.selectors import id_number_shown_to
from apps.accounts.validators import normalize_id_number
from apps.cases.models import Case, CaseDocument
from apps.cases.selectors import case_list_for_user

from .models import FamilyLink, IdentityCheck, Mandate, PrintBatch


def resident_search(*, query: str) -> list[ResidentProfile]:
    """Residents whose full ID number or mobile phone (their own or the family's) is `query`.

    Exact matches only: the counter asks for the card, it does not browse people."""
    query = (query or "").strip()
    if not query:
        return []
    id_number = normalize_id_number(query)
    return list(
        ResidentProfile.objects.filter(
            Q(id_number=id_number) | Q(user__phone=query) | Q(family_phone=query)
        )
        .exclude(user__staff_memberships__is_active=True)
        .select_related("user", "service_point")
        .distinct()[:20]
    )


def resident_get(*, resident_id: int) -> User:
    user = (
        User.objects.filter(pk=resident_id, profile__isnull=False)
        .select_related("profile", "profile__service_point")
        .first()
    )
    if user is None:
        raise Http404
    return user


def resident_find(*, resident_id: int | None) -> User | None:
    """The user (with their profile), or None: for the acting banner, which shows nothing then."""
    if not resident_id:
        return None
    return User.objects.filter(pk=resident_id).select_related("profile").first()


def resident_card(*, viewer: User, resident: User) -> dict:
    """What the counter sees of a resident, ID number masked unless the viewer may see it."""
    profile = resident.profile
    return {
        "id": resident.pk,
        "real_name": profile.real_name,
        "id_number": id_number_shown_to(viewer=viewer, profile=profile),
        "phone": resident.phone or "",
        "email": resident.email or "",
        "address": profile.address,
        "preferred_contact": profile.preferred_contact,
        "preferred_contact_display": profile.get_preferred_contact_display(),
        "family_phone": profile.family_phone,
        "service_point": str(profile.service_point) if profile.service_point else "",
        "is_assisted": resident.is_assisted,
    }


def identity_checks_of(*, resident: User) -> QuerySet[IdentityCheck]:
    return IdentityCheck.objects.filter(resident=resident).select_related(
        "checked_by", "service_point"
    )


def mandate_list(*, resident: User) -> QuerySet[Mandate]:
    return Mandate.objects.filter(resident=resident).select_related(
        "case", "service", "revoked_by", "created_by", "service_point"
    )


def mandate_find(*, mandate_id: int | None, resident: User | None = None) -> Mandate | None:
    """The mandate (the resident's, when `resident` is given), or None: acting with none is
    refused by `services.mandate_check`, which says why."""
    mandates = Mandate.objects.select_related(
        "resident", "case", "service", "revoked_by", "created_by", "service_point"
    )
    if resident is not None:
        mandates = mandates.filter(resident=resident)
    return mandates.filter(pk=mandate_id or 0).first()


def mandate_get(*, mandate_id: int, resident: User | None = None) -> Mandate:
    """The mandate (the resident's, when `resident` is given), or 404."""
    mandate = mandate_find(mandate_id=mandate_id, resident=resident)
    if mandate is None:
        raise Http404
    return mandate


def family_links_of_resident(*, resident: User) -> QuerySet[FamilyLink]:
    return FamilyLink.objects.filter(resident=resident).select_related(
        "member", "resident__profile"
    )


def family_links_of_member(*, member: User) -> QuerySet[FamilyLink]:
    return FamilyLink.objects.filter(member=member).select_related("resident", "resident__profile")


def family_link_get_for_user(*, user: User, link_id: int) -> FamilyLink:
    link = (
        FamilyLink.objects.filter(Q(resident=user) | Q(member=user), pk=link_id)
        .select_related("resident", "member", "resident__profile")
        .first()
    )
    if link is None:
        raise Http404
    return link


def family_link_get(*, link_id: int) -> FamilyLink:
    """Any family link, for counter staff; 404 if there is none."""
    link = (
        FamilyLink.objects.filter(pk=link_id)
        .select_related("resident", "member", "resident__profile")
        .first()
    )
    if link is None:
        raise Http404
    return link


def family_active_links_of_resident(*, resident_id: int) -> QuerySet[FamilyLink]:
    """The resident's bound family members' links (each member sees the resident's cases)."""
    return FamilyLink.objects.filter(
        resident_id=resident_id, state=FamilyLink.State.ACTIVE
    ).select_related("member")


def family_active_link(*, resident_id: int, member: User) -> FamilyLink | None:
    return FamilyLink.objects.filter(
        resident_id=resident_id, member=member, state=FamilyLink.State.ACTIVE
    ).first()


def resident_cases(*, resident: User) -> QuerySet[Case]:
    cases: QuerySet[Case] = (
        Case.objects.filter(applicant=resident).select_related("service").order_by("-created_at")
    )
    return cases


def family_case_list(*, member: User, resident: User) -> QuerySet[Case]:
    """The cases of `resident` that their bound family member `member` may see."""
    return case_list_for_user(user=member).filter(applicant=resident)


def case_document_list(*, case: Case) -> list[CaseDocument]:
    """Every document of the case (receipts, letters), for the counter acting on it."""
    return list(case.case_documents.select_related("document"))


def resident_case_get(*, resident: User, ref: str) -> Case:
    """The resident's case by number or reference, or 404."""
    case: Case | None = (
        Case.objects.filter(applicant=resident)
        .filter(Q(number=ref) | Q(reference=ref))
        .select_related("service", "version", "applicant")
        .first()
    )
    if case is None:
        raise Http404
    return case


def print_batches_of(*, service_point: ServicePoint) -> QuerySet[PrintBatch]:
    return PrintBatch.objects.filter(service_point=service_point).select_related("document")


def print_batch_get(*, service_point: ServicePoint | None, batch_id: int) -> PrintBatch:
    """One print batch of the service point, or 404."""
    batch = (
        PrintBatch.objects.filter(service_point=service_point, pk=batch_id)
        .select_related("document")
        .first()
    )
    if batch is None:
        raise Http404
    return batch
