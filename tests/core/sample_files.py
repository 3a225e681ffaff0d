"""Good and hostile files, made in memory by the tests that need them (no binary fixtures)."""

from __future__ import annotations

import functools
import io
import struct
import zlib
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile

SCRIPT = b"<script>alert(document.cookie)</script>"


def _pdf(change: Callable | None = None, **save_options) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    if change is not None:
        change(pdf, pikepdf)
    out = io.BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


def good_pdf() -> bytes:
    """A plain one-page PDF."""
    return _pdf()


def pdf_open_action_js() -> bytes:
    def change(pdf, pikepdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')")
        )

    return _pdf(change)


def pdf_launch() -> bytes:
    """A link on the page that starts a program."""

    def change(pdf, pikepdf):
        action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 100], A=action
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([link]))

    return _pdf(change)


def pdf_embedded_file() -> bytes:
    def change(pdf, pikepdf):
        pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00payload")

    return _pdf(change)


def pdf_encrypted(user_password: str = "secret") -> bytes:  # noqa: S107 - a test file
    import pikepdf

    return _pdf(encryption=pikepdf.Encryption(owner="owner-pw", user=user_password, R=6))


def pdf_html_polyglot() -> bytes:
    """A PDF that is also a web page: markup in a comment after the header."""
    data = good_pdf()
    header_end = data.index(b"\n") + 1
    return data[:header_end] + b"%<html><body>" + SCRIPT + b"</body></html>\n" + data[header_end:]


def pdf_html_after_eof() -> bytes:
    return good_pdf() + b"\n<html>" + SCRIPT + b"</html>\n"


def not_a_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"0" * 200 + b"\n%%EOF\n"


def jpeg(size=(64, 48), exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    options = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"
        gps = tags.get_ifd(0x8825)
        gps[1], gps[2] = "N", (39.0, 54.0, 15.0)
        options["exif"] = tags
    image.save(out, format="JPEG", **options)
    return out.getvalue()


def png(size=(64, 48)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_script() -> bytes:
    return jpeg() + SCRIPT


def truncated_jpeg() -> bytes:
    data = jpeg((200, 200))
    return data[: len(data) // 2]


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A 1-bit grey PNG of zeros: 900 megapixels in about 100 KB, built row by row with zlib
    so the test never holds the pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
