"""Parse JDBC URLs of the databases EI supports into vendor, hosts, database, options.

One function, :func:`parse_jdbc_url`, understands MySQL, MariaDB, PostgreSQL,
Oracle (thin/oci: SID, service and TNS-descriptor forms), MS SQL Server (and
jTDS), DB2 and H2 (embedded file, mem, tcp/ssl server). It never raises: an URL it
cannot read comes back with ``vendor`` set to whatever follows ``jdbc:`` (or None)
and no hosts, and rules then say nothing about it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from msgspec import Struct

DEFAULT_PORTS = {
    "mysql": 3306,
    "mariadb": 3306,
    "postgresql": 5432,
    "oracle": 1521,
    "sqlserver": 1433,
    "db2": 50000,
    "h2": 9092,
}
# The wire protocol (and the server) a vendor name stands for: MariaDB's driver
# speaks to MySQL servers and the other way round.
FAMILY = {"mariadb": "mysql"}
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_SECRET_KEYS = re.compile(r"(?i)((?:^|[?&;:])(?:password|pwd|passwd)=)[^&;]*")


class JdbcUrl(Struct, frozen=True):
    """A parsed JDBC URL.

    ``hosts`` holds ``(host, port)`` pairs with default ports filled in (empty for
    embedded databases); ``database`` is the schema/database/SID/service/path;
    ``mode`` tells forms apart (``file``/``mem``/``tcp``/``ssl`` for H2,
    ``sid``/``service``/``tns`` for Oracle); ``options`` is the property part
    (query string or ``;k=v`` list) as written.
    """

    raw: str
    vendor: str | None
    hosts: tuple[tuple[str, int | None], ...] = ()
    database: str | None = None
    mode: str | None = None
    options: str = ""

    @property
    def host(self) -> str | None:
        """Return the first host, lowercased."""
        return self.hosts[0][0] if self.hosts else None

    @property
    def port(self) -> int | None:
        """Return the first host's port (default port when none is written)."""
        return self.hosts[0][1] if self.hosts else None

    @property
    def family(self) -> str | None:
        """Return the server family: ``mariadb`` URLs reach MySQL-protocol servers."""
        return FAMILY.get(self.vendor or "", self.vendor)

    @property
    def embedded(self) -> bool:
        """Return True for an in-process database (H2 file or mem)."""
        return self.vendor == "h2" and self.mode in ("file", "mem")

    @property
    def local(self) -> bool:
        """Return True when every host is this machine (localhost, 127.x, ::1)."""
        return bool(self.hosts) and all(is_loopback(h) for h, _ in self.hosts)

    @property
    def server(self) -> tuple[str, tuple[tuple[str, int | None], ...]] | None:
        """Return (family, hosts): the database server, or None when embedded."""
        if not self.hosts or self.family is None:
            return None
        return (self.family, self.hosts)

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, int | None], ...], str] | None:
        """Return (family, hosts, database): which database this URL reaches."""
        server = self.server
        if server is None or self.database is None:
            return None
        db = self.database
        # Oracle SIDs/services and SQL Server/DB2 names are case-insensitive.
        if self.family in ("oracle", "sqlserver", "db2"):
            db = db.upper()
        return (*server, db)

    def redacted(self) -> str:
        """Return the URL with any password (and Oracle user/password) masked."""
        text = _SECRET_KEYS.sub(r"\1***", self.raw)
        return re.sub(r"(?i)^(jdbc:oracle:\w+:)[^@/]*/[^@]*@", r"\1***@", text)


def is_loopback(host: str | None) -> bool:
    """Return True for localhost names, 127.0.0.0/8 and ::1."""
    if not host:
        return False
    h = host.split("\\", 1)[0].strip("[]").lower()
    return (
        h in LOOPBACK_NAMES or h.startswith("127.") or h in ("::1", "0:0:0:0:0:0:0:1")
    )


def _host_port(text: str, vendor: str) -> tuple[str, int | None]:
    text = text.strip()
    if text.startswith("["):  # [::1]:3306
        host, _, rest = text[1:].partition("]")
        port_text = rest.lstrip(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    if port_text.isdigit():
        return host.lower(), int(port_text)
    return host.lower(), DEFAULT_PORTS.get(vendor)


def _hosts(text: str, vendor: str) -> tuple[tuple[str, int | None], ...]:
    return tuple(_host_port(h, vendor) for h in text.split(",") if h.strip())


def _split_options(text: str, separators: str) -> tuple[str, str]:
    for i, ch in enumerate(text):
        if ch in separators:
            return text[:i], text[i + 1 :]
    return text, ""


def _url_style(raw: str, vendor: str, rest: str) -> JdbcUrl:
    """``//host[:port][,host2]/database[?options]`` (MySQL, MariaDB, PostgreSQL)."""
    # Sub-protocols such as mysql:loadbalance: or mariadb:replication: come first.
    rest = re.sub(r"^[a-z+]+:(?=//)", "", rest)
    if not rest.startswith("//"):
        # jdbc:postgresql:database means localhost:5432/database.
        db, options = _split_options(rest, "?")
        hosts = (("localhost", DEFAULT_PORTS.get(vendor)),)
        return JdbcUrl(raw, vendor, hosts, db.strip("/") or None, None, options)
    body, options = _split_options(rest[2:], "?")
    authority, _, path = body.partition("/")
    authority = authority.rpartition("@")[2]  # user:password@host
    database = path.strip("/") or None
    return JdbcUrl(raw, vendor, _hosts(authority, vendor), database, None, options)


def _oracle(raw: str, rest: str) -> JdbcUrl:
    # thin:@host:port:SID, thin:@//host:port/service, thin:@host:port/service,
    # thin:user/password@..., thin:@(DESCRIPTION=...), oci:@...
    rest = rest.split(":", 1)[1] if ":" in rest else rest
    target = rest.rpartition("@")[2].strip()
    if target.startswith("("):
        return _oracle_tns(raw, target)
    target = target.removeprefix("//")
    service = re.fullmatch(r"([^:/]+)(?::(\d+))?/([^?]+)(?:\?(.*))?", target)
    if service:
        host, port, name, options = service.groups()
        hosts = ((host.lower(), int(port) if port else 1521),)
        return JdbcUrl(raw, "oracle", hosts, name, "service", options or "")
    sid = re.fullmatch(r"([^:/]+):(\d+):([^?]+)(?:\?(.*))?", target)
    if sid:
        host, port, name, options = sid.groups()
        return JdbcUrl(raw, "oracle", ((host.lower(), int(port)),), name, "sid", "")
    return JdbcUrl(raw, "oracle")


def _oracle_tns(raw: str, descriptor: str) -> JdbcUrl:
    def value(key: str) -> str | None:
        m = re.search(rf"(?i)\(\s*{key}\s*=\s*([^)\s]+)\s*\)", descriptor)
        return m.group(1) if m else None

    hosts = tuple(
        (h.lower(), int(p))
        for h, p in re.findall(
            r"(?i)\(\s*HOST\s*=\s*([^)\s]+)\s*\)\s*\(\s*PORT\s*=\s*(\d+)\s*\)",
            descriptor,
        )
    )
    if not hosts and value("HOST"):
        hosts = (((value("HOST") or "").lower(), 1521),)
    name = value("SERVICE_NAME") or value("SID")
    return JdbcUrl(raw, "oracle", hosts, name, "tns", "")


def _sqlserver(raw: str, rest: str) -> JdbcUrl:
    # //host[\\instance][:port][;databaseName=db;...]
    body, options = _split_options(rest.removeprefix("//"), ";")
    props = _props(options, ";")
    host, _, instance = body.partition("\\")
    name, _, port = instance.partition(":") if instance else ("", "", "")
    hosts = _hosts(body, "sqlserver") if not instance else ()
    if instance:
        # A named instance is its own server; without a port the browser finds it.
        hosts = (
            (f"{host.lower()}\\{name.lower()}", int(port) if port.isdigit() else None),
        )
    database = props.get("databasename") or props.get("database")
    return JdbcUrl(raw, "sqlserver", hosts if host else (), database, None, options)


def _jtds(raw: str, rest: str) -> JdbcUrl:
    # jtds:sqlserver://host[:port][/database][;props]
    _, _, tail = rest.partition(":")
    body, options = _split_options(tail.removeprefix("//"), ";")
    authority, _, db = body.partition("/")
    database = db or _props(options, ";").get("databasename")
    return JdbcUrl(
        raw, "sqlserver", _hosts(authority, "sqlserver"), database, None, options
    )


def _db2(raw: str, rest: str) -> JdbcUrl:
    if not rest.startswith("//"):  # type 2: jdbc:db2:database
        return JdbcUrl(raw, "db2", (), rest.split(":", 1)[0] or None, "local", "")
    authority, _, path = rest[2:].partition("/")
    database, _, options = path.partition(":")
    return JdbcUrl(
        raw, "db2", _hosts(authority, "db2"), database or None, None, options
    )


def _h2(raw: str, rest: str) -> JdbcUrl:
    body, options = _split_options(rest, ";")
    for mode in ("tcp", "ssl"):
        if body.startswith(f"{mode}:"):
            tail = body[len(mode) + 1 :].removeprefix("//")
            authority, _, path = tail.partition("/")
            return JdbcUrl(raw, "h2", _hosts(authority, "h2"), path, mode, options)
    if body.startswith("mem:"):
        return JdbcUrl(raw, "h2", (), body[4:], "mem", options)
    path = body.removeprefix("file:")
    path = re.sub(r"^(split|nio|nioMapped|async|zip|memFS|memLZF):", "", path)
    return JdbcUrl(raw, "h2", (), path, "file", options)


def _props(text: str, sep: str) -> dict[str, str]:
    props: dict[str, str] = {}
    for item in text.split(sep):
        key, eq, value = item.partition("=")
        if eq:
            props[key.strip().lower()] = value.strip()
    return props


# Every rule that compares databases parses the same few URLs per node.
@lru_cache(maxsize=8192)
def parse_jdbc_url(url: str | None) -> JdbcUrl | None:
    """Parse a JDBC URL (surrounding whitespace ignored); None for no URL at all."""
    if url is None or not url.strip():
        return None
    raw = url.strip()
    m = re.match(r"(?i)jdbc:([a-z0-9]+):(.*)\Z", raw, re.DOTALL)
    if not m:
        return JdbcUrl(raw, None)
    vendor, rest = m.group(1).lower(), m.group(2)
    if vendor in ("mysql", "mariadb", "postgresql"):
        return _url_style(raw, vendor, rest)
    parsers = {
        "oracle": _oracle,
        "sqlserver": _sqlserver,
        "jtds": _jtds,
        "db2": _db2,
        "h2": _h2,
    }
    parser = parsers.get(vendor)
    return parser(raw, rest) if parser else JdbcUrl(raw, vendor)
