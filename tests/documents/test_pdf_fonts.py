"""The small CJK faces PDFs embed: common text comes from them, a rare character from the full
Noto CJK face, and without them documents still show Chinese."""

import logging

import pytest

from apps.core import pdf_fonts
from apps.core.pdf import render_pdf
from tests.documents.factories import receipt_context
from tests.documents.pdftext import pdf_font_names, pdf_text

RARE_NAME = "王喆"  # 喆 is outside GB 2312, so outside the small faces


def render_receipt(**overrides) -> bytes:
    return render_pdf(template_name="documents/receipt.html", context=receipt_context(**overrides))


def notdef_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]


@pytest.fixture
def fonts_dir(settings, tmp_path):
    settings.PDF_FONTS_DIR = tmp_path / "pdf-fonts"
    return settings.PDF_FONTS_DIR


def test_a_receipt_in_common_chinese_embeds_only_the_small_faces(fonts_dir, caplog):
    # when
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = render_receipt()

    # then
    names = pdf_font_names(data)
    assert "张三" in pdf_text(data)
    assert any("Portal-Sans-CJK-SC" in name for name in names)
    assert not any("Noto" in name for name in names)
    assert not notdef_warnings(caplog)
    assert (fonts_dir / "sans-regular.otf").is_file()


def test_a_rare_character_in_a_name_is_drawn_from_the_full_noto_face(fonts_dir, caplog):
    # when
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = render_receipt(applicant_name=RARE_NAME)

    # then
    assert RARE_NAME in pdf_text(data)
    assert any("Noto-Sans-CJK-SC" in name for name in pdf_font_names(data))
    assert not notdef_warnings(caplog)


def test_without_the_small_faces_the_receipt_still_shows_chinese(fonts_dir, monkeypatch, caplog):
    # given: no Noto CJK source found (or no uharfbuzz): nothing is cut
    monkeypatch.setattr(pdf_fonts, "_sources", lambda: {})

    # when
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = render_receipt(applicant_name=RARE_NAME)

    # then
    assert RARE_NAME in pdf_text(data)
    assert all("Portal" not in name for name in pdf_font_names(data))
    assert any("CJK" in name for name in pdf_font_names(data))
    assert not notdef_warnings(caplog)
    assert not fonts_dir.exists()


def test_a_changed_character_list_cuts_the_faces_again(fonts_dir, monkeypatch):
    # given
    pdf_fonts.pdf_fonts_build()
    first = (fonts_dir / "sans-regular.otf").stat().st_mtime_ns
    wider = pdf_fonts.character_set() | {ord("喆")}
    monkeypatch.setattr(pdf_fonts, "character_set", lambda: wider)

    # when
    pdf_fonts.pdf_fonts_build()

    # then
    assert (fonts_dir / "sans-regular.otf").stat().st_mtime_ns != first
    assert (fonts_dir / "manifest.json").is_file()
