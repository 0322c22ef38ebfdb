"""Read the type and size of private keys that nginx and keystore settings reference.

No dependency: PEM keys (PKCS#1, PKCS#8, SEC1, DSA) and Java KeyStores (JKS,
JCEKS: the certificate chains are stored unencrypted) are read with a small DER
walker. Encrypted PEM keys and PKCS#12 stores are reported as "cannot tell".
Only files inside the tree the user gave are read, and only the kind and bit
size leave this module: never key material.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import struct
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

from eilint.findings import Location
from eilint.loaders.files import Unreadable
from eilint.loaders.files import display_path
from eilint.loaders.files import inside
from eilint.loaders.files import read_bytes
from eilint.model.cluster import Node
from eilint.model.keys import KeyFacts
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import walk

MAX_KEY_BYTES = 1024 * 1024
_PEM = re.compile(
    rb"-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----(.*?)"
    rb"-----END \1-----",
    re.DOTALL,
)
# Traditional (PKCS#1/SEC1) PEM encryption is announced in a header line.
_PROC_ENCRYPTED = re.compile(rb"Proc-Type:\s*4,\s*ENCRYPTED")
_RSA = bytes.fromhex("2a864886f70d010101")
_EC = bytes.fromhex("2a8648ce3d0201")
_DSA = bytes.fromhex("2a8648ce380401")
_EDWARDS = {bytes.fromhex("2b6570"): 256, bytes.fromhex("2b6571"): 456}
_CURVES = {
    bytes.fromhex("2a8648ce3d030101"): 192,
    bytes.fromhex("2b81040021"): 224,
    bytes.fromhex("2a8648ce3d030107"): 256,
    bytes.fromhex("2b81040022"): 384,
    bytes.fromhex("2b81040023"): 521,
}
Size = tuple[str, int | None]  # (kind, bits); bits None when the kind is unknown
_Tlv = tuple[int, int, int]  # tag, content start, content end
_Reader = Callable[[bytes], tuple[str, str | None, int | None]]


class _Bad(Exception):
    """Not the DER structure expected."""


def _tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """Return (tag, content start, content end) of the DER element at ``pos``."""
    if pos + 2 > len(data):
        raise _Bad("truncated")
    tag, length = data[pos], data[pos + 1]
    start = pos + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or start + count > len(data):
            raise _Bad("bad length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    if start + length > len(data):
        raise _Bad("truncated")
    return tag, start, start + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    while start < end:
        item = _tlv(data, start)
        items.append(item)
        start = item[2]
    return items


def _int_bits(data: bytes, item: tuple[int, int, int]) -> int:
    if item[0] != 0x02:
        raise _Bad("not an INTEGER")
    return int.from_bytes(data[item[1] : item[2]], "big").bit_length()


def _algorithm(data: bytes, alg: _Tlv) -> tuple[bytes, list[_Tlv]]:
    parts = _children(data, alg[1], alg[2])
    if not parts or parts[0][0] != 0x06:
        raise _Bad("no algorithm OID")
    return data[parts[0][1] : parts[0][2]], parts[1:]


def _params_size(data: bytes, oid: bytes, params: list[_Tlv]) -> Size | None:
    if oid == _EC and params and params[0][0] == 0x06:
        return "EC", _CURVES.get(data[params[0][1] : params[0][2]])
    if oid == _DSA and params and params[0][0] == 0x30:
        return "DSA", _int_bits(data, _children(data, params[0][1], params[0][2])[0])
    if oid in _EDWARDS:
        return "EdDSA", _EDWARDS[oid]
    return None


def _rsa_private(data: bytes) -> Size:
    seq = _tlv(data, 0)
    return "RSA", _int_bits(data, _children(data, seq[1], seq[2])[1])


def _pkcs8(data: bytes) -> Size:
    seq = _tlv(data, 0)
    parts = _children(data, seq[1], seq[2])
    oid, params = _algorithm(data, parts[1])
    if oid == _RSA:
        return _rsa_private(data[parts[2][1] : parts[2][2]])
    return _params_size(data, oid, params) or ("unknown", None)


def _sec1(data: bytes) -> Size:
    seq = _tlv(data, 0)
    for tag, start, _end in _children(data, seq[1], seq[2]):
        if tag == 0xA0:
            oid = _tlv(data, start)
            return "EC", _CURVES.get(data[oid[1] : oid[2]])
    return "EC", None


def _dsa_private(data: bytes) -> Size:
    seq = _tlv(data, 0)
    return "DSA", _int_bits(data, _children(data, seq[1], seq[2])[1])


_PEM_READERS = {
    b"RSA PRIVATE KEY": _rsa_private,
    b"PRIVATE KEY": _pkcs8,
    b"EC PRIVATE KEY": _sec1,
    b"DSA PRIVATE KEY": _dsa_private,
}


def pem_key_size(text: bytes) -> tuple[str, str | None, int | None]:
    """Return (status, kind, bits) of the first private key in a PEM file."""
    match = _PEM.search(text)
    if match is None:
        return "unsupported", None, None
    label, body = match.group(1), match.group(2)
    if label == b"ENCRYPTED PRIVATE KEY" or _PROC_ENCRYPTED.search(body):
        return "encrypted", None, None
    try:
        der = base64.b64decode(re.sub(rb"\s+", b"", body), validate=True)
        kind, bits = _PEM_READERS[label](der)
    except (_Bad, binascii.Error, IndexError, ValueError):
        return "unsupported", None, None
    return ("ok", kind, bits) if bits else ("unsupported", kind, None)


def _spki_size(cert: bytes) -> Size:
    """Return the public key's size from an X.509 certificate (DER)."""
    outer = _tlv(cert, 0)
    tbs = _tlv(cert, outer[1])
    fields = _children(cert, tbs[1], tbs[2])
    if fields and fields[0][0] == 0xA0:
        fields = fields[1:]  # explicit version
    spki = fields[5]  # serial, signature, issuer, validity, subject, SPKI
    alg, bitstring = _children(cert, spki[1], spki[2])[:2]
    oid, params = _algorithm(cert, alg)
    if oid == _RSA:
        key = _tlv(cert, bitstring[1] + 1)  # skip the unused-bits byte
        return "RSA", _int_bits(cert, _children(cert, key[1], key[2])[0])
    return _params_size(cert, oid, params) or ("unknown", None)


def _utf(data: bytes, pos: int) -> int:
    (length,) = struct.unpack_from(">H", data, pos)
    return pos + 2 + int(length)


def _certificate(data: bytes, pos: int, version: int) -> tuple[bytes, int]:
    if version == 2:
        pos = _utf(data, pos)  # certificate type, "X.509"
    (length,) = struct.unpack_from(">I", data, pos)
    return data[pos + 4 : pos + 4 + length], pos + 4 + length


def jks_key_sizes(data: bytes) -> Iterator[Size]:
    """Yield the size of each private-key entry's leaf certificate in a JKS/JCEKS."""
    magic, version, count = struct.unpack_from(">III", data, 0)
    if magic not in (0xFEEDFEED, 0xCECECECE):
        raise _Bad("not a Java KeyStore")
    pos = 12
    for _ in range(count):
        (tag,) = struct.unpack_from(">I", data, pos)
        pos = _utf(data, pos + 4) + 8  # alias, timestamp
        if tag == 1:
            (length,) = struct.unpack_from(">I", data, pos)
            pos += 4 + length  # the protected key: never decrypted
            (chain,) = struct.unpack_from(">I", data, pos)
            pos += 4
            for index in range(chain):
                cert, pos = _certificate(data, pos, version)
                if index == 0:
                    yield _spki_size(cert)
        elif tag == 2:
            _cert, pos = _certificate(data, pos, version)
        else:
            return  # JCEKS secret keys are serialized Java objects: stop here


def keystore_size(data: bytes) -> tuple[str, str | None, int | None]:
    """Return (status, kind, bits) of the weakest private key in a keystore."""
    try:
        sizes = [s for s in jks_key_sizes(data) if s[1] is not None]
    except (_Bad, struct.error, IndexError, ValueError):
        return "unsupported", None, None  # PKCS#12 and anything else
    if not sizes:
        return "unsupported", None, None
    kind, bits = min(sizes, key=lambda s: (s[0] != "RSA", s[1] or 0))
    return "ok", kind, bits


def find_in_tree(reference: str, root: Path) -> Path | None:
    """Map a configured path onto the given tree.

    Relative paths are taken from ``root``; absolute ones (``/etc/nginx/ssl/k``)
    are tried with ever fewer leading parts (``ssl/k``, then ``k``), since a
    copied tree keeps the layout below the original prefix. Only regular files
    whose real path stays inside ``root`` count.
    """
    parts = Path(reference).parts
    if not parts or "$" in reference or ":" in parts[0]:
        return None  # variables, engine:/data: keys
    tails = [parts] if not Path(reference).is_absolute() else []
    tails += [parts[i:] for i in range(1, len(parts))]
    for tail in tails:
        candidate = root.joinpath(*tail)
        if os.path.isfile(candidate) and inside(candidate, root):
            return candidate
    return None


def _facts(
    owner: str, reference: str, where: Location, path: Path, reader: _Reader
) -> KeyFacts:
    try:
        status, kind, bits = reader(read_bytes(path, MAX_KEY_BYTES))
    except Unreadable:
        status, kind, bits = "unsupported", None, None
    return KeyFacts(owner, reference, where, display_path(path), status, kind, bits)


def nginx_keys(config: NginxConfig, root: Path) -> list[KeyFacts]:
    """Return facts for every ``ssl_certificate_key`` found inside the nginx tree."""
    found = []
    for _ancestors, directive in walk(config.directives):
        if directive.name != "ssl_certificate_key" or not directive.args:
            continue
        path = find_in_tree(directive.args[0], root)
        if path is not None:
            found.append(
                _facts("nginx", directive.args[0], directive.where, path, pem_key_size)
            )
    return found


# ${carbon.home} is the profile's directory (wso2server.sh sets it), relative to
# EI_HOME; other placeholders are unknown here and their keys are not read.
_CARBON_HOME = "${carbon.home}"
_PROFILE = "wso2/business-process"


def _keystore_refs(node: Node) -> Iterator[tuple[str, Location, str]]:
    """Yield (reference, where, type) for the node's private-key keystores."""
    carbon = node.xml.get("carbon.xml")
    store = carbon.root.find("Security", "KeyStore") if carbon else None
    location = store.find("Location") if store is not None else None
    if store is not None and location is not None and location.stripped():
        kind = (store.child_text("Type") or "JKS").strip().upper()
        yield location.stripped(), location.where, kind
    tomcat = node.xml.get("tomcat/catalina-server.xml")
    for el in tomcat.root.iter() if tomcat else ():
        if el.tag == "Connector" and (el.attr("keystoreFile") or "").strip():
            kind = (el.attr("keystoreType") or "JKS").strip().upper()
            yield (el.attr("keystoreFile") or "").strip(), el.where, kind


def node_keys(node: Node, home: Path) -> list[KeyFacts]:
    """Return facts for the node's keystores that lie inside its EI_HOME."""
    found = []
    for reference, where, kind in _keystore_refs(node):
        rel = reference.replace(_CARBON_HOME, _PROFILE)
        if "${" in rel or "$sys{" in rel:
            continue
        path = find_in_tree(rel, home)
        if path is None:
            continue
        if kind in ("JKS", "JCEKS"):
            found.append(_facts(node.name, reference, where, path, keystore_size))
        else:
            facts = KeyFacts(
                node.name, reference, where, display_path(path), "unsupported"
            )
            found.append(facts)
    return found
