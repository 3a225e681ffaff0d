"""Pictures decoded under a pixel limit and re-encoded from their pixels alone.

The file's structure is walked first (JPEG segments, PNG chunks, GIF blocks, the WebP RIFF
size) to learn its size in pixels before anything is decoded, and where the picture ends: a
decompression bomb is refused from its header, and bytes after the end (a script appended to a
JPEG) are refused rather than kept. Re-encoding from the decoded pixels leaves EXIF, comments,
colour profiles and any other metadata behind."""

from __future__ import annotations

import io
import re
import warnings

from PIL import Image, ImageOps

from .problems import UploadRefused

# 40 megapixels: an A4 page scanned at 600 dpi (about 35 MP) or a phone's photo fits; decoding
# one takes about 160 MB at most. Pillow's own check is set to the same limit, for every use of
# Pillow in the portal, as a second line behind the header check here.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
# Bytes a device may leave after the end of a picture: padding.
_PADDING = b"\x00\r\n\t\f \xff"
# Markup that has no business in a picture's bytes.
MARKUP = re.compile(
    rb"<\s*(?:script|html|body|head|iframe|svg|object|embed|meta|form|img)\b|<!doctype|<\?php"
    rb"|javascript:",
    re.IGNORECASE,
)


def _damaged() -> UploadRefused:
    return UploadRefused("damaged_image")


def _u16be(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def _u16le(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little")


def _jpeg_layout(data: bytes) -> tuple[int, int, int]:
    """Width, height and the offset just after the end-of-image marker (FFD9)."""
    n = len(data)
    if data[:2] != b"\xff\xd8":
        raise _damaged()
    i, width, height = 2, 0, 0
    while i < n:
        if data[i] != 0xFF:
            raise _damaged()
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            raise _damaged()
        marker = data[i]
        i += 1
        if marker == 0xD9:
            return width, height, i
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            continue
        if i + 2 > n:
            raise _damaged()
        length = _u16be(data, i)
        if length < 2 or i + length > n:
            raise _damaged()
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start of frame
            if length < 7:
                raise _damaged()
            height, width = _u16be(data, i + 3), _u16be(data, i + 5)
        i += length
        if marker == 0xDA:  # a scan: entropy-coded data up to the next real marker
            while True:
                j = data.find(b"\xff", i)
                if j < 0 or j + 1 >= n:
                    raise _damaged()
                following = data[j + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    i = j + 2
                elif following == 0xFF:
                    i = j + 1
                else:
                    i = j
                    break
    raise _damaged()


def _png_layout(data: bytes) -> tuple[int, int, int]:
    """Width, height and the offset just after the IEND chunk."""
    n = len(data)
    if data[12:16] != b"IHDR" or n < 33:
        raise _damaged()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    i = 8
    while i + 12 <= n:
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        following = i + 12 + length
        if following > n:
            raise _damaged()
        if kind == b"IEND":
            return width, height, following
        i = following
    raise _damaged()


def _gif_layout(data: bytes) -> tuple[int, int, int]:
    """Width, height and the offset just after the trailer (3B)."""
    n = len(data)
    if n < 13:
        raise _damaged()
    width, height, flags = _u16le(data, 6), _u16le(data, 8), data[10]
    i = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)

    def skip_sub_blocks(at: int) -> int:
        while True:
            if at >= n:
                raise _damaged()
            size = data[at]
            at += 1
            if size == 0:
                return at
            at += size

    while i < n:
        block = data[i]
        if block == 0x3B:
            return width, height, i + 1
        if block == 0x21:  # an extension
            i = skip_sub_blocks(i + 2)
        elif block == 0x2C:  # an image
            if i + 10 > n:
                raise _damaged()
            local = data[i + 9]
            i += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            i = skip_sub_blocks(i)
        else:
            raise _damaged()
    raise _damaged()


def _webp_layout(data: bytes) -> tuple[int, int, int]:
    """Width, height and the offset where the RIFF container says it ends."""
    size = int.from_bytes(data[4:8], "little")
    if len(data) < 30 or 8 + size > len(data):
        raise _damaged()
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        width, height = 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    elif chunk == b"VP8 ":
        width, height = _u16le(data, 26) & 0x3FFF, _u16le(data, 28) & 0x3FFF
    else:
        raise _damaged()
    return width, height, 8 + size + (size & 1)


_LAYOUTS = {"jpeg": _jpeg_layout, "png": _png_layout, "gif": _gif_layout, "webp": _webp_layout}


def _trailer_harmless(kind: str, trailer: bytes) -> bool:
    """Padding after the end is harmless. Phones append a second JPEG (the multi-picture
    format's preview) or a short video (a motion photo) after a JPEG's end: re-encoding
    drops them. Anything else (text, markup, a script) is refused."""
    if not trailer.strip(_PADDING):
        return True
    if MARKUP.search(trailer):
        return False
    return kind == "jpeg" and (trailer.startswith(b"\xff\xd8\xff") or trailer[4:8] == b"ftyp")


def _megapixels(pixels: int) -> str:
    value = pixels / 1_000_000
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def image_reencode(data: bytes, *, kind: str) -> bytes:
    """The picture decoded (within the pixel limit) and encoded again in the same format.

    Raises `UploadRefused`: "too_many_pixels", "trailing_content" or "damaged_image"."""
    width, height, end = _LAYOUTS[kind](data)
    if width <= 0 or height <= 0:
        raise _damaged()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width * height)
    if not _trailer_harmless(kind, data[end:]):
        raise UploadRefused("trailing_content")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as opened:
                opened.load()
                clean = _pixels_only(opened, kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(width * height) from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # Pillow's ways to say "broken"
        raise _damaged() from exc
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 90} if kind in ("jpeg", "webp") else {}
    clean.save(out, format=PILLOW_FORMATS[kind], **options)
    return out.getvalue()


def _too_many_pixels(pixels: int) -> UploadRefused:
    return UploadRefused(
        "too_many_pixels",
        megapixels=_megapixels(pixels),
        limit=_megapixels(MAX_PIXELS),
    )


def _pixels_only(opened: Image.Image, kind: str) -> Image.Image:
    """A new image holding the first frame's pixels (upright) and nothing else."""
    image = ImageOps.exif_transpose(opened)
    if kind == "gif":
        image = image.convert("RGB").quantize(colors=256)
        clean = Image.frombytes("P", image.size, image.tobytes())
        clean.putpalette(image.getpalette() or [])
        return clean
    keep = {"jpeg": ("L", "RGB", "CMYK"), "png": ("1", "L", "LA", "RGB", "RGBA")}.get(
        kind, ("RGB", "RGBA")
    )
    if image.mode not in keep:
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha and "RGBA" in keep else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())
