import hashlib
import re

import pytest

from apps.audit.models import AuditEvent
from apps.core.exceptions import ApplicationError
from apps.core.pdf import render_pdf
from apps.documents.models import Document
from apps.documents.selectors import CODE_ALPHABET, verification_code_normalize
from apps.documents.services import document_verify
from apps.signatures.services import pdf_seal, pdf_seal_check
from tests.documents.factories import CASE_NUMBER, SERVICE_NAME, issue_receipt, receipt_context
from tests.documents.pdftext import pdf_font_names, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(db):
    return issue_receipt()


def stored_bytes(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_issuing_a_receipt_stores_the_sealed_pdf_with_its_digest(receipt):
    # when
    data = stored_bytes(receipt)

    # then
    assert data.startswith(b"%PDF-")
    assert receipt.sha256 == hashlib.sha256(data).hexdigest()
    assert receipt.kind == Document.Kind.RECEIPT
    assert receipt.file.name.startswith("documents/")
    assert re.fullmatch(
        rf"([{CODE_ALPHABET}]{{4}}-){{3}}[{CODE_ALPHABET}]{{4}}", receipt.verification_code
    )
    assert pdf_seal_check(pdf_bytes=data).status == "intact"
    assert receipt.sealed_by == "Citizen Services Portal seal"
    event = AuditEvent.objects.get(action="documents.document.issue")
    assert event.data["sha256"] == receipt.sha256


def test_the_receipt_shows_the_chinese_service_name_case_number_and_code(receipt):
    # when
    data = stored_bytes(receipt)
    text = pdf_text(data)

    # then
    assert SERVICE_NAME in text
    assert CASE_NUMBER in text
    assert "张三" in text
    assert receipt.verification_code in text
    assert f"/verify/?code={receipt.verification_code}" in text
    assert any("CJK" in name for name in pdf_font_names(data))


def test_the_verification_code_is_in_the_pdf_metadata_and_bytes(receipt):
    # when
    data = stored_bytes(receipt)

    # then
    from apps.documents.selectors import codes_in_pdf_bytes, codes_in_pdf_metadata

    assert receipt.verification_code in codes_in_pdf_metadata(pdf_bytes=data)
    assert receipt.verification_code in codes_in_pdf_bytes(pdf_bytes=data)


def test_a_sealed_receipt_verifies_valid_by_upload(receipt):
    # when
    result = document_verify(pdf_bytes=stored_bytes(receipt))

    # then
    assert result.status == "valid"
    assert result.document.title == receipt.title
    assert result.document.kind == "receipt"
    assert result.document.sealed_by == "Citizen Services Portal seal"
    assert result.document.sha256 == receipt.sha256
    assert result.document.issued_at == receipt.sealed_at


def test_a_sealed_receipt_verifies_valid_by_code_as_typed(receipt):
    # given
    typed = receipt.verification_code.replace("-", " ").lower()

    # when
    result = document_verify(code=typed)

    # then
    assert result.status == "valid"
    assert result.document.verification_code == receipt.verification_code


def test_an_unknown_code_is_unknown(receipt):
    assert document_verify(code="2222-3333-4444-5555").status == "unknown"
    assert document_verify(code="not a code").status == "unknown"


def test_a_receipt_changed_by_one_byte_is_tampered_and_an_untouched_one_valid(receipt):
    # given
    original = stored_bytes(receipt)
    changed = bytearray(original)
    # a byte inside the first page's content stream, well inside the signed range
    start = original.index(b"stream\n") + len(b"stream\n")
    changed[start + 100] ^= 0x01

    # when / then
    assert document_verify(pdf_bytes=bytes(changed)).status == "tampered"
    assert document_verify(pdf_bytes=original).status == "valid"


def test_a_changed_metadata_byte_is_tampered(receipt):
    # given
    original = stored_bytes(receipt)
    changed = original.replace(b"/Producer (", b"/Producer (X", 1)
    assert changed != original

    # then
    assert document_verify(pdf_bytes=changed).status == "tampered"


def test_garbage_appended_to_a_receipt_is_tampered(receipt):
    # when
    result = document_verify(pdf_bytes=stored_bytes(receipt) + b"\n%%garbage\n")

    # then
    assert result.status == "tampered"
    assert result.document is None


def test_a_receipt_resealed_after_a_change_is_tampered(receipt):
    # given someone re-seals the stored file (an incremental update the portal did not issue)
    resealed = pdf_seal(pdf_bytes=stored_bytes(receipt))

    # then
    assert document_verify(pdf_bytes=resealed).status == "tampered"


def test_an_unrelated_pdf_is_unknown(db):
    # given a PDF the portal never stored, sealed and unsealed
    plain = render_pdf(template_name="documents/receipt.html", context=receipt_context())

    # then
    assert document_verify(pdf_bytes=plain).status == "unknown"
    assert document_verify(pdf_bytes=pdf_seal(pdf_bytes=plain)).status == "unknown"


def test_a_non_pdf_upload_is_refused_with_a_clear_error(db):
    with pytest.raises(ApplicationError):
        document_verify(pdf_bytes=b"PK\x03\x04 this is a zip file")
    with pytest.raises(ApplicationError):
        document_verify(pdf_bytes=b"")


def test_a_department_sealed_letter_validates_with_the_department_certificate(department):
    # when
    document = issue_receipt(seal=department.code)

    # then
    check = pdf_seal_check(pdf_bytes=stored_bytes(document))
    assert check.status == "intact"
    assert check.signer == "Department seal market"
    result = document_verify(pdf_bytes=stored_bytes(document))
    assert result.status == "valid"
    assert result.document.sealed_by == "Department seal market"
    assert result.document.seal == "market"


def test_verification_codes_normalize():
    assert verification_code_normalize(value=" abcd efgh-jkmn pqrs ") == "ABCD-EFGH-JKMN-PQRS"
    assert (
        verification_code_normalize(value="ABCD-EFGH-JKMN-PQR0") == ""
    )  # 0 is not in the alphabet
    assert verification_code_normalize(value="ABC") == ""
