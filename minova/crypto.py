"""Key pairs: generating them and fingerprinting imported ones, with the
``cryptography`` package, in the formats Nova uses (an OpenSSH public key
and a PEM private key for ``ssh``; a self-signed PEM certificate for
``x509``)."""

from __future__ import annotations

import base64
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import oid

from minova import exception

SSH = "ssh"
X509 = "x509"
TYPES = (SSH, X509)

_RSA_BITS = 2048


def _colons(digest: bytes) -> str:
    return ":".join("%02x" % byte for byte in digest)


def ssh_fingerprint(public_key: str) -> str:
    """The MD5 fingerprint OpenSSH shows (``ssh-keygen -l -E md5``);
    ``InvalidKeypair`` if the text is not an OpenSSH public key."""
    try:
        serialization.load_ssh_public_key(public_key.strip().encode())
        blob = base64.b64decode(public_key.split()[1], validate=True)
    # ValueError, IndexError, binascii.Error, UnsupportedAlgorithm...:
    # whatever the parser trips on, the key is not one.
    except Exception as exc:  # noqa: BLE001
        raise exception.InvalidKeypair(
            reason="failed to generate fingerprint") from exc
    return _colons(hashlib.md5(blob, usedforsecurity=False).digest())


def x509_fingerprint(certificate: str) -> str:
    """The SHA-1 fingerprint of a PEM certificate, as Nova shows it."""
    try:
        cert = x509.load_pem_x509_certificate(certificate.encode())
    except (ValueError, UnicodeError) as exc:
        raise exception.InvalidKeypair(
            reason="failed to generate X509 fingerprint") from exc
    return _colons(cert.fingerprint(hashes.SHA1()))  # noqa: S303 - Nova's


def fingerprint(key_type: str, public_key: str) -> str:
    if key_type == X509:
        return x509_fingerprint(public_key)
    return ssh_fingerprint(public_key)


def generate(key_type: str, name: str) -> tuple[str, str, str]:
    """A new key pair: (private key PEM, public key, fingerprint)."""
    key = rsa.generate_private_key(public_exponent=65537,
                                   key_size=_RSA_BITS)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()
    if key_type == X509:
        public = _certificate(key, name)
    else:
        public = key.public_key().public_bytes(
            serialization.Encoding.OpenSSH,
            serialization.PublicFormat.OpenSSH).decode() \
            + " Generated-by-Nova"
    return private, public, fingerprint(key_type, public)


def _certificate(key: rsa.RSAPrivateKey, name: str) -> str:
    subject = x509.Name([x509.NameAttribute(oid.NameOID.COMMON_NAME,
                                            name[:64])])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()
