"""Demo seal certificates: a lender key, a self-signed demo CA and the seal certificate it issues.

Production deployments use a qualified seal certificate from a trust service provider instead;
the paths come from settings (``GUICHET_SEAL_KEY``, ``GUICHET_SEAL_CERT``, ``GUICHET_SEAL_CA``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class SealFiles:
    key: Path
    cert: Path
    ca: Path


def _name(common_name: str, organisation: str, country: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_demo_certificates(
    *, directory: Path, organisation: str, country: str = "FR", years: int = 5
) -> SealFiles:
    """Write ``seal-key.pem``, ``seal-cert.pem`` and ``ca-cert.pem`` under ``directory`` (mode 0600 key)."""
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    until = now + dt.timedelta(days=365 * years)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{organisation} — autorité de démonstration", organisation, country)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    seal_key = ec.generate_private_key(ec.SECP256R1())
    seal_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{organisation} — cachet électronique", organisation, country))
        .issuer_name(ca_name)
        .public_key(seal_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # digitalSignature + contentCommitment (non-repudiation): pyHanko's validator requires the latter.
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(seal_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = SealFiles(
        key=directory / "seal-key.pem", cert=directory / "seal-cert.pem", ca=directory / "ca-cert.pem"
    )
    files.key.write_bytes(_pem_key(seal_key))
    files.key.chmod(0o600)
    files.cert.write_bytes(seal_cert.public_bytes(serialization.Encoding.PEM))
    files.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return files
