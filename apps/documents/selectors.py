import re

from .models import Document

# No 0/O, 1/I/L: codes are read aloud over the phone and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4
_CHAR = f"[{CODE_ALPHABET}]"
# In PDF strings pyHanko writes "-" as the octal escape "\055"; accept both (and spaces).
_SEP = rb"(?:-|\\055| )"
CODE_IN_BYTES_RE = re.compile(_SEP.join([rb"(" + _CHAR.encode() + rb"{4})"] * CODE_GROUPS))


def verification_code_normalize(*, value: str) -> str:
    """ "abcd efgh-jkmn pqrs" → "ABCD-EFGH-JKMN-PQRS" (or "" when it cannot be a code)."""
    chars = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if len(chars) != CODE_GROUPS * CODE_GROUP_LENGTH or any(
        ch not in CODE_ALPHABET for ch in chars
    ):
        return ""
    return "-".join(
        chars[i : i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH)
    )


def document_get_by_code(*, code: str) -> Document | None:
    normalized = verification_code_normalize(value=code)
    if not normalized:
        return None
    return Document.objects.filter(verification_code=normalized).first()


def document_get_by_sha256(*, sha256: str) -> Document | None:
    return Document.objects.filter(sha256=sha256).first()


def codes_in_pdf_bytes(*, pdf_bytes: bytes) -> list[str]:
    """Every verification code that appears literally in the file (metadata, seal reason)."""
    found = [
        "-".join(g.decode() for g in match.groups())
        for match in CODE_IN_BYTES_RE.finditer(pdf_bytes)
    ]
    return list(dict.fromkeys(found))


def codes_in_pdf_metadata(*, pdf_bytes: bytes) -> list[str]:
    """Codes in the document information (/Keywords, /Subject) and seal reasons, as parsed."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    texts: list[str] = []
    try:
        from io import BytesIO

        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        info = reader.trailer["/Info"] if "/Info" in reader.trailer else None
        if info is not None:
            info = info.get_object()
            texts += [str(info.get(key, "")) for key in ("/Keywords", "/Subject")]
        for embedded in reader.embedded_signatures:
            texts.append(str(embedded.sig_object.get("/Reason", "")))
    except Exception:  # noqa: BLE001, S110 - a damaged file may still carry the code in its bytes
        pass
    found = []
    for text in texts:
        for match in re.finditer(rf"{_CHAR}{{4}}(?:[- ]?{_CHAR}{{4}}){{3}}", text.upper()):
            code = verification_code_normalize(value=match.group(0))
            if code:
                found.append(code)
    return list(dict.fromkeys(found))
