"""Reads for a resident's own data: everything the city holds about them (the export), their
exports, and who at the city looked at their case.

What a resident is given is what is *about them*: their profile, their cases (answers, state,
public timeline lines, public documents, attachments), ratings, notifications, mandates, family
links, and the audit events where they are the actor, the person acted for or the target (or
one of their cases, mandates, links or ratings is). Of those events they get what the event
carries; another person in it (a clerk, a family member) is named by role, never by name or
address (PIPL art. 45 gives a person their own data, not their neighbours').
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import Department, StaffMembership, User
from apps.audit.actions import AuditAction
from apps.audit.models import AuditEvent
from apps.cases.models import Attachment, Case, CaseDocument, CaseEvent, PrefillConsent
from apps.certificates.models import Certificate
from apps.feedback.models import Rating
from apps.helpdesk.models import FamilyLink, Mandate
from apps.notifications.models import Notification

from .models import DataExport

# The version of the export's structure (docs/data-export.md): raised when a key changes.
EXPORT_FORMAT = "portal-data-export/1"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _profile(user: User) -> dict[str, Any]:
    profile = getattr(user, "profile", None)
    data: dict[str, Any] = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "is_assisted": user.is_assisted,
        "care_mode": user.care_mode,
        "preferred_language": user.preferred_language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }
    if profile is not None:
        data.update(
            {
                "real_name": profile.real_name,
                "id_number": profile.id_number,
                "address": profile.address,
                "notification_channels": list(profile.notification_channels or []),
                "preferred_contact": profile.preferred_contact,
                "family_phone": profile.family_phone,
                "service_point": str(profile.service_point) if profile.service_point else None,
            }
        )
    return data


def _timeline_line(event: CaseEvent) -> dict[str, Any]:
    return {
        "at": _iso(event.created_at),
        "verb": event.verb,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
        "department": event.department.code if event.department is not None else None,
    }


def _attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "field": attachment.field_key,
        "file_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": _iso(attachment.created_at),
        "path_in_zip": attachment_zip_path(attachment=attachment),
    }


def attachment_zip_path(*, attachment: Attachment) -> str:
    name = attachment.original_name.replace("/", "_").replace("\\", "_") or "file"
    return f"attachments/{attachment.case_id}/{attachment.pk}-{name}"


def document_zip_path(*, case_document: CaseDocument) -> str:
    return f"documents/{case_document.document.verification_code}.pdf"


def _document(case_document: CaseDocument) -> dict[str, Any]:
    document = case_document.document
    return {
        "kind": document.kind,
        "title": document.title,
        "verification_code": document.verification_code,
        "sha256": document.sha256,
        "sealed_at": _iso(document.sealed_at),
        "path_in_zip": document_zip_path(case_document=case_document),
    }


def resident_cases(*, resident: User) -> QuerySet[Case]:
    """The cases the resident applied for or reported (not those a proxy grant lets them see)."""
    cases: QuerySet[Case] = (
        Case.objects.filter(applicant=resident)
        .select_related("service", "lead_department")
        .order_by("created_at", "pk")
    )
    return cases


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "number": case.number,
        "kind": case.kind,
        "service": case.service.code if case.service_id else None,
        "service_name": str(case.service) if case.service_id else None,
        "state": case.state,
        "channel": case.channel,
        "answers": case.answers,
        "correction_request": case.correction_request,
        "created_at": _iso(case.created_at),
        "submitted_at": _iso(case.submitted_at),
        "decided_at": _iso(case.decided_at),
        "decision_reasons": case.decision_reasons,
        "deadline": _iso(case.deadline),
        "description": case.description,
        "address": case.address,
        "reporter_name": case.reporter_name,
        "reporter_phone": case.reporter_phone,
        "hide_identity": case.hide_identity,
        "question": case.question,
        "question_answer": case.question_answer,
        "timeline": [
            _timeline_line(e)
            for e in case.events.filter(is_public=True).select_related("department")
        ],
        "documents": [
            _document(d)
            for d in case.case_documents.filter(is_public=True).select_related("document")
        ],
        "attachments": [_attachment(a) for a in case.attachments.order_by("field_key", "pk")],
    }


def _rating(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "case": rating.case_id,
        "department": rating.department.code,
        "level": rating.level,
        "channel": rating.channel,
        "sub_scores": rating.sub_scores,
        "comment": rating.comment,
        "entered_at_counter": rating.entered_by_id is not None,
        "excluded_by_appeal": rating.excluded,
        "at": _iso(rating.created_at),
    }


def _notification(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "event": notification.event,
        "channel": notification.channel,
        "status": notification.status,
        "subject": notification.subject,
        "body": notification.body,
        "sent_to": notification.destination,
        "sent_at": _iso(notification.sent_at),
        "read_at": _iso(notification.read_at),
    }


def _mandate(mandate: Mandate) -> dict[str, Any]:
    return {
        "reference": mandate.reference,
        "service_point": str(mandate.service_point),
        "scope": mandate.scope,
        "case": mandate.case_id,
        "service": mandate.service.code if mandate.service_id and mandate.service else None,
        "valid_from": _iso(mandate.valid_from),
        "valid_until": _iso(mandate.valid_until),
        "evidence_kind": mandate.evidence_kind,
        "evidence_sha256": mandate.evidence_sha256,
        "status": mandate.status,
        "revoked_at": _iso(mandate.revoked_at),
    }


def _certificate(certificate: Certificate) -> dict[str, Any]:
    document = certificate.document
    return {
        "number": certificate.number,
        "type": certificate.type.code,
        "type_name": str(certificate.type),
        "issuing_department": str(certificate.issuing_department),
        "valid_from": _iso(certificate.valid_from),
        "valid_until": _iso(certificate.valid_until),
        "status": certificate.status,
        "fields": certificate.fields,
        "source_case": certificate.source_case.number if certificate.source_case else None,
        "replaced_by": certificate.replaced_by.number if certificate.replaced_by else None,
        "ended_at": _iso(certificate.ended_at),
        "verification_code": document.verification_code if document is not None else None,
        "pdf_sha256": certificate.pdf_sha256 or None,
    }


def _prefill_consent(consent: PrefillConsent, *, resident: User) -> dict[str, Any]:
    return {
        "service": consent.service.code,
        "given_at": _iso(consent.created_at),
        "given_by": "you" if consent.given_by_id == resident.pk else "city_staff",
        "mandate_reference": consent.mandate_reference or None,
        "withdrawn_at": _iso(consent.withdrawn_at),
    }


def _family_link(link: FamilyLink, *, resident: User) -> dict[str, Any]:
    i_am_resident = link.resident_id == resident.pk
    other = link.member if i_am_resident else link.resident
    return {
        "id": link.pk,
        "my_side": "resident" if i_am_resident else "member",
        "other_person": other.display_name or other.username,
        "relationship": link.relationship,
        "state": link.state,
        "asked_by": link.initiated_by,
        "bound_at": _iso(link.confirmed_at),
        "unbound_at": _iso(link.ended_at),
    }


def _role_of(user: User | None, *, resident: User) -> str:
    """How an event's person is named in the resident's copy: never another person's name."""
    if user is None:
        return "portal"
    if user.pk == resident.pk:
        return "you"
    if user.staff_memberships.exists():
        return "city_staff"
    return "another_person"


def resident_audit_events(*, resident: User) -> QuerySet[AuditEvent]:
    """The audit events about the resident: as actor, as the person acted for, or as the target
    (their account, cases, mandates, family links, ratings)."""
    case_ids = [
        str(pk) for pk in Case.objects.filter(applicant=resident).values_list("pk", flat=True)
    ]
    mandate_ids = [
        str(pk) for pk in Mandate.objects.filter(resident=resident).values_list("pk", flat=True)
    ]
    link_ids = [
        str(pk)
        for pk in FamilyLink.objects.filter(Q(resident=resident) | Q(member=resident)).values_list(
            "pk", flat=True
        )
    ]
    rating_ids = [
        str(pk) for pk in Rating.objects.filter(rater=resident).values_list("pk", flat=True)
    ]
    about = (
        Q(actor=resident)
        | Q(on_behalf_of=resident)
        | Q(target_type="accounts.user", target_id=str(resident.pk))
        | Q(target_type="cases.case", target_id__in=case_ids)
        | Q(target_type="helpdesk.mandate", target_id__in=mandate_ids)
        | Q(target_type="helpdesk.familylink", target_id__in=link_ids)
        | Q(target_type="feedback.rating", target_id__in=rating_ids)
    )
    return AuditEvent.objects.filter(about).select_related("actor", "on_behalf_of").order_by("id")


def _audit_event(event: AuditEvent, *, resident: User) -> dict[str, Any]:
    own = event.actor_id == resident.pk
    return {
        "id": event.pk,
        "at": _iso(event.created_at),
        "action": event.action,
        "actor": _role_of(event.actor, resident=resident),
        "on_behalf_of": _role_of(event.on_behalf_of, resident=resident)
        if event.on_behalf_of_id
        else None,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
        # Where a request came from is personal data of whoever sent it: only the resident's own.
        "ip_address": event.ip_address if own else None,
        "hash": event.hash,
    }


def resident_data_collect(*, resident: User) -> dict[str, Any]:
    """Everything the export's data.json holds (docs/data-export.md describes each key)."""
    cases = list(resident_cases(resident=resident))
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _iso(timezone.now()),
        "portal": settings.PORTAL_NAME,
        "profile": _profile(resident),
        "cases": [_case(case) for case in cases],
        "ratings": [
            _rating(r)
            for r in Rating.objects.filter(rater=resident)
            .select_related("department")
            .order_by("pk")
        ],
        "notifications": [
            _notification(n) for n in Notification.objects.filter(recipient=resident).order_by("pk")
        ],
        "mandates": [
            _mandate(m)
            for m in Mandate.objects.filter(resident=resident)
            .select_related("service_point", "service")
            .order_by("pk")
        ],
        "family_links": [
            _family_link(link, resident=resident)
            for link in FamilyLink.objects.filter(Q(resident=resident) | Q(member=resident))
            .select_related("resident", "member")
            .order_by("pk")
        ],
        "certificates": [
            _certificate(c)
            for c in Certificate.objects.filter(holder=resident)
            .select_related("type", "issuing_department", "source_case", "replaced_by", "document")
            .order_by("pk")
        ],
        "prefill_consents": [
            _prefill_consent(p, resident=resident)
            for p in PrefillConsent.objects.filter(resident=resident)
            .select_related("service")
            .order_by("pk")
        ],
        "audit_events": [
            _audit_event(e, resident=resident) for e in resident_audit_events(resident=resident)
        ],
    }


def export_files(*, resident: User) -> list[tuple[str, Attachment | CaseDocument]]:
    """The files the ZIP carries beside data.json: each attachment and public document."""
    files: list[tuple[str, Attachment | CaseDocument]] = []
    for case in resident_cases(resident=resident):
        for attachment in case.attachments.order_by("field_key", "pk"):
            files.append((attachment_zip_path(attachment=attachment), attachment))
        for case_document in case.case_documents.filter(is_public=True).select_related("document"):
            files.append((document_zip_path(case_document=case_document), case_document))
    return files


# --- Exports -------------------------------------------------------------------------------


def data_export_list(*, resident: User) -> QuerySet[DataExport]:
    return DataExport.objects.filter(resident=resident).order_by("-created_at", "-pk")


def data_export_find(*, export_id: int) -> DataExport | None:
    return DataExport.objects.filter(pk=export_id).select_related("resident").first()


def data_export_get_for_resident(*, resident: User, export_id: int) -> DataExport:
    """The resident's own export, or 404 (another resident's id opens nothing)."""
    export = DataExport.objects.filter(pk=export_id, resident=resident).first()
    if export is None:
        raise Http404
    return export


def data_exports_expired(*, now: Any = None) -> QuerySet[DataExport]:
    return DataExport.objects.filter(
        state=DataExport.State.READY, expires_at__lte=now or timezone.now()
    )


# --- Who looked at my case -----------------------------------------------------------------


@dataclass(frozen=True)
class StaffView:
    at: Any
    department: str
    role: str
    name: str
    file: str


def _role_label(role: str) -> str:
    return str(dict(StaffMembership.Role.choices).get(role, role)) if role else ""


def case_staff_views(*, case: Case) -> list[StaffView]:
    """Each staff view of the case (and its files), newest first, by department and role; the
    person's name only where the city chose to show it (CASE_VIEWS_SHOW_NAMES)."""
    show_names = bool(getattr(settings, "CASE_VIEWS_SHOW_NAMES", False))
    events = (
        AuditEvent.objects.filter(
            action=AuditAction.CASE_STAFF_VIEW, target_type="cases.case", target_id=str(case.pk)
        )
        .select_related("actor")
        .order_by("-id")
    )
    departments = {d.code: d for d in Department.objects.all()}
    views = []
    for event in events:
        data = event.data or {}
        code = str(data.get("department") or "")
        role = str(data.get("role") or "")
        if not code and event.actor is not None:
            # Views recorded before the department and role were: the viewer's first one now.
            membership = event.actor.staff_memberships.select_related("department").first()
            if membership is not None:
                code, role = membership.department.code, membership.role
        department = departments.get(code)
        views.append(
            StaffView(
                at=event.created_at,
                department=str(department) if department is not None else code,
                role=_role_label(role),
                name=str(event.actor) if show_names and event.actor is not None else "",
                file=str(data.get("file") or ""),
            )
        )
    return views


def resident_case_get(*, resident: User, ref: str) -> Case:
    """The resident's own case by number or reference, or 404."""
    case: Case | None = (
        Case.objects.filter(applicant=resident).filter(Q(number=ref) | Q(reference=ref)).first()
    )
    if case is None:
        raise Http404
    return case
