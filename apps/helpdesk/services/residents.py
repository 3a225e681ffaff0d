"""Assisted accounts and identity checks: a resident who is not online, opened at the counter."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import ResidentProfile, ServicePoint, StaffMembership, User
from apps.accounts.validators import normalize_id_number, validate_cn_id_number, validate_cn_mobile
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError

from ..models import IdentityCheck

__all__ = [
    "ASSISTED_CONTACTS",
    "assisted_account_open",
    "counter_service_point",
    "identity_check_record",
    "resident_view_record",
]

# What an assisted resident may choose: no email, no portal.
ASSISTED_CONTACTS = (
    ResidentProfile.Contact.LETTER,
    ResidentProfile.Contact.SMS,
    ResidentProfile.Contact.FAMILY_PHONE,
)


def counter_service_point(*, user: User) -> ServicePoint | None:
    """Where this counter staff member works (their first active counter membership)."""
    membership = (
        StaffMembership.objects.filter(user=user, is_active=True, role=StaffMembership.Role.COUNTER)
        .select_related("service_point")
        .order_by("pk")
        .first()
    )
    return membership.service_point if membership else None


def _staff_contact_refusal(*, actor: User, phone: str, family_phone: str) -> dict[str, list[str]]:
    """Staff must never put their own phone into a resident's record by mistake."""
    errors: dict[str, list[str]] = {}
    own = {value for value in (actor.phone,) if value}
    message = _("This is your own phone number, not the resident's. Ask the resident again.")
    if phone and phone in own:
        errors["phone"] = [message]
    if family_phone and family_phone in own:
        errors["family_phone"] = [message]
    return errors


def _raise_field_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ApplicationError(_("Some details need your attention."), errors=errors)


def _check_last_digits(*, document_type: str, last_digits: str, id_number: str) -> dict:
    last_digits = (last_digits or "").strip().upper()
    if not last_digits or len(last_digits) < 4:
        return {"last_digits": [_("Type the last 4 characters of the document's number.")]}
    if document_type == IdentityCheck.DocumentType.ID_CARD and not id_number.endswith(last_digits):
        return {
            "last_digits": [
                _("These are not the last characters of the ID number. Check the card again.")
            ]
        }
    return {}


@transaction.atomic
def identity_check_record(
    *,
    actor: User,
    resident: User,
    document_type: str,
    last_digits: str,
    context: AuditContext | None = None,
) -> IdentityCheck:
    """Record that `actor` saw `resident`'s identity document (type and last digits only)."""
    if document_type not in IdentityCheck.DocumentType.values:
        _raise_field_errors({"document_type": [_("Choose the document you checked.")]})
    profile = getattr(resident, "profile", None)
    _raise_field_errors(
        _check_last_digits(
            document_type=document_type,
            last_digits=last_digits,
            id_number=(profile.id_number or "") if profile else "",
        )
    )
    check = IdentityCheck.objects.create(
        resident=resident,
        document_type=document_type,
        last_digits=last_digits.strip().upper(),
        checked_by=actor,
        checked_at=timezone.now(),
        service_point=counter_service_point(user=actor),
    )
    audit_record(
        action=AuditAction.IDENTITY_CHECK,
        actor=actor,
        on_behalf_of=resident,
        target=check,
        data={"document_type": document_type, "last_digits": personal_digest(check.last_digits)},
        context=context,
    )
    return check


@transaction.atomic
def assisted_account_open(
    *,
    actor: User,
    real_name: str,
    id_number: str,
    preferred_contact: str,
    document_type: str,
    last_digits: str,
    phone: str = "",
    address: str = "",
    family_phone: str = "",
    context: AuditContext | None = None,
) -> User:
    """Open an account for a resident who is not online: no email, no password, letters at this
    service point; the identity check is recorded with it."""
    real_name = (real_name or "").strip()
    id_number = normalize_id_number(id_number)
    phone = (phone or "").strip()
    family_phone = (family_phone or "").strip()
    errors: dict[str, list[str]] = {}
    if not real_name:
        errors["real_name"] = [_("Type the resident's name as on their identity card.")]
    try:
        validate_cn_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    else:
        if ResidentProfile.objects.filter(id_number=id_number).exists():
            errors["id_number"] = [
                _("A resident with this ID number already has an account. Find them instead.")
            ]
    for key, value in (("phone", phone), ("family_phone", family_phone)):
        try:
            validate_cn_mobile(value)
        except ValidationError as exc:
            errors[key] = exc.messages
    if phone and User.objects.filter(phone=phone).exists():
        errors.setdefault("phone", []).append(_("Another account already uses this phone number."))
    if preferred_contact not in ASSISTED_CONTACTS:
        errors["preferred_contact"] = [_("Choose how the resident wants to hear from us.")]
    elif preferred_contact == ResidentProfile.Contact.SMS and not phone:
        errors["phone"] = [_("Add the resident's phone number, or choose another way.")]
    elif preferred_contact == ResidentProfile.Contact.FAMILY_PHONE and not family_phone:
        errors["family_phone"] = [_("Add the family member's phone number.")]
    for key, messages in _staff_contact_refusal(
        actor=actor, phone=phone, family_phone=family_phone
    ).items():
        errors.setdefault(key, []).extend(messages)
    if document_type not in IdentityCheck.DocumentType.values:
        errors["document_type"] = [_("Choose the document you checked.")]
    else:
        errors.update(
            _check_last_digits(
                document_type=document_type, last_digits=last_digits, id_number=id_number
            )
        )
    _raise_field_errors(errors)

    service_point = counter_service_point(user=actor)
    if service_point is None:
        raise ApplicationError(
            _("You have no service point yet. Ask an administrator to add you to one.")
        )
    # Deliberately built from the form's values only: nothing of the staff member's own
    # account (email, phone) can reach the resident's record.
    user: User = User.objects.create_user(
        email=None,
        phone=phone or None,
        password=None,
        display_name=real_name,
        is_assisted=True,
    )
    channels = [str(User.Channel.LETTER)]
    if phone or family_phone:
        channels.append(str(User.Channel.SMS))
    profile = ResidentProfile.objects.create(
        user=user,
        real_name=real_name,
        id_number=id_number,
        address=(address or "").strip(),
        preferred_contact=preferred_contact,
        family_phone=family_phone,
        notification_channels=channels,
        service_point=service_point,
    )
    audit_record(
        action=AuditAction.RESIDENT_OPEN,
        actor=actor,
        on_behalf_of=user,
        target=profile,
        data={"service_point": service_point.code, "preferred_contact": preferred_contact},
        context=context,
    )
    identity_check_record(
        actor=actor,
        resident=user,
        document_type=document_type,
        last_digits=last_digits,
        context=context,
    )
    return user


def resident_view_record(
    *,
    viewer: User,
    resident: User,
    context: AuditContext | None = None,
    purpose: str = "view",
    access: str = "",
) -> None:
    """Every staff view of a resident's personal data leaves an audit line, saying what gave
    the viewer access (`access`: lookup, mandate or assisted)."""
    audit_record(
        action=AuditAction.RESIDENT_VIEW,
        actor=viewer,
        on_behalf_of=resident,
        target=resident,
        data={
            "purpose": purpose,
            "access": access,
            "full_id_number": viewer.has_perm("accounts.view_full_id_number"),
        },
        context=context,
    )
