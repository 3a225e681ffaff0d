"""PDFs parsed (pikepdf, on qpdf) and refused when they could act on the reader.

A PDF is kept byte for byte (re-writing it would change what the resident signed for), so it
is refused, not cleaned, when it does not parse, is encrypted, carries JavaScript or an action
that runs by itself (/JS, /JavaScript, /AA, an /OpenAction that is a script), launches a
program or opens another file (/Launch, /GoToR, /GoToE), carries files (/EmbeddedFiles,
/EF, /FileAttachment annotations), or is also a web page (markup outside its streams, or
anything but padding after its last %%EOF: a PDF/HTML polyglot)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from .images import MARKUP
from .problems import UploadRefused

# Keys whose mere presence means a script or an action the reader does not start.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/RichMedia", "/XFA"})
_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/SubmitForm", "/ImportData", "/Rendition"})
_LAUNCH_ACTIONS = frozenset({"/Launch", "/GoToR", "/GoToE"})
# Stream data is skipped when looking for markup: compressed bytes are not text.
_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_PADDING = b"\x00\r\n\t\f "


def pdf_check(data: bytes) -> None:
    """Raise `UploadRefused` ("trailing_content", "html_content", "bad_pdf", "encrypted_pdf",
    "pdf_script", "pdf_launch", "pdf_embedded") unless the PDF is plain."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise UploadRefused("bad_pdf")
    if data[end + 5 :].strip(_PADDING):
        raise UploadRefused("trailing_content")
    if MARKUP.search(_STREAM.sub(b"", data)):
        raise UploadRefused("html_content")
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as exc:
        raise UploadRefused("encrypted_pdf") from exc
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise UploadRefused("bad_pdf") from exc
    with pdf:
        if pdf.is_encrypted:
            raise UploadRefused("encrypted_pdf")
        try:
            if len(pdf.pages) == 0:
                raise UploadRefused("bad_pdf")
            for obj in pdf.objects:
                for dictionary in _dictionaries(obj):
                    _check_dictionary(dictionary)
        except (pikepdf.PdfError, RuntimeError) as exc:
            raise UploadRefused("bad_pdf") from exc


def _dictionaries(obj: Any) -> Iterator[Any]:
    """Every dictionary held directly in `obj` (an indirect object), `obj`'s own included:
    an /OpenAction or an annotation's /A is often written inside its parent.

    References are not followed: every indirect object is visited on its own."""
    import pikepdf

    pending = [obj]
    while pending:
        item = pending.pop()
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if isinstance(item, pikepdf.Dictionary):
            yield item
            children = list(item.values())
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect
        )


def _check_dictionary(dictionary: Any) -> None:
    keys = set(dictionary.keys())
    if keys & _SCRIPT_KEYS:
        raise UploadRefused("pdf_script")
    if keys & _EMBEDDED_KEYS or _name(dictionary.get("/Subtype")) == "/FileAttachment":
        raise UploadRefused("pdf_embedded")
    action = _name(dictionary.get("/S"))
    if action in _SCRIPT_ACTIONS:
        raise UploadRefused("pdf_script")
    if action in _LAUNCH_ACTIONS:
        raise UploadRefused("pdf_launch")


def _name(value: Any) -> str | None:
    import pikepdf

    return str(value) if isinstance(value, pikepdf.Name) else None
