from io import BytesIO

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader

from apps.core.pdf import render_pdf
from apps.signatures import keys
from apps.signatures.services import pdf_seal, pdf_seal_check
from tests.documents.factories import receipt_context


@pytest.fixture(scope="module")
def plain_pdf():
    return render_pdf(template_name="documents/receipt.html", context=receipt_context())


def test_a_sealed_pdf_checks_intact_with_the_portal_seal(plain_pdf):
    # when
    sealed = pdf_seal(pdf_bytes=plain_pdf, reason="test", location="Beijing")

    # then
    check = pdf_seal_check(pdf_bytes=sealed)
    assert check.status == "intact"
    assert check.signer == "Citizen Services Portal seal"
    assert check.covers_whole_file is True
    assert check.signed_at is not None
    assert sealed.startswith(plain_pdf)  # an incremental update: the original bytes are kept


def test_the_seal_is_pades_with_the_signer_certificate_embedded(plain_pdf):
    # when
    sealed = pdf_seal(pdf_bytes=plain_pdf)

    # then
    reader = PdfFileReader(BytesIO(sealed))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.signer_cert.subject.native["common_name"] == "Citizen Services Portal seal"


def test_a_department_seal_validates_with_the_department_certificate(plain_pdf, settings):
    # when
    sealed = pdf_seal(pdf_bytes=plain_pdf, seal="market")

    # then
    check = pdf_seal_check(pdf_bytes=sealed)
    assert check.status == "intact"
    assert check.signer == "Department seal market"
    _key, cert, _chain = pkcs12.load_key_and_certificates(
        (keys.keys_dir() / "department-market.p12").read_bytes(), None
    )
    (embedded,) = PdfFileReader(BytesIO(sealed)).embedded_signatures
    assert embedded.signer_cert.dump() == cert.public_bytes(encoding=_der())


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def test_one_changed_byte_in_the_signed_content_breaks_the_seal(plain_pdf):
    # given
    sealed = bytearray(pdf_seal(pdf_bytes=plain_pdf))

    # when
    sealed[len(plain_pdf) // 2] ^= 0x01

    # then
    assert pdf_seal_check(pdf_bytes=bytes(sealed)).status in {"broken", "unreadable"}


def test_bytes_appended_after_the_seal_are_not_covered(plain_pdf):
    # given
    sealed = pdf_seal(pdf_bytes=plain_pdf)

    # when
    check = pdf_seal_check(pdf_bytes=sealed + b"\n% appended garbage\n")

    # then
    assert check.covers_whole_file is False


def test_a_seal_from_an_untrusted_ca_is_broken(plain_pdf, settings, tmp_path):
    # given a PDF sealed under another CA
    settings.SIGNING_KEYS_DIR = tmp_path / "other"
    foreign = pdf_seal(pdf_bytes=plain_pdf)
    assert pdf_seal_check(pdf_bytes=foreign).status == "intact"  # under its own CA

    # when checked against the portal's trust root
    settings.SIGNING_KEYS_DIR = tmp_path / "portal"
    check = pdf_seal_check(pdf_bytes=foreign)

    # then
    assert check.status == "broken"
    assert "trusted" in check.detail


def test_unsigned_and_unreadable_files(plain_pdf):
    assert pdf_seal_check(pdf_bytes=plain_pdf).status == "unsigned"
    assert pdf_seal_check(pdf_bytes=b"not a pdf at all").status == "unreadable"
    assert pdf_seal_check(pdf_bytes=plain_pdf[:2000]).status in {"unreadable", "unsigned"}


def test_sealing_twice_keeps_both_seals_intact(plain_pdf):
    # when
    twice = pdf_seal(pdf_bytes=pdf_seal(pdf_bytes=plain_pdf), seal="market")

    # then
    check = pdf_seal_check(pdf_bytes=twice)
    assert check.status == "intact"
    assert check.signature_count == 2
    assert check.signer == "Department seal market"


@pytest.mark.django_db
def test_init_signing_keys_creates_the_ca_and_one_seal_per_department(
    department, other_department, settings, tmp_path
):
    # given
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"

    # when
    call_command("init_signing_keys", "--department", "tax")

    # then
    names = sorted(p.name for p in (tmp_path / "keys").iterdir() if not p.name.startswith("."))
    assert names == [
        "ca.p12",
        "ca.pem",
        "department-housing.p12",
        "department-market.p12",
        "department-tax.p12",
        "portal.p12",
    ]


@pytest.mark.django_db
def test_init_signing_keys_is_idempotent_unless_forced(settings, tmp_path):
    # given
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    call_command("init_signing_keys")
    before = (tmp_path / "keys" / "portal.p12").read_bytes()
    ca_before = (tmp_path / "keys" / "ca.pem").read_bytes()

    # when
    call_command("init_signing_keys")

    # then
    assert (tmp_path / "keys" / "portal.p12").read_bytes() == before

    # when
    call_command("init_signing_keys", "--force")

    # then
    assert (tmp_path / "keys" / "portal.p12").read_bytes() != before
    assert (tmp_path / "keys" / "ca.pem").read_bytes() != ca_before


def test_production_loads_the_pkcs12_named_in_settings(plain_pdf, settings, tmp_path):
    # given a PKCS#12 file made elsewhere (here: by the development CA, with a password)
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.SIGNING_PKCS12_PASSWORD = "s3cret"
    keys.ensure_keys(seals=["portal"])
    settings.PRODUCTION = True
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "keys" / "portal.p12")

    # when
    sealed = pdf_seal(pdf_bytes=plain_pdf, seal="housing")  # no department file: portal seal

    # then
    assert keys.seal_file("housing").path == tmp_path / "keys" / "portal.p12"
    assert pdf_seal_check(pdf_bytes=sealed).signer == "Citizen Services Portal seal"


def test_production_does_not_create_keys(settings, tmp_path):
    # given
    settings.SIGNING_KEYS_DIR = tmp_path / "empty"
    settings.PRODUCTION = True

    # when / then
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        keys.seal_file("portal")
    assert not (tmp_path / "empty").exists()
