"""The deep upload check: PDFs parsed, pictures decoded under a pixel limit and re-encoded.

Every hostile file is made here, in memory, by `tests.core.sample_files`."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from apps.core.exceptions import ApplicationError
from apps.core.uploads import MB, check_upload, inspect_upload
from tests.core import sample_files as files

REFUSED = [
    (
        "polyglot.pdf",
        files.pdf_html_polyglot,
        "html_content",
        "“polyglot.pdf” also contains web page code. "
        "Save or scan it again as a plain PDF and choose the new file.",
    ),
    (
        "after-eof.pdf",
        files.pdf_html_after_eof,
        "trailing_content",
        "“after-eof.pdf” has extra content after its end. "
        "Save or scan it again and choose the new file.",
    ),
    (
        "open-action.pdf",
        files.pdf_open_action_js,
        "pdf_script",
        "“open-action.pdf”: the PDF contains a script or an action that runs by itself. "
        "Print it to a new PDF or scan it, and choose that file.",
    ),
    (
        "launch.pdf",
        files.pdf_launch,
        "pdf_launch",
        "“launch.pdf”: the PDF tries to open another program or file. "
        "Print it to a new PDF or scan it, and choose that file.",
    ),
    (
        "embedded.pdf",
        files.pdf_embedded_file,
        "pdf_embedded",
        "“embedded.pdf”: the PDF carries other files inside it. Upload each document on its own.",
    ),
    (
        "locked.pdf",
        files.pdf_encrypted,
        "encrypted_pdf",
        "“locked.pdf” is an encrypted PDF: remove the password and choose it again.",
    ),
    (
        "broken.pdf",
        files.not_a_pdf,
        "bad_pdf",
        "“broken.pdf” is not a valid PDF: it could not be read. "
        "Save or scan it again and choose the new file.",
    ),
    (
        "photo.jpg",
        files.jpeg_with_script,
        "trailing_content",
        "“photo.jpg” has extra content after its end. "
        "Save or scan it again and choose the new file.",
    ),
    (
        "bomb.png",
        files.png_bomb,
        "too_many_pixels",
        "“bomb.png”: the picture is too large to open safely (900 megapixels, at most 40). "
        "Make it smaller and choose it again.",
    ),
    (
        "half.jpg",
        files.truncated_jpeg,
        "damaged_image",
        "“half.jpg” could not be read as a picture: it is damaged or incomplete. "
        "Save it again and choose the new file.",
    ),
]


@pytest.mark.parametrize(("name", "make", "code", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_each_hostile_file_is_refused_with_its_reason(name, make, code, message):
    # given a hostile file that starts with the right magic bytes
    upload = files.upload(name, make())
    # when it is checked
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        inspect_upload(upload, max_bytes=10 * MB)
    # then the message names the file and says why
    assert caught.value.messages == [message]
    assert caught.value.error_list[0].code == code


def test_the_bomb_is_small_and_never_decoded():
    data = files.png_bomb()
    assert len(data) < 1 * MB
    with pytest.raises(ValidationError):
        inspect_upload(files.upload("bomb.png", data))


def test_an_owner_password_alone_is_still_an_encrypted_pdf():
    upload = files.upload("statement.pdf", files.pdf_encrypted(user_password=""))
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload)
    assert caught.value.error_list[0].code == "encrypted_pdf"


def test_refusals_are_translated():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        inspect_upload(files.upload("bomb.png", files.png_bomb()))
    assert caught.value.messages == [
        "“bomb.png”：图片太大，无法安全打开（900 百万像素，最多 40 百万像素）。请缩小后重新选择。"
    ]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        inspect_upload(files.upload("a.pdf", files.pdf_open_action_js()))
    assert "脚本" in caught.value.messages[0]


def test_a_service_gets_an_application_error_beside_its_field():
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        check_upload(files.upload("photo.jpg", files.jpeg_with_script()), field="id_scan")
    assert caught.value.errors == {"id_scan": [caught.value.message]}
    assert "“photo.jpg” has extra content after its end" in caught.value.message


def test_a_good_pdf_is_kept_byte_for_byte():
    data = files.good_pdf()
    checked = inspect_upload(files.upload("form.pdf", data))
    assert checked.content == data and checked.kind == "pdf"
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.media_type == "application/pdf" and checked.extension == "pdf"


def test_a_good_jpeg_is_re_encoded_without_exif():
    # given a phone photo carrying GPS and camera data
    data = files.jpeg(exif=True)
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)
    # when it is checked
    checked = inspect_upload(files.upload("photo.jpg", data))
    # then what is kept is a new JPEG of the same picture, without any of it
    assert checked.content != data and checked.kind == "jpeg"
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert not stored.getexif() and "exif" not in stored.info


def test_a_good_png_is_re_encoded_as_png():
    checked = inspect_upload(files.upload("scan.png", files.png()))
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.format == "PNG" and stored.size == (64, 48)


def test_a_phone_preview_after_the_jpeg_is_dropped_not_refused():
    # given a JPEG followed by its multi-picture preview, as phones write them
    data = files.jpeg() + files.jpeg((16, 12))
    # when it is checked, it passes and the preview is gone
    checked = inspect_upload(files.upload("phone.jpg", data))
    assert len(checked.content) < len(data)
    assert checked.content.count(b"\xff\xd8\xff") == 1


def test_the_check_runs_once_for_a_form_field_and_the_service_after_it(monkeypatch):
    from apps.core import uploads

    calls = []
    real = uploads.image_reencode
    monkeypatch.setattr(
        uploads, "image_reencode", lambda data, kind: calls.append(kind) or real(data, kind=kind)
    )
    upload = files.upload("photo.jpg", files.jpeg())
    first = inspect_upload(upload)
    assert check_upload(upload, field="photos") == first
    assert calls == ["jpeg"]
