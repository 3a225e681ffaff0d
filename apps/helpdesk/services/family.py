"""亲情账号: up to five family members' online accounts may apply, track and rate for a resident.

Both sides agree (whoever did not ask confirms; the resident may confirm at the counter); a bound
member gets `cases.view_case` and `cases.change_case` on every case of the resident, new ones
included (see `receivers.py`), and loses them when unbound. Binding and unbinding are audited,
and both sides are told of each."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from apps.accounts.models import ServicePoint, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case, CaseUserGrant
from apps.core.exceptions import ApplicationError
from apps.notifications.services import notify

from ..models import FamilyLink

__all__ = [
    "FAMILY_MAX_MEMBERS",
    "PROXY_CASE_PERMS",
    "family_case_grant",
    "family_confirm",
    "family_invite",
    "family_unbind",
]

FAMILY_MAX_MEMBERS = 5
PROXY_CASE_PERMS = ("cases.view_case", "cases.change_case")


def _find_account(login: str) -> User | None:
    login = (login or "").strip()
    if not login:
        return None
    return (
        User.objects.filter(Q(email__iexact=login) | Q(phone=login), is_active=True)
        .exclude(is_assisted=True, email__isnull=True, phone__isnull=True)
        .first()
    )


def family_case_grant(*, member: User, case: Case) -> None:
    for perm in PROXY_CASE_PERMS:
        assign_perm(perm, member, case)


def _grant_all(link: FamilyLink) -> None:
    for case in Case.objects.filter(applicant_id=link.resident_id):
        family_case_grant(member=link.member, case=case)


def _revoke_all(link: FamilyLink) -> None:
    """One delete over guardian's direct foreign-key grants of the resident's cases."""
    ct = ContentType.objects.get_for_model(Case)
    codenames = [perm.split(".", 1)[1] for perm in PROXY_CASE_PERMS]
    CaseUserGrant.objects.filter(
        user=link.member,
        content_object__applicant_id=link.resident_id,
        permission__in=Permission.objects.filter(content_type=ct, codename__in=codenames),
    ).delete()


def _name(user: User) -> str:
    return getattr(getattr(user, "profile", None), "real_name", "") or str(user)


def _notify(*, event: str, link: FamilyLink, recipient: User) -> None:
    notify(
        event=event,
        recipients=[recipient],
        context={
            "resident": _name(link.resident),
            "member": _name(link.member),
            "relationship": link.relationship,
            "url": reverse("helpdesk:home"),
        },
        dedup_key=f"family:{link.pk}:{event.rsplit('.', 1)[-1]}",
    )


@transaction.atomic
def family_invite(
    *,
    actor: User,
    resident: User | None = None,
    member: User | None = None,
    login: str = "",
    relationship: str = "",
    at_counter: ServicePoint | None = None,
    context: AuditContext | None = None,
) -> FamilyLink:
    """Ask to bind: the resident names a member (or the member names the resident) by the email
    or phone of an existing account. Counter staff (`at_counter`: their service point) record the
    resident's request in person. The other side confirms with `family_confirm`."""
    other = _find_account(login) if login else None
    if resident is None and member is None:
        raise ApplicationError(_("Name the resident or the family member."))
    if resident is None:
        resident = other
    elif member is None:
        member = other
    if resident is None or member is None:
        raise ApplicationError(
            _("No online account uses this email address or phone number."),
            errors={"login": [_("Check the email address or phone number.")]},
        )
    if resident.pk == member.pk:
        raise ApplicationError(
            _("You cannot bind your own account."),
            errors={"login": [_("Give another person's email address or phone.")]},
        )
    if not hasattr(resident, "profile"):
        raise ApplicationError(_("Only a resident's account can have family proxies."))
    open_links = FamilyLink.objects.select_for_update().filter(
        resident=resident, state__in=[FamilyLink.State.PENDING, FamilyLink.State.ACTIVE]
    )
    if open_links.filter(member=member).exists():
        raise ApplicationError(_("This family member is already bound or waiting to confirm."))
    if open_links.count() >= FAMILY_MAX_MEMBERS:
        raise ApplicationError(
            _("A resident can bind at most %(count)d family members. Unbind one first.")
            % {"count": FAMILY_MAX_MEMBERS}
        )
    if actor.pk == member.pk:
        side = FamilyLink.Side.MEMBER
    else:
        side = FamilyLink.Side.RESIDENT
    link = FamilyLink.objects.create(
        resident=resident,
        member=member,
        relationship=(relationship or "").strip()[:50],
        initiated_by=side,
        confirmed_at_counter=at_counter,
    )
    audit_record(
        action=AuditAction.FAMILY_INVITE,
        actor=actor,
        on_behalf_of=resident if actor.pk != resident.pk else None,
        target=link,
        data={"member": member.pk, "asked_by": side, "at_counter": bool(at_counter)},
        context=context,
    )
    # Whoever did not ask confirms: tell them where.
    confirming = member if side == FamilyLink.Side.RESIDENT else resident
    _notify(event="family.invited", link=link, recipient=confirming)
    return link


@transaction.atomic
def family_confirm(
    *, link: FamilyLink, actor: User, context: AuditContext | None = None
) -> FamilyLink:
    """The side that did not ask agrees; the member may then see and act on the resident's cases."""
    link = FamilyLink.objects.select_for_update().get(pk=link.pk)
    if link.state != FamilyLink.State.PENDING:
        raise ApplicationError(_("This request is no longer waiting for confirmation."))
    expected = link.member_id if link.initiated_by == FamilyLink.Side.RESIDENT else link.resident_id
    if actor.pk != expected:
        raise ApplicationError(
            _("The other person must confirm: the one who asked cannot confirm alone.")
        )
    link.state = FamilyLink.State.ACTIVE
    link.confirmed_at = timezone.now()
    link.save(update_fields=["state", "confirmed_at", "updated_at"])
    _grant_all(link)
    audit_record(
        action=AuditAction.FAMILY_BIND,
        actor=actor,
        on_behalf_of=link.resident if actor.pk != link.resident_id else None,
        target=link,
        data={"member": link.member_id, "resident": link.resident_id},
        context=context,
    )
    _notify(event="family.bound", link=link, recipient=link.resident)
    _notify(event="family.bound_member", link=link, recipient=link.member)
    return link


@transaction.atomic
def family_unbind(
    *, link: FamilyLink, actor: User, context: AuditContext | None = None
) -> FamilyLink:
    """Either side (or counter staff) ends the binding; the member loses access to the cases."""
    link = FamilyLink.objects.select_for_update().get(pk=link.pk)
    from apps.accounts.selectors import user_has_role

    if actor.pk not in (link.resident_id, link.member_id) and not user_has_role(
        user=actor, roles=["counter"]
    ):
        raise ApplicationError(
            _("Only the resident, the family member or counter staff can do this.")
        )
    if link.state == FamilyLink.State.ENDED:
        return link
    was_active = link.state == FamilyLink.State.ACTIVE
    link.state = FamilyLink.State.ENDED
    link.ended_at = timezone.now()
    link.ended_by = actor
    link.save(update_fields=["state", "ended_at", "ended_by", "updated_at"])
    if was_active:
        _revoke_all(link)
    audit_record(
        action=AuditAction.FAMILY_UNBIND,
        actor=actor,
        on_behalf_of=link.resident if actor.pk != link.resident_id else None,
        target=link,
        data={"member": link.member_id, "resident": link.resident_id, "was_active": was_active},
        context=context,
    )
    # both sides are told, whoever ended it (the resident, the member or counter staff)
    _notify(event="family.unbound", link=link, recipient=link.resident)
    _notify(event="family.unbound_member", link=link, recipient=link.member)
    return link
