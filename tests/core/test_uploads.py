"""Upload checks by content, not by name."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.core.uploads import MB, sniff_type, validate_upload
from tests.core import sample_files

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "pdf"), (JPEG, "jpeg"), (PNG, "png"), (GIF, "gif"), (WEBP, "webp"), (b"hello", None)],
)
def test_sniff_type_reads_magic_bytes(content, kind):
    assert sniff_type(SimpleUploadedFile("x.bin", content)) == kind


def test_sniffing_puts_the_file_position_back():
    # given a file someone has partly read
    file = io.BytesIO(PDF)
    file.seek(5)
    # when it is sniffed
    assert sniff_type(file) == "pdf"
    # then reading goes on from where it was
    assert file.tell() == 5


def test_a_pdf_jpeg_and_png_pass():
    for name, content, kind in [
        ("a.pdf", sample_files.good_pdf(), "pdf"),
        ("b.jpg", sample_files.jpeg(), "jpeg"),
        ("c.png", sample_files.png(), "png"),
    ]:
        upload = SimpleUploadedFile(name, content)
        assert validate_upload(upload, max_bytes=MB) == kind
        assert upload.tell() == 0


def test_a_file_whose_name_says_pdf_but_whose_bytes_are_not_is_refused():
    # given an executable renamed to look like a PDF
    upload = SimpleUploadedFile("营业执照.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf")
    # when it is checked
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload, max_bytes=MB)
    # then the message names the file and the allowed types
    assert caught.value.messages == ["“营业执照.pdf” is not a PDF, JPEG or PNG file."]
    assert caught.value.error_list[0].code == "bad_type"


def test_a_type_outside_the_allowed_set_is_refused():
    upload = SimpleUploadedFile("photo.png", PNG)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload, allowed={"jpeg"}, max_bytes=MB)
    assert caught.value.messages == ["“photo.png” is not a JPEG file."]


def test_a_file_over_the_limit_is_refused():
    upload = SimpleUploadedFile("scan.pdf", PDF + b"\x00" * (2 * MB))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(upload, max_bytes=2 * MB)
    assert caught.value.messages == [
        "“scan.pdf” is larger than 2 MB. Make it smaller or scan it again."
    ]


def test_an_empty_file_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_upload(SimpleUploadedFile("empty.pdf", b""), max_bytes=MB)
    assert caught.value.error_list[0].code == "empty"
