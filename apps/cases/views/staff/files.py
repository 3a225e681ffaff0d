"""Files of a case for staff: attachments (images and PDFs inline) and issued documents."""

from csp.constants import SELF
from django.http import FileResponse, Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.permissions import staff_required
from apps.audit.context import AuditContext
from apps.core.http import file_response

from ... import selectors, services
from .common import INLINE_TYPES, csp_replace


@staff_required()
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def case_attachment(request: AuthenticatedHttpRequest, ref: str, pk: int) -> FileResponse:
    """An attachment for staff: images and PDFs inline (the case page embeds them)."""
    case = selectors.case_files_get_for_staff(user=request.user, ref=ref)
    attachment = next((a for a in case.attachments.all() if a.pk == pk), None)
    if attachment is None:
        raise Http404
    services.case_staff_view_record(
        case=case,
        actor=request.user,
        context=AuditContext.from_request(request),
        file=f"attachment:{attachment.pk}",
    )
    return file_response(
        file=attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=attachment.content_type in INLINE_TYPES,
        embeddable=True,
    )


@staff_required()
def case_document(request: AuthenticatedHttpRequest, ref: str, pk: int) -> FileResponse:
    case = selectors.case_files_get_for_staff(user=request.user, ref=ref)
    link = next((d for d in case.case_documents.all() if d.document_id == pk), None)
    if link is None:
        raise Http404
    services.case_staff_view_record(
        case=case,
        actor=request.user,
        context=AuditContext.from_request(request),
        file=f"document:{link.document_id}",
    )
    return file_response(
        file=link.document.file.open("rb"),
        filename=f"{case.ref}-{link.document.kind}.pdf",
        content_type="application/pdf",
        inline=True,
    )
