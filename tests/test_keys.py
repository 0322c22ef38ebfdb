"""Key size reading: PEM flavours, JKS chains, junk, and the tree boundary."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from eilint.loaders.keys import find_in_tree
from eilint.loaders.keys import keystore_size
from eilint.loaders.keys import pem_key_size
from tests.keygen import build_jks
from tests.keygen import generate

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="openssl is not installed"
)


@pytest.mark.parametrize(
    ("kind", "bits", "want"),
    [
        ("rsa", 1024, ("ok", "RSA", 1024)),
        ("rsa", 2048, ("ok", "RSA", 2048)),
        ("ec", 256, ("ok", "EC", 256)),
        ("rsa-des3", 1024, ("encrypted", None, None)),
    ],
)
def test_pem_sizes(tmp_path: Path, kind: str, bits: int, want: tuple) -> None:
    path = tmp_path / "k.pem"
    generate(path, kind, bits)
    assert pem_key_size(path.read_bytes()) == want


def test_traditional_rsa_and_key_after_certificate(tmp_path: Path) -> None:
    key = tmp_path / "k.pem"
    cmd = ["openssl", "genrsa", "-traditional", "-out", str(key), "1024"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    text = key.read_bytes()
    assert text.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    bundle = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + text
    assert pem_key_size(bundle) == ("ok", "RSA", 1024)


def test_jks_size_comes_from_the_certificate_chain(tmp_path: Path) -> None:
    path = tmp_path / "ks.jks"
    generate(path, "jks-rsa", 1024)
    assert keystore_size(path.read_bytes()) == ("ok", "RSA", 1024)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a key at all",
        b"-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
    ],
)
def test_junk_pem_is_unsupported(data: bytes) -> None:
    assert pem_key_size(data)[0] == "unsupported"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        struct.pack(">III", 0xFEEDFEED, 2, 0x7FFFFFFF),  # a huge count, no entries
        build_jks(b"\x30\x82\xff\xff")[:-20],  # a certificate that is not one
        b"0\x82\x05\x00" + bytes(64),  # PKCS#12-like DER
    ],
)
def test_junk_keystores_are_unsupported(data: bytes) -> None:
    assert keystore_size(data)[0] == "unsupported"


def test_find_in_tree_maps_absolute_paths_by_their_tail(tmp_path: Path) -> None:
    (tmp_path / "ssl").mkdir()
    (tmp_path / "ssl/server.key").write_text("x")
    assert (
        find_in_tree("/etc/nginx/ssl/server.key", tmp_path)
        == tmp_path / "ssl/server.key"
    )
    assert find_in_tree("ssl/server.key", tmp_path) == tmp_path / "ssl/server.key"
    assert find_in_tree("$ssl_key", tmp_path) is None
    assert find_in_tree("engine:pkcs11:key", tmp_path) is None


def test_find_in_tree_refuses_links_out_of_the_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside.key"
    outside.write_text("x")
    tree = tmp_path / "tree"
    (tree / "ssl").mkdir(parents=True)
    (tree / "ssl/server.key").symlink_to(outside)
    assert find_in_tree("/etc/nginx/ssl/server.key", tree) is None
