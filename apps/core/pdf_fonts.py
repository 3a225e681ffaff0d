"""Small CJK fonts for PDFs, cut once from the system's Noto CJK fonts.

Why: WeasyPrint embeds a subset of every font a document uses, but it keeps the glyph ids of
the source font, so a Noto CJK face (65,000 glyphs, a 20-27 MB collection file) costs ~30 ms
and ~100 KB per face in every document, however few characters it shows. The "Portal … CJK SC"
faces made here hold only the characters of GB 2312 (the 6,763 common hanzi, kana, Greek,
Cyrillic, full-width forms), Latin, general punctuation and every character of the portal's
PDF templates and Chinese catalogue: about 7,900 glyphs, cut with HarfBuzz in well under a
second per face. The PDF templates name them first and the full Noto CJK faces next, so a
character outside the small set (a rare hanzi in a resident's name) still shows, from the full
font.

The files live in `settings.PDF_FONTS_DIR` with a manifest naming their sources; a changed
source font or character list rebuilds them (under a lock: several processes may start at
once). Without fontconfig's `fc-match`, uharfbuzz or the Noto CJK fonts nothing is built and
the templates fall back to the full fonts.
"""

import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# Raise when the character list or the way faces are cut changes: the files are rebuilt.
FONTS_VERSION = 1
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class FontFace:
    family: str  # the family name the PDF templates use
    weight: int
    source: str  # fontconfig pattern of the full face it is cut from
    source_family: str  # the family fc-match must find (else the face is skipped)
    filename: str


def _face(family: str, weight: int, source_family: str, filename: str) -> FontFace:
    fc_weight = 200 if weight >= 700 else 80  # fontconfig's bold and regular
    return FontFace(family, weight, f"{source_family}:weight={fc_weight}", source_family, filename)


FACES = (
    _face("Portal Sans CJK SC", 400, "Noto Sans CJK SC", "sans-regular.otf"),
    _face("Portal Sans CJK SC", 700, "Noto Sans CJK SC", "sans-bold.otf"),
    _face("Portal Serif CJK SC", 400, "Noto Serif CJK SC", "serif-regular.otf"),
    _face("Portal Serif CJK SC", 700, "Noto Serif CJK SC", "serif-bold.otf"),
    _face("Portal Mono CJK SC", 400, "Noto Sans Mono CJK SC", "mono-regular.otf"),
    _face("Portal Mono CJK SC", 700, "Noto Sans Mono CJK SC", "mono-bold.otf"),
)

# Horizontal text only: no vertical forms, no 'locl' (it would pull in the Japanese, Korean
# and traditional variants, ~5,800 glyphs, that a zh-Hans or English document never shows).
LAYOUT_FEATURES = ("ccmp", "kern", "liga", "clig", "calt", "rlig", "rvrn", "mark", "mkmk")

_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and -B (pinyin tone marks, names)
    (0x02B0, 0x02FF),  # spacing modifier letters
    (0x2000, 0x206F),  # general punctuation
    (0x20A0, 0x20CF),  # currency signs
    (0x2100, 0x218F),  # letterlike symbols, number forms
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics ①
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
)


def fonts_dir() -> Path:
    return Path(settings.PDF_FONTS_DIR)


def _gb2312() -> set[int]:
    chars: set[int] = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.update(map(ord, bytes((first, second)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _portal_texts() -> set[int]:
    """Every character of the PDF templates and of the Chinese message catalogue."""
    base = Path(settings.BASE_DIR)
    paths = [*sorted((base / "templates" / "documents").rglob("*.html"))]
    paths += sorted((base / "locale").glob("zh_Hans/LC_MESSAGES/*.po"))
    chars: set[int] = set()
    for path in paths:
        chars.update(map(ord, path.read_text(encoding="utf-8", errors="replace")))
    return {c for c in chars if c >= 0x20}


def character_set() -> set[int]:
    chars = _gb2312() | _portal_texts()
    for start, end in _RANGES:
        chars.update(range(start, end + 1))
    return chars


def _match(pattern: str) -> tuple[Path, int, str] | None:
    """(file, face index, family) of the font fontconfig picks for `pattern`."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        out = subprocess.run(  # noqa: S603 - a fixed program and our own patterns
            [fc_match, "--format=%{file}\n%{index}\n%{family[0]}", pattern],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = out.split("\n")
    if len(lines) < 3 or not lines[0] or not lines[1].isdigit():
        return None
    return Path(lines[0]), int(lines[1]), lines[2]


def _sources() -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for face in FACES:
        match = _match(face.source)
        if match is None or match[2] != face.source_family:
            continue
        path, index, _family = match
        stat = path.stat()
        found[face.filename] = {
            "path": str(path),
            "index": index,
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }
    return found


def _cut(*, face: FontFace, source: dict[str, object], chars: set[int]) -> bytes:
    import io

    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    blob = hb.Blob.from_file_path(str(source["path"]))
    subset_input = hb.SubsetInput()
    subset_input.unicode_set.update(chars)
    features = subset_input.layout_feature_tag_set
    features.clear()
    features.update(int.from_bytes(tag.encode(), "big") for tag in LAYOUT_FEATURES)
    subset_input.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    cut = hb.subset(hb.Face(blob, int(str(source["index"]))), subset_input)
    if cut is None:
        raise ValueError(f"HarfBuzz could not cut {source['path']}")

    # A family of its own, so that fontconfig never mistakes it for the full font.
    font = TTFont(io.BytesIO(cut.blob.data), lazy=True)
    style = "Bold" if face.weight >= 700 else "Regular"
    postscript = re.sub(r"[^A-Za-z0-9]", "", face.family) + "-" + style
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17):
            names.removeNames(nameID=record.nameID)
    for name_id, value in (
        (1, face.family),
        (2, style),
        (3, f"{postscript};portal-{FONTS_VERSION}"),
        (4, f"{face.family} {style}"),
        (6, postscript),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _manifest(sources: dict[str, dict[str, object]], chars: set[int]) -> dict[str, object]:
    digest = hashlib.sha256(",".join(map(str, sorted(chars))).encode()).hexdigest()
    return {"version": FONTS_VERSION, "characters": digest, "sources": sources}


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def pdf_fonts_build(*, force: bool = False) -> list[FontFace]:
    """Cut the small faces whose sources are installed (unless up to date); return them.

    Returns [] when uharfbuzz, fc-match or the Noto CJK fonts are missing.
    """
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return []
    sources = _sources()
    if not sources:
        return []
    chars = character_set()
    wanted = _manifest(sources, chars)
    directory = fonts_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            manifest_path = directory / MANIFEST
            try:
                current = json.loads(manifest_path.read_text())
            except (OSError, ValueError):
                current = None
            faces = [face for face in FACES if face.filename in sources]
            ready = all((directory / face.filename).is_file() for face in faces)
            if force or current != wanted or not ready:
                for face in faces:
                    data = _cut(face=face, source=sources[face.filename], chars=chars)
                    _write_atomic(directory / face.filename, data)
                _write_atomic(manifest_path, json.dumps(wanted, indent=1).encode())
                logger.info("Cut %d PDF font faces into %s", len(faces), directory)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return faces


def font_face_css(*, faces: list[FontFace]) -> str:
    """`@font-face` rules for the faces in `fonts_dir()`."""
    directory = fonts_dir().resolve()
    rules = []
    for face in faces:
        url = (directory / face.filename).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; src: url("{url}"); '
            f"font-weight: {face.weight}; font-style: normal; }}"
        )
    return "\n".join(rules)
