"""Generate throw-away private keys at test time (never committed) with openssl.

Fixture cases that need key files list them in ``generate-keys.yaml``; the case
is copied to a temporary directory and the keys are created there.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

SPEC = "generate-keys.yaml"
PASSPHRASE = "pass:eilint-test-only"


def _openssl(*args: str | Path) -> None:
    subprocess.run(
        ["openssl", *map(str, args)], check=True, capture_output=True, timeout=120
    )


def build_jks(cert_der: bytes, alias: str = "wso2carbon") -> bytes:
    """Return a JKS (v2) with one private-key entry whose chain is ``cert_der``.

    The protected key blob is filler: eilint reads only the certificate chain.
    """
    name = alias.encode()
    out = struct.pack(">III", 0xFEEDFEED, 2, 1)
    out += struct.pack(">IH", 1, len(name)) + name + struct.pack(">Q", 0)
    out += struct.pack(">I", 16) + bytes(16) + struct.pack(">I", 1)
    out += struct.pack(">H", 5) + b"X.509" + struct.pack(">I", len(cert_der))
    return out + cert_der + bytes(20)  # trailing keyed digest, unchecked


def generate(path: Path, kind: str, bits: int = 2048) -> None:
    """Create one key file: rsa, rsa-des3 (the guide's command), ec or jks-rsa."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "rsa":
        _openssl("genrsa", "-out", path, str(bits))
    elif kind == "rsa-des3":
        _openssl(
            "genrsa", "-des3", "-traditional", "-passout", PASSPHRASE,
            "-out", path, str(bits),
        )  # fmt: skip
    elif kind == "ec":
        _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path)
    elif kind == "jks-rsa":
        key, der = path.with_suffix(".tmp.key"), path.with_suffix(".tmp.der")
        _openssl("genrsa", "-out", key, str(bits))
        _openssl(
            "req", "-x509", "-key", key, "-subj", "/CN=eilint-test", "-days", "1",
            "-outform", "DER", "-out", der,
        )  # fmt: skip
        path.write_bytes(build_jks(der.read_bytes()))
        key.unlink()
        der.unlink()
    else:
        raise ValueError(kind)


def materialise(case: Path, tmp: Path) -> Path:
    """Return the case itself, or a copy with its generated keys when it needs some."""
    spec = case / SPEC
    if not spec.is_file():
        return case
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    work = tmp / case.parent.name / case.name
    shutil.copytree(case, work)
    for item in YAML(typ="safe").load(spec.read_text()) or []:
        generate(work / item["path"], item["kind"], int(item.get("bits", 2048)))
    return work
