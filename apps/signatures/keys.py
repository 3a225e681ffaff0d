"""Seal keys: where they live, how they are made in development, how they are loaded.

Development (and tests): `manage.py init_signing_keys` writes a throw-away CA and one seal
certificate per seal (the portal's, one per department) into `SIGNING_KEYS_DIR`; outside
production the files are also created on first use so `make run` and the tests just work.

Production: the portal's seal is the PKCS#12 file named by `SIGNING_PKCS12_PATH` (password
`SIGNING_PKCS12_PASSWORD`); a department seals with `<SIGNING_KEYS_DIR>/department-<code>.p12`
when that file exists and with the portal's seal otherwise. Trust roots for checking seals are
`SIGNING_TRUST_ROOTS` (PEM/DER paths) plus `<SIGNING_KEYS_DIR>/ca.pem` when present.
"""

import datetime
import fcntl
import functools
import logging
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

PORTAL_SEAL = "portal"
CA_CERT_FILE = "ca.pem"
CA_P12_FILE = "ca.p12"
SEAL_CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
CA_VALIDITY = datetime.timedelta(days=3650)
SEAL_VALIDITY = datetime.timedelta(days=825)


@dataclass(frozen=True)
class SealFile:
    seal: str
    path: Path
    password: bytes | None


def keys_dir() -> Path:
    return Path(settings.SIGNING_KEYS_DIR)


def is_production() -> bool:
    return bool(getattr(settings, "PRODUCTION", not settings.DEBUG))


def _dev_password() -> bytes | None:
    password = settings.SIGNING_PKCS12_PASSWORD
    return password.encode() if password else None


def seal_filename(seal: str) -> str:
    if seal == PORTAL_SEAL:
        return "portal.p12"
    if not SEAL_CODE_RE.match(seal):
        raise ValueError(f"not a seal name: {seal!r}")
    return f"department-{seal}.p12"


def seal_file(seal: str = PORTAL_SEAL) -> SealFile:
    """The PKCS#12 file that seals for `seal` ("portal" or a department code).

    Outside production a missing file (and the development CA) is created on the spot.
    """
    password = settings.SIGNING_PKCS12_PASSWORD.encode() or None
    if seal == PORTAL_SEAL and settings.SIGNING_PKCS12_PATH:
        return SealFile(PORTAL_SEAL, Path(settings.SIGNING_PKCS12_PATH), password)
    path = keys_dir() / seal_filename(seal)
    if path.exists():
        return SealFile(seal, path, _dev_password())
    if not is_production():
        ensure_keys(seals=[seal])
        return SealFile(seal, path, _dev_password())
    if seal != PORTAL_SEAL:
        # A department without its own certificate seals with the portal's.
        return seal_file(PORTAL_SEAL)
    raise ImproperlyConfigured("Production sealing needs SIGNING_PKCS12_PATH (a PKCS#12 file).")


def trust_root_paths() -> list[Path]:
    paths = [Path(p) for p in getattr(settings, "SIGNING_TRUST_ROOTS", [])]
    ca = keys_dir() / CA_CERT_FILE
    if not ca.exists() and not is_production():
        ensure_keys(seals=[])
    if ca.exists():
        paths.append(ca)
    return paths


# --- Making development keys (cryptography) ---------------------------------------------


@contextmanager
def _locked(directory: Path):
    """Several processes (runserver, Celery, pytest-xdist) may create keys at once."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _name(common_name: str, unit: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Citizen Services Portal (development)"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _new_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pkcs12(name: str, key, cert, cas, password: bytes | None) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(name.encode(), key, cert, cas, encryption)


def _make_ca(directory: Path, password: bytes | None):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization

    key = _new_key()
    name = _name("Citizen Services Portal Development CA", "Signing CA")
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_atomic(directory / CA_P12_FILE, _pkcs12("ca", key, cert, None, password))
    _write_atomic(directory / CA_CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _load_ca(directory: Path, password: bytes | None):
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert, _others = pkcs12.load_key_and_certificates(
        (directory / CA_P12_FILE).read_bytes(), password
    )
    return key, cert


def _make_seal(directory: Path, seal: str, ca_key, ca_cert, password: bytes | None) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    key = _new_key()
    if seal == PORTAL_SEAL:
        common_name, unit = "Citizen Services Portal seal", "Portal"
    else:
        common_name, unit = f"Department seal {seal}", f"Department {seal}"
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, unit))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(min(now + SEAL_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    path = directory / seal_filename(seal)
    _write_atomic(path, _pkcs12(seal, key, cert, [ca_cert], password))
    return path


def ensure_keys(*, seals: list[str], force: bool = False) -> list[Path]:
    """Create the development CA and the given seals' PKCS#12 files; return the files written.

    Existing files are kept unless `force` (which also replaces the CA).
    """
    directory = keys_dir()
    password = _dev_password()
    written: list[Path] = []
    with _locked(directory):
        if force or not (directory / CA_P12_FILE).exists():
            ca_key, ca_cert = _make_ca(directory, password)
            written += [directory / CA_P12_FILE, directory / CA_CERT_FILE]
            force = True  # seals issued by the old CA would no longer verify
        else:
            ca_key, ca_cert = _load_ca(directory, password)
        existing = [p.name for p in directory.glob("*.p12")]
        wanted = list(dict.fromkeys(seals))
        if force:
            # Re-issue every seal already present, so none is left under a replaced CA.
            wanted += [
                name.removeprefix("department-").removesuffix(".p12")
                for name in existing
                if name.startswith("department-")
            ]
            if "portal.p12" in existing:
                wanted.append(PORTAL_SEAL)
        for seal in dict.fromkeys(wanted):
            path = directory / seal_filename(seal)
            if force or not path.exists():
                written.append(_make_seal(directory, seal, ca_key, ca_cert, password))
                logger.info("Created development seal %s", path)
    _load_signer_cached.cache_clear()
    return written


# --- Loading for pyHanko ----------------------------------------------------------------


def load_signer(seal: str = PORTAL_SEAL):
    """A pyHanko `SimpleSigner` for `seal`, with its certificate chain."""
    found = seal_file(seal)
    stat = found.path.stat()
    return _load_signer_cached(str(found.path), stat.st_mtime_ns, found.password)


@functools.lru_cache(maxsize=32)
def _load_signer_cached(path: str, _mtime_ns: int, password: bytes | None):
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    data = Path(path).read_bytes()
    try:
        loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
        private_key = pkcs12.load_key_and_certificates(data, password)[0]
    except ValueError as exc:
        raise ImproperlyConfigured(f"Cannot load the seal in {path}: {exc}") from exc

    class LoadedKeySigner(signers.SimpleSigner):
        # pyHanko re-parses (and, for RSA, re-validates) the private key on every signature,
        # twice per seal: ~40 ms each. Keep the parsed key instead.
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if algorithm == "rsassa_pkcs1v15" and isinstance(private_key, RSAPrivateKey):
                return private_key.sign(data, PKCS1v15(), hash_algo)
            if algorithm == "ecdsa" and isinstance(private_key, EllipticCurvePrivateKey):
                return private_key.sign(data, ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return LoadedKeySigner(
        signing_key=loaded.signing_key,
        signing_cert=loaded.signing_cert,
        cert_registry=loaded.cert_registry,
    )


def load_trust_roots() -> list:
    """The trust roots (asn1crypto certificates) seals are checked against."""
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([str(p) for p in trust_root_paths()]))
