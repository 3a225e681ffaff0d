"""Help desk reads: finding residents, their mandates, family links and print batches."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import ResidentProfile, ServicePoint, StaffMembership, User
from apps.accounts.selectors import id_number_shown_to
from apps.accounts.validators import mask_phone, normalize_id_number
from apps.cases.models import Case, CaseDocument
from apps.cases.selectors import case_list_for_user

from .models import FamilyLink, IdentityCheck, Mandate, PrintBatch, ResidentLookup


def resident_matches(*, query: str, kind: str) -> list[tuple[ResidentProfile, str]]:
    """Residents whose full ID number (`kind="id_number"`) or mobile phone, their own or the
    family's (`kind="phone"`), is exactly `query`, with what matched; staff are never found.

    Exact matches only: the counter asks for the card, it does not browse people."""
    if kind == ResidentLookup.MatchedBy.ID_NUMBER:
        condition = Q(id_number=normalize_id_number(query))
    elif kind == ResidentLookup.MatchedBy.PHONE:
        condition = Q(user__phone=query) | Q(family_phone=query)
    else:
        return []
    profiles = (
        ResidentProfile.objects.filter(condition)
        .exclude(user__staff_memberships__is_active=True)
        .select_related("user", "service_point")
        .distinct()
        .order_by("pk")[:20]
    )
    return [(profile, _matched_by(profile=profile, query=query, kind=kind)) for profile in profiles]


def _matched_by(*, profile: ResidentProfile, query: str, kind: str) -> str:
    if kind == ResidentLookup.MatchedBy.PHONE and profile.user.phone != query:
        return str(ResidentLookup.MatchedBy.FAMILY_PHONE)
    return kind


# --- who at the counter may open which resident ----------------------------------------------


@dataclass(frozen=True)
class ResidentAccess:
    """Why this counter staff member may open this resident now: their own recent look-up
    with a reason, a mandate in force to their service point, or an assisted account their
    service point serves. Only a mandate shows the resident's contact details."""

    resident: User
    lookup: ResidentLookup | None
    mandates: tuple[Mandate, ...]
    serves_assisted: bool

    @property
    def via(self) -> str:
        if self.mandates:
            return "mandate"
        return "lookup" if self.lookup is not None else "assisted"

    @property
    def shows_contact(self) -> bool:
        return bool(self.mandates)


def counter_service_point_ids(*, staff: User) -> list[int]:
    """The help points where `staff` works as counter staff (active memberships)."""
    return [
        point_id
        for point_id in StaffMembership.objects.filter(
            user=staff, is_active=True, role=StaffMembership.Role.COUNTER
        ).values_list("service_point_id", flat=True)
        if point_id is not None
    ]


def resident_access_find(*, staff: User, resident: User) -> ResidentAccess | None:
    """What gives `staff` access to `resident` at the desk now, or None: then the desk shows
    nothing of them (a sequential id alone opens nobody)."""
    profile = getattr(resident, "profile", None)
    if profile is None or resident.pk == staff.pk:
        return None
    points = counter_service_point_ids(staff=staff)
    today = timezone.localdate()
    mandates = tuple(
        Mandate.objects.filter(
            resident=resident,
            service_point_id__in=points,
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_until__gte=today,
        ).select_related("case", "service")
    )
    lookup = (
        ResidentLookup.objects.filter(staff=staff, resident=resident, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
    serves_assisted = resident.is_assisted and profile.service_point_id in points
    if not (mandates or lookup or serves_assisted):
        return None
    return ResidentAccess(
        resident=resident, lookup=lookup, mandates=mandates, serves_assisted=serves_assisted
    )


def resident_access_get(*, staff: User, resident_id: int) -> ResidentAccess:
    """The resident with what lets `staff` open them, or 404: for an unknown id and for a
    resident this staff member has no need for alike."""
    resident = (
        User.objects.filter(pk=resident_id, profile__isnull=False)
        .exclude(staff_memberships__is_active=True)
        .select_related("profile", "profile__service_point")
        .first()
    )
    access = resident_access_find(staff=staff, resident=resident) if resident else None
    if access is None:
        raise Http404
    return access


def resident_find(*, resident_id: int | None) -> User | None:
    """The user (with their profile), or None: for the acting banner, which shows nothing then."""
    if not resident_id:
        return None
    return User.objects.filter(pk=resident_id).select_related("profile").first()


def resident_card(*, viewer: User, access: ResidentAccess) -> dict:
    """What the counter sees of a resident: the minimum (ID number and phones masked unless
    the viewer may see full ID numbers; email and address only under a mandate)."""
    resident = access.resident
    profile = resident.profile
    full = access.shows_contact
    return {
        "id": resident.pk,
        "real_name": profile.real_name,
        "id_number": id_number_shown_to(viewer=viewer, profile=profile),
        "phone": (resident.phone if full else mask_phone(resident.phone or "")) or "",
        "email": (resident.email or "") if full else "",
        "address": profile.address if full else "",
        "preferred_contact": profile.preferred_contact,
        "preferred_contact_display": profile.get_preferred_contact_display(),
        "family_phone": profile.family_phone if full else mask_phone(profile.family_phone),
        "service_point": str(profile.service_point) if profile.service_point else "",
        "is_assisted": resident.is_assisted,
        "access": access.via,
        "shows_contact": full,
        "lookup_expires_at": access.lookup.expires_at if access.lookup else None,
    }


def resident_cases_for_counter(*, access: ResidentAccess) -> QuerySet[Case]:
    """The resident's cases the counter may list: all of them after a look-up with a reason or
    for an assisted resident of the service point, else only what the mandates cover."""
    cases = resident_cases(resident=access.resident)
    if access.lookup is not None or access.serves_assisted:
        return cases
    if any(m.scope == Mandate.Scope.ALL for m in access.mandates):
        return cases
    return cases.filter(
        Q(pk__in=[m.case_id for m in access.mandates if m.case_id])
        | Q(service_id__in=[m.service_id for m in access.mandates if m.service_id])
    )


def mandate_get_for_counter(*, staff: User, mandate_id: int) -> Mandate:
    """A mandate of a resident this counter staff member may open, or 404."""
    mandate = mandate_get(mandate_id=mandate_id)
    if resident_access_find(staff=staff, resident=mandate.resident) is None:
        raise Http404
    return mandate


def mandate_evidence_get_for_counter(*, staff: User, mandate_id: int) -> Mandate:
    """A mandate whose evidence file this counter staff member may open, or 404 (also once
    closing the account removed the file)."""
    mandate = mandate_get_for_counter(staff=staff, mandate_id=mandate_id)
    if not mandate.evidence:
        raise Http404
    return mandate


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


def family_link_get_for_counter(*, staff: User, link_id: int) -> FamilyLink:
    """A family link of a resident this counter staff member may open; 404 otherwise."""
    link = (
        FamilyLink.objects.filter(pk=link_id)
        .select_related("resident", "member", "resident__profile")
        .first()
    )
    if link is None or resident_access_find(staff=staff, resident=link.resident) is None:
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
