"""The resident's commands: drafts, answers, attachments, signing and submitting, withdrawing."""

import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.catalog.models import FieldDefinition, ServiceItem
from apps.catalog.services import answers_clean, answers_validate
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.uploads import DEFAULT_ALLOWED, check_upload
from apps.signatures.models import SignatureRecord
from apps.signatures.services import signature_code_send, signature_take

from ..duties import Refusal, holds_grant
from ..models import Attachment, Case
from ..prefill import prefill_locks_check
from ..provided import provided_documents
from ..refusals import refusals_audited, step_refused
from ..signals import case_created
from .transitions import case_event_add, case_number_next, case_transition
from .workflow import case_route_to_lead, paused_working_days, resubmission_deadline

DEFAULT_MAX_FILES = 5
DEFAULT_MAX_MB = 10


# --- drafts ---------------------------------------------------------------------------------


@transaction.atomic
def case_create_draft(
    *,
    service: ServiceItem,
    applicant: User,
    actor: User,
    channel: str = Case.Channel.WEB,
    answers: dict | None = None,
    context: AuditContext | None = None,
) -> Case:
    """Start an application on the service's current version; the resident may see and edit it."""
    version = service.current_version()
    if version is None or not service.is_active:
        raise ApplicationError(_("This service cannot be applied for online at the moment."))
    case = Case.objects.create(
        kind=Case.Kind.APPLICATION,
        service=service,
        version=version,
        applicant=applicant,
        created_by=actor,
        channel=channel,
    )
    for perm in ("cases.view_case", "cases.change_case"):
        assign_perm(perm, applicant, case)
    case_created.send(sender=Case, case=case)
    on_behalf_of = applicant if actor.pk != applicant.pk else None
    case_event_add(case=case, verb="created", actor=actor, on_behalf_of=on_behalf_of)
    audit_record(
        action=AuditAction.CASE_CREATE,
        actor=actor,
        on_behalf_of=on_behalf_of,
        target=case,
        data={"service": service.code, "version": version.number},
        context=context,
    )
    if answers:  # the draft's creator: the applicant, or counter staff under a mandate
        case = case_answers_update(
            case=case, actor=actor, answers=answers, mandated=True, context=context
        )
    result: Case = case
    return result


@refusals_audited
def case_change_check(
    *,
    case: Case,
    actor: User,
    step: str,
    mandated: bool = False,
    context: AuditContext | None = None,
) -> None:
    """Who may change a resident's application: their own `change_case` grant (applicant, bound
    family) or a mandate checked by the caller (`mandated`); never a role or superuser flag."""
    if mandated or holds_grant(actor, "cases.change_case", case):
        return
    step_refused(
        reason=Refusal.SUPERUSER if actor.is_superuser else Refusal.NOT_APPLICANT,
        obj=case,
        step=step,
        actor=actor,
        context=context,
    )


def editable_keys(*, case: Case) -> set[str] | None:
    """While a correction is asked for, only the returned fields may change (None: all)."""
    if case.state == Case.State.NEEDS_CORRECTION:
        return set(case.correction_request.get("fields", []))
    return None


def _ensure_editable(case: Case) -> None:
    if not case.is_editable:
        raise ConflictError(
            _("This case is %(state)s: its answers can no longer be changed.")
            % {"state": case.get_state_display()}
        )


@refusals_audited
@transaction.atomic
def case_answers_update(
    *,
    case: Case,
    actor: User,
    answers: dict,
    partial: bool = True,
    mandated: bool = False,
    context: AuditContext | None = None,
) -> Case:
    """Merge checked answers into the draft; invalid ones are refused field by field.
    `mandated`: counter staff act under a mandate their service checked."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case_change_check(
        case=case, actor=actor, step="update_answers", mandated=mandated, context=context
    )
    _ensure_editable(case)
    allowed = editable_keys(case=case)
    if allowed is not None:
        locked = sorted(set(answers) - allowed)
        if locked:
            raise ApplicationError(
                _("Only the answers the department returned can be changed."),
                errors={key: [_("This answer was not returned for correction.")] for key in locked},
            )
    prefill_locks_check(case=case, answers=answers)
    errors = answers_validate(version=case.version, answers=answers, partial=partial)
    if errors:
        raise ApplicationError(_("Some answers need your attention."), errors=errors)
    cleaned = answers_clean(version=case.version, answers=answers, partial=partial)
    changed = sorted(key for key, value in cleaned.items() if case.answers.get(key) != value)
    if changed:
        case.answers = {**case.answers, **cleaned}
        case.save(update_fields=["answers", "updated_at"])
        audit_record(
            action=AuditAction.CASE_UPDATE_ANSWERS,
            actor=actor,
            on_behalf_of=case.applicant if actor.pk != case.applicant_id else None,
            target=case,
            data={"fields": changed},
            context=context,
        )
    return case


def _file_field(case: Case, field_key: str) -> FieldDefinition:
    field = case.version.fields.filter(key=field_key, kind=FieldDefinition.Kind.FILE).first()
    if field is None:
        raise ApplicationError(
            _("This form has no file field called %(key)s.") % {"key": field_key},
            errors={"field": [_("Choose one of the form's file fields.")]},
        )
    return field


@refusals_audited
@transaction.atomic
def attachment_add(
    *,
    case: Case,
    actor: User,
    field_key: str,
    upload: UploadedFile,
    mandated: bool = False,
    context: AuditContext | None = None,
) -> Attachment:
    """Keep one uploaded file after checking its bytes (not its name), its size and the count,
    and reading it through (`apps.core.uploads.check_upload`): a refusal names the file and why."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case_change_check(
        case=case, actor=actor, step="attachment_add", mandated=mandated, context=context
    )
    _ensure_editable(case)
    allowed = editable_keys(case=case)
    if allowed is not None and field_key not in allowed:
        raise ApplicationError(
            _("Only the documents the department returned can be changed."),
            errors={field_key: [_("This document was not returned for correction.")]},
        )
    field = _file_field(case, field_key)
    rules = field.rules or {}
    max_files = int(rules.get("max_files", DEFAULT_MAX_FILES))
    max_mb = float(rules.get("max_mb", DEFAULT_MAX_MB))
    if case.attachments.filter(field_key=field_key).count() >= max_files:
        raise ApplicationError(
            _("You can add at most %(count)s files here. Remove one first.") % {"count": max_files},
            errors={field_key: [_("Too many files.")]},
        )
    allowed_types = set(rules.get("types") or DEFAULT_ALLOWED)
    # The deep check: a picture is re-encoded, a PDF parsed; what is stored, and what the
    # digest (and so the resident's signature) covers, is the checked content.
    checked = check_upload(
        upload, field=field_key, allowed=allowed_types, max_bytes=int(max_mb * 1024 * 1024)
    )
    attachment = Attachment(
        case=case,
        field_key=field_key,
        original_name=checked.name[:255],
        content_type=checked.media_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(
        f"{secrets.token_hex(8)}.{checked.extension}", ContentFile(checked.content), save=False
    )
    attachment.save()
    audit_record(
        action=AuditAction.ATTACHMENT_ADD,
        actor=actor,
        on_behalf_of=case.applicant if actor.pk != case.applicant_id else None,
        target=case,
        data={"field": field_key, "sha256": attachment.sha256},
        context=context,
    )
    return attachment


@refusals_audited
@transaction.atomic
def attachment_remove(
    *, attachment: Attachment, actor: User, context: AuditContext | None = None
) -> None:
    case = Case.objects.select_for_update().get(pk=attachment.case_id)
    case_change_check(case=case, actor=actor, step="attachment_remove", context=context)
    _ensure_editable(case)
    allowed = editable_keys(case=case)
    if allowed is not None and attachment.field_key not in allowed:
        raise ApplicationError(_("Only the documents the department returned can be changed."))
    audit_record(
        action=AuditAction.ATTACHMENT_REMOVE,
        actor=actor,
        target=case,
        data={"field": attachment.field_key, "sha256": attachment.sha256},
        context=context,
    )
    attachment.file.delete(save=False)
    attachment.delete()


# --- signing and submitting -------------------------------------------------------------------


def case_declaration(*, case: Case) -> str:
    """The declaration in the language the resident reads it in."""
    return case.version.declaration


def case_signature_payload(*, case: Case) -> dict:
    """Exactly what the resident signs: service version, answers, attachment digests, and each
    linked certificate's number and PDF hash (`provided.py`; the key only when there is one)."""
    payload = {
        "service": case.service.code,
        "version": case.version.number,
        "case": case.reference,
        "answers": case.answers,
        "attachments": [
            {"field": a.field_key, "name": a.original_name, "sha256": a.sha256}
            for a in case.attachments.order_by("field_key", "id")
        ],
    }
    provided = [{"field": d.field_key, **d.signed} for d in provided_documents(case=case)]
    if provided:
        payload["certificates"] = provided
    return payload


def case_submission_errors(*, case: Case) -> dict[str, list[str]]:
    """Everything still missing before the case can be signed, keyed by field."""
    errors = answers_validate(version=case.version, answers=case.answers, partial=False)
    present = set(case.attachments.values_list("field_key", flat=True))
    for doc in provided_documents(case=case):
        if doc.usable:
            present.add(doc.field_key)
        else:
            errors.setdefault(doc.field_key, []).append(doc.refusal)
    for field in case.version.fields.filter(kind=FieldDefinition.Kind.FILE, required=True):
        if field.key not in present:
            errors.setdefault(field.key, []).append(_("Add this document."))
    return errors


def case_signature_code_send(*, case: Case, actor: User, channel: str) -> None:
    """Send the one-time code that confirms the declaration (email or SMS; TOTP needs none)."""
    _ensure_editable(case)
    if channel != "totp":
        signature_code_send(user=actor, channel=channel)


def case_sign_check(*, case: Case) -> None:
    """Raise unless the case can be signed now: editable, nothing missing."""
    if not case.is_editable:
        raise ConflictError(
            _("This case is %(state)s: it cannot be signed now.")
            % {"state": case.get_state_display()}
        )
    errors = case_submission_errors(case=case)
    if errors:
        raise ApplicationError(
            _("Some answers need your attention before you sign."), errors=errors
        )


def _sign(
    *,
    case: Case,
    actor: User,
    code: str,
    channel: str,
    context: AuditContext | None,
    on_behalf_of: User | None = None,
) -> SignatureRecord:
    case_sign_check(case=case)
    # Taken in its own transaction, so a wrong code counts against the tries even though
    # the submission does not go ahead.
    return signature_take(
        signer=actor,
        payload=case_signature_payload(case=case),
        declaration=case_declaration(case=case),
        code=code,
        channel=channel,
        context=context,
        target=case,
        on_behalf_of=on_behalf_of,
    )


@refusals_audited
def case_submit(
    *,
    case: Case,
    actor: User,
    code: str,
    channel: str,
    context: AuditContext | None = None,
    on_behalf_of: User | None = None,
) -> Case:
    """Sign the declaration with a one-time code and submit: number, deadline, receipt."""
    case = Case.objects.select_related("service", "version").get(pk=case.pk)
    case_change_check(case=case, actor=actor, step="submit", context=context)
    signature = _sign(
        case=case,
        actor=actor,
        code=code,
        channel=channel,
        context=context,
        on_behalf_of=on_behalf_of,
    )
    return case_submit_signed(
        case=case,
        actor=actor,
        signature=signature,
        on_behalf_of=on_behalf_of,
        context=context,
    )


@refusals_audited
def case_submit_signed(
    *,
    case: Case,
    actor: User,
    signature: SignatureRecord,
    on_behalf_of: User | None = None,
    note: str = "",
    context: AuditContext | None = None,
) -> Case:
    """Submit — or resubmit after corrections — a case whose declaration is signed:
    number, deadline, routing to the lead, receipt. `note` goes to the audit and timeline."""
    common: dict[str, Any] = {
        "actor": actor,
        "on_behalf_of": on_behalf_of,
        "note": note,
        "context": context,
    }
    if case.state == Case.State.NEEDS_CORRECTION:
        with transaction.atomic():
            case = case_transition(
                case=case,
                transition="resubmit",
                params={
                    "signature": signature,
                    "deadline": resubmission_deadline(case=case),
                    "paused_days": paused_working_days(case=case),
                },
                **common,
            )
            _after_submission(case)
        return case
    now = timezone.now()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                case = case_transition(
                    case=case,
                    transition="submit",
                    params={
                        "signature": signature,
                        "at": now,
                        "number": case_number_next(kind=case.kind, at=now),
                        "deadline": add_working_days(
                            timezone.localdate(now), case.service.promised_days
                        ),
                    },
                    **common,
                )
                _after_submission(case)
            return case
        except IntegrityError:  # pragma: no cover - a number taken by a hand-edited sequence
            continue
    raise ApplicationError(_("The case could not be numbered. Try again."))


def _after_submission(case: Case) -> None:
    """The lead department may take the case in; the receipt is issued after the commit."""
    from ..tasks import case_receipt_issue_task

    case_route_to_lead(case=case)
    case_pk = case.pk
    transaction.on_commit(lambda: case_receipt_issue_task.delay(case_pk))


@refusals_audited
def case_withdraw(
    *,
    case: Case,
    actor: User,
    reason: str = "",
    context: AuditContext | None = None,
    on_behalf_of: User | None = None,
) -> Case:
    """The resident (or a family member for them) withdraws a case not yet taken in."""
    case_change_check(case=case, actor=actor, step="withdraw", context=context)
    return case_transition(
        case=case,
        transition="withdraw",
        actor=actor,
        on_behalf_of=on_behalf_of,
        note=reason,
        context=context,
    )
