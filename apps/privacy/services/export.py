"""Download my data: a ZIP of data.json, a sealed PDF summary and the files themselves."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.core.exceptions import ApplicationError
from apps.core.links import portal_url
from apps.documents.services import document_issue
from apps.helpdesk.models import Mandate
from apps.helpdesk.services import mandate_check
from apps.notifications.services import notify

from ..models import DataExport
from ..selectors import export_files, resident_data_collect

README = """data.json      everything the portal holds about you (docs/data-export.md)
summary.pdf    a sealed summary; check it at {verify}
attachments/   the files you uploaded, by case id
documents/     the documents the city issued to you (receipts, decision letters)
"""


def export_days() -> int:
    return int(getattr(settings, "DATA_EXPORT_DAYS", 7))


def desk_mandate_for(*, staff: User, resident: User) -> Mandate:
    """The mandate in force that lets `staff` ask for or close `resident`'s data: one of
    scope "everything" given to their service point (a case- or service-scoped mandate does not
    cover the whole account). Refuses, saying why, like every desk action."""
    today = timezone.localdate()
    candidates = Mandate.objects.filter(
        resident=resident, revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today
    ).order_by("-scope", "-valid_until")
    chosen = next((m for m in candidates if m.scope == Mandate.Scope.ALL), None)
    if chosen is None:
        chosen = candidates.first()
    checked = mandate_check(mandate=chosen, resident=resident, staff=staff)
    if checked.scope != Mandate.Scope.ALL:
        raise ApplicationError(
            _(
                "Mandate %(ref)s covers one case or service only. Downloading or closing the "
                "whole account needs a mandate for everything."
            )
            % {"ref": checked.reference},
            extra={"reason": "scope"},
        )
    return checked


@transaction.atomic
def data_export_request(
    *,
    resident: User,
    actor: User,
    context: AuditContext | None = None,
    mandate: Mandate | None = None,
) -> DataExport:
    """Ask for a copy of `resident`'s data: built by a Celery task after commit (eager on the
    development default), kept DATA_EXPORT_DAYS, the resident told when it is ready. Counter
    staff (`actor` not the resident) act under `mandate`, checked by `desk_mandate_for`."""
    if actor.pk != resident.pk:
        mandate = desk_mandate_for(staff=actor, resident=resident)
    pending = DataExport.objects.filter(resident=resident, state=DataExport.State.PENDING).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(
        resident=resident,
        requested_by=actor,
        mandate_ref=mandate.reference if mandate is not None else "",
    )
    audit_record(
        action=AuditAction.DATA_EXPORT_REQUEST,
        actor=actor,
        on_behalf_of=resident if actor.pk != resident.pk else None,
        target=export,
        data={"resident": resident.pk, "mandate_ref": export.mandate_ref},
        context=context,
    )
    from ..tasks import data_export_build_task

    export_id = export.pk
    transaction.on_commit(lambda: data_export_build_task.delay(export_id))
    return export


def _state_display(state: str) -> str:
    return str(dict(Case.State.choices).get(state, state))


def _summary_pdf(*, resident: User, data: dict[str, Any], data_sha256: str) -> tuple[bytes, str]:
    profile = data["profile"]
    language = resident.preferred_language or settings.LANGUAGE_CODE
    document = document_issue(
        kind="other",
        title=_("A copy of your data"),
        template_name="documents/data_export.html",
        context={
            "name": profile.get("real_name") or profile.get("display_name") or "",
            "profile": profile,
            "generated_at": timezone.now(),
            "cases": [{**c, "state_display": _state_display(c["state"])} for c in data["cases"]],
            "counts": {
                key: len(data[key])
                for key in (
                    "ratings",
                    "notifications",
                    "mandates",
                    "family_links",
                    "certificates",
                    "prefill_consents",
                    "audit_events",
                )
            },
            "data_sha256": data_sha256,
        },
        language=language,
    )
    with document.file.open("rb") as handle:
        return handle.read(), document.verification_code


def _zip(*, data_json: bytes, pdf: bytes, resident: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", data_json)
        archive.writestr("summary.pdf", pdf)
        archive.writestr(
            "README.txt", README.format(verify=portal_url(path=reverse("documents:verify")))
        )
        for path, record in export_files(resident=resident):
            stored = record.file if hasattr(record, "file") else record.document.file
            if not stored:
                continue
            with stored.open("rb") as handle:
                archive.writestr(path, handle.read())
    return buffer.getvalue()


def data_export_build(*, export_id: int) -> DataExport:
    """Collect, seal and store one export; safe to run again (a ready export is left alone)."""
    export = DataExport.objects.select_related("resident").get(pk=export_id)
    if export.state != DataExport.State.PENDING:
        return export
    resident = export.resident
    data = resident_data_collect(resident=resident)
    data_json = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    pdf, code = _summary_pdf(
        resident=resident, data=data, data_sha256=hashlib.sha256(data_json).hexdigest()
    )
    blob = _zip(data_json=data_json, pdf=pdf, resident=resident)
    now = timezone.now()
    with transaction.atomic():
        export = DataExport.objects.select_for_update().get(pk=export_id)
        if export.state != DataExport.State.PENDING:
            return export
        export.file.save(f"data-{resident.pk}-{export.pk}.zip", ContentFile(blob), save=False)
        export.sha256 = hashlib.sha256(blob).hexdigest()
        export.size = len(blob)
        export.summary_code = code
        export.state = DataExport.State.READY
        export.ready_at = now
        export.expires_at = now + timedelta(days=export_days())
        export.save()
        audit_record(
            action=AuditAction.DATA_EXPORT_BUILD,
            target=export,
            data={
                "resident": resident.pk,
                "sha256": export.sha256,
                "size": export.size,
                "summary_code": code,
                "cases": len(data["cases"]),
                "audit_events": len(data["audit_events"]),
            },
        )
        with translation.override(resident.preferred_language or settings.LANGUAGE_CODE):
            expires = formats.date_format(timezone.localtime(export.expires_at), "DATE_FORMAT")
        notify(
            event="privacy.export_ready",
            recipients=[resident],
            context={
                "url": reverse("privacy:home"),
                "days": export_days(),
                "expires": expires,
            },
            dedup_key=f"export:{export.pk}",
        )
    return export


def data_export_download(
    *, export: DataExport, actor: User, context: AuditContext | None = None
) -> IO[bytes]:
    """The ZIP, opened for reading, once the caller's access is checked; every download is
    audited. Refused once it expired or while it is being prepared."""
    if export.state != DataExport.State.READY or (
        export.expires_at is not None and export.expires_at <= timezone.now()
    ):
        raise ApplicationError(
            _("This copy of your data is no longer available. Ask for a new one."),
            extra={"reason": "not_available"},
        )
    if actor.pk != export.resident_id:
        desk_mandate_for(staff=actor, resident=export.resident)
    audit_record(
        action=AuditAction.DATA_EXPORT_DOWNLOAD,
        actor=actor,
        on_behalf_of=export.resident if actor.pk != export.resident_id else None,
        target=export,
        data={"sha256": export.sha256},
        context=context,
    )
    handle: IO[bytes] = export.file.open("rb")
    return handle


def data_exports_purge() -> int:
    """Beat: delete the ZIPs past their time (the row stays, marked expired, with its digest)."""
    count = 0
    for export in DataExport.objects.filter(
        state=DataExport.State.READY, expires_at__lte=timezone.now()
    ):
        export.file.delete(save=False)
        export.state = DataExport.State.EXPIRED
        export.save(update_fields=["file", "state", "updated_at"])
        count += 1
    return count
