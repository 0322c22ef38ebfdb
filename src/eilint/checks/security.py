"""SEC: security beyond the guide. No message ever quotes a secret value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.keys import MIN_BITS
from eilint.model.security import default_admin
from eilint.model.security import default_keystore_passwords
from eilint.model.security import plaintext_db_passwords

# HotSpot dropped PermGen in Java 8: -XX:MaxPermSize/-XX:PermSize are ignored.
_PERM_SIZE = re.compile(r"-XX:(?:Max)?PermSize=[^\s\"']*")


def default_admin_credentials(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag user-mgt.xml AdminUser still at WSO2's stock user name and password."""
    for node in cluster.nodes:
        found = default_admin(node)
        if found is not None:
            message = (
                "the AdminUser in user-mgt.xml keeps WSO2's stock user name and "
                "password, so anyone who knows the product can log in to the "
                "management console and the admin services"
            )
            yield Hit(message, found.where)


def default_keystore_password(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag keystore passwords that are still the pack's published default."""
    for node in cluster.nodes:
        for found in default_keystore_passwords(node):
            message = (
                f"{found.label} is the default password of WSO2's shipped keystore: "
                "the keystore is likely the stock one, whose private key is public"
            )
            yield Hit(message, found.where)


def plaintext_db_password(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Note datasource passwords written in plain text (no Secure Vault alias)."""
    for node in cluster.nodes:
        for label, file, where in plaintext_db_passwords(node):
            message = (
                f"the password of datasource {label} in {file} is in plain text; "
                "Secure Vault can keep it out of the file"
            )
            yield Hit(message, where)


def _key_text(reference: str, owner: str) -> str:
    setting = "ssl_certificate_key" if owner == "nginx" else "keystore"
    return f"{setting} {reference}"


def weak_private_key(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag referenced private keys below 2048 bits (RSA/DSA) or 224 bits (EC)."""
    for key in cluster.keys:
        if key.weak:
            floor = MIN_BITS[key.kind or ""]
            message = (
                f"{_key_text(key.reference, key.owner)} holds a {key.bits}-bit "
                f"{key.kind} key ({key.file}), below the {floor}-bit minimum"
            )
            yield Hit(message, key.where)


def private_key_size_unknown(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Note referenced keys whose size eilint cannot read (encrypted, PKCS#12)."""
    for key in cluster.keys:
        if key.status == "ok":
            continue
        why = (
            "the key is encrypted"
            if key.status == "encrypted"
            else "eilint does not read this format (e.g. PKCS#12)"
        )
        message = (
            f"cannot tell the size of {_key_text(key.reference, key.owner)} "
            f"({key.file}): {why}"
        )
        yield Hit(message, key.where)


def maxpermsize_in_start_script(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Note -XX:MaxPermSize/-XX:PermSize in start scripts (ignored on Java 8+)."""
    for node in cluster.nodes:
        for rel in sorted(node.texts):
            for index, line in enumerate(node.texts[rel]):
                match = _PERM_SIZE.search(line)
                if match is None or line.lstrip().startswith("#"):
                    continue
                where = Location(f"{node.root}/{rel}", index + 1, None, node.name)
                message = (
                    f"{match.group(0)} in a start script: Java 8 and later have no "
                    "permanent generation and ignore it (metaspace is unbounded)"
                )
                yield Hit(message, where)


CHECKS: dict[str, Check] = {
    "SEC001": default_admin_credentials,
    "SEC002": default_keystore_password,
    "SEC003": plaintext_db_password,
    "SEC004": weak_private_key,
    "SEC005": private_key_size_unknown,
    "SEC006": maxpermsize_in_start_script,
}
