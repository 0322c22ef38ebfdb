"""Facts for the security rules: default credentials and plaintext secrets.

Secret values are compared here and never returned: every fact says *that* a
value is the default (or in plain text) and *where*, not what it is.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from eilint.findings import Location
from eilint.model.cluster import Node
from eilint.model.datasources import datasources
from eilint.model.values import is_placeholder
from eilint.model.xml import XmlElement

USER_MGT = "user-mgt.xml"
CARBON = "carbon.xml"
CATALINA = "tomcat/catalina-server.xml"
# WSO2's published defaults: the stock admin user and the keystore password of
# the wso2carbon.jks every pack ships (its private key is public knowledge).
DEFAULT_ADMIN = ("admin", "admin")
DEFAULT_KEYSTORE_PASSWORD = "wso2carbon"


class SecretAt(Struct, frozen=True):
    """A secret-bearing setting: what it is (for messages) and where."""

    label: str
    where: Location


def vaulted(el: XmlElement) -> bool:
    """Return True when Secure Vault supplies the value (``svns:secretAlias``)."""
    return bool((el.attr("secretAlias") or "").strip())


def _plain(el: XmlElement | None) -> str | None:
    """Return the text EI would use in plain, None when vaulted or a placeholder."""
    if el is None or vaulted(el) or is_placeholder(el.text):
        return None
    return (el.text or "").strip()


def default_admin(node: Node) -> SecretAt | None:
    """Return user-mgt.xml's AdminUser when it is admin with password admin."""
    doc = node.xml.get(USER_MGT)
    admin = doc.root.find("Realm", "Configuration", "AdminUser") if doc else None
    if admin is None:
        return None
    user = _plain(admin.find("UserName"))
    password = admin.find("Password")
    if (user, _plain(password)) != DEFAULT_ADMIN or password is None:
        return None
    return SecretAt("AdminUser", password.where)


def default_keystore_passwords(node: Node) -> Iterator[SecretAt]:
    """Yield carbon.xml and catalina-server.xml keystore passwords still stock."""
    carbon = node.xml.get(CARBON)
    security = carbon.root.find("Security") if carbon else None
    for store, field in (
        ("KeyStore", "Password"),
        ("KeyStore", "KeyPassword"),
        ("TrustStore", "Password"),
    ):
        el = security.find(store, field) if security is not None else None
        if el is not None and _plain(el) == DEFAULT_KEYSTORE_PASSWORD:
            yield SecretAt(f"carbon.xml Security/{store}/{field}", el.where)
    tomcat = node.xml.get(CATALINA)
    for el in tomcat.root.iter() if tomcat else ():
        for attr in ("keystorePass", "truststorePass"):
            value = el.attr(attr)
            if (
                el.tag == "Connector"
                and (value or "").strip() == DEFAULT_KEYSTORE_PASSWORD
            ):
                port = el.attr("port") or "?"
                where = el.attr_where(attr)
                yield SecretAt(f"the port {port} connector's {attr}", where)


def plaintext_db_passwords(node: Node) -> Iterator[tuple[str, str, Location]]:
    """Yield (datasource label, file, where) for non-empty, non-vaulted passwords."""
    for ds in datasources(node):
        el = next((c for c in ds.config_elements if c.tag == "password"), None)
        if el is not None and _plain(el):
            yield ds.label, ds.file, el.where
