"""Files of a case for staff: attachments (images and PDFs inline) and issued documents."""

from csp.constants import SELF
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from apps.accounts.http import AuthenticatedHttpRequest
from apps.accounts.permissions import staff_required

from ... import selectors
from .common import INLINE_TYPES, csp_replace


@staff_required()
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def case_attachment(request: AuthenticatedHttpRequest, ref: str, pk: int) -> FileResponse:
    """An attachment for staff: images and PDFs inline (the case page embeds them)."""
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    attachment = get_object_or_404(case.attachments, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        filename=attachment.original_name,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type not in INLINE_TYPES,
    )


@staff_required()
def case_document(request: AuthenticatedHttpRequest, ref: str, pk: int) -> FileResponse:
    case = selectors.case_get_for_user(user=request.user, ref=ref)
    link = next((d for d in case.case_documents.all() if d.document_id == pk), None)
    if link is None:
        raise Http404
    return FileResponse(
        link.document.file.open("rb"),
        filename=f"{case.ref}-{link.document.kind}.pdf",
        content_type="application/pdf",
    )
