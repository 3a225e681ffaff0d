"""Enough text extraction for WeasyPrint PDFs (Type0 fonts, Identity-H, ToUnicode maps), so tests
can assert on what a reader sees without poppler or pypdf."""

import re
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

_TOKEN = re.compile(
    rb"/([^\s/\[\]<>()]+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|(ET)", re.S
)
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")


def _to_unicode_map(font) -> dict[int, str]:
    mapping: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return mapping
    cmap = font["/ToUnicode"].get_object().data
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _pages(node):
    node = node.get_object()
    if node.get("/Type") == "/Pages":
        for kid in node["/Kids"]:
            yield from _pages(kid)
    else:
        yield node


def _decode(hex_string: bytes, mapping: dict[int, str]) -> str:
    raw = bytes.fromhex(hex_string.decode())
    return "".join(
        mapping.get(int.from_bytes(raw[i : i + 2], "big"), "") for i in range(0, len(raw), 2)
    )


def pdf_text(pdf_bytes: bytes) -> str:
    reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
    out: list[str] = []
    for page in _pages(reader.root["/Pages"]):
        fonts = page["/Resources"].get_object().get("/Font", {})
        fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
        maps = {name[1:]: _to_unicode_map(ref.get_object()) for name, ref in fonts.items()}
        contents = page["/Contents"].get_object()
        streams = contents if isinstance(contents, list) else [contents]
        data = b"\n".join(s.get_object().data for s in streams)
        current: dict[int, str] = {}
        for font_name, array, single, end in _TOKEN.findall(data):
            if font_name:
                current = maps.get(font_name.decode(), {})
            elif array:
                out.append("".join(_decode(h, current) for h in _HEX.findall(array)))
            elif single:
                out.append(_decode(single, current))
            elif end:
                out.append("\n")
    return "".join(out)


def pdf_font_names(pdf_bytes: bytes) -> set[str]:
    reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
    names = set()
    for page in _pages(reader.root["/Pages"]):
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in (fonts.get_object() if hasattr(fonts, "get_object") else fonts).values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names
