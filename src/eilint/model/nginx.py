"""nginx directives with their own file and line, includes already inlined."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Mapping

from msgspec import Struct
from msgspec import field

from eilint.findings import Location


class Directive(Struct, frozen=True):
    """One directive; ``block`` is None for simple directives.

    An ``include`` keeps its own entry and its included directives follow it as
    ``block`` children, each carrying the location of the file it came from.
    """

    name: str
    args: tuple[str, ...]
    where: Location
    block: tuple[Directive, ...] | None = None

    def children(self, name: str | None = None) -> Iterator[Directive]:
        """Yield direct children (looking through includes), optionally by name."""
        for child in _flatten(self.block or ()):
            if name is None or child.name == name:
                yield child

    def first(self, name: str) -> Directive | None:
        """Return the first direct child with this name."""
        return next(self.children(name), None)


def _flatten(directives: tuple[Directive, ...]) -> Iterator[Directive]:
    for d in directives:
        if d.name == "include":
            yield from _flatten(d.block or ())
        else:
            yield d


# Directives naming a certificate or key file that nginx opens at start-up.
CERT_DIRECTIVES = frozenset(
    {
        "ssl_certificate",
        "ssl_certificate_key",
        "ssl_trusted_certificate",
        "ssl_client_certificate",
        "ssl_dhparam",
        "proxy_ssl_certificate",
        "proxy_ssl_certificate_key",
        "proxy_ssl_trusted_certificate",
    }
)


class NginxConfig(Struct, frozen=True):
    """The nginx tree: main file, top-level directives (includes inlined), files.

    ``referenced`` maps a certificate/key path as written in the config to
    whether the tree holds that file; paths whose directory the tree does not
    hold (a copy without ``ssl/``, an ``nginx -T`` dump) have no entry.
    """

    main: str
    directives: tuple[Directive, ...]
    files: tuple[str, ...]
    referenced: Mapping[str, bool] = field(default_factory=dict)

    def top(self, name: str | None = None) -> Iterator[Directive]:
        """Yield top-level directives (looking through includes)."""
        for d in _flatten(self.directives):
            if name is None or d.name == name:
                yield d


def listen_port(listen: Directive) -> int | None:
    """Return the port a ``listen`` directive names (``[addr:]port``), if any."""
    tail = listen.args[0].rsplit(":", 1)[-1] if listen.args else ""
    return int(tail) if tail.isdigit() else None


def walk(
    directives: tuple[Directive, ...], ancestors: tuple[Directive, ...] = ()
) -> Iterator[tuple[tuple[Directive, ...], Directive]]:
    """Yield ``(ancestors, directive)`` depth-first; includes are transparent."""
    for d in _flatten(directives):
        yield ancestors, d
        if d.block is not None:
            yield from walk(d.block, (*ancestors, d))


class Address(Struct, frozen=True):
    """A ``host:port`` an upstream server or a ``proxy_pass`` points at."""

    host: str
    port: int | None

    def label(self) -> str:
        """Render ``host:port`` (IPv6 in brackets), as nginx writes it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"


class UpstreamServer(Struct, frozen=True):
    """One ``server`` line of an upstream block."""

    address: Address | None
    directive: Directive


class Upstream(Struct, frozen=True):
    """An ``upstream NAME { ... }`` block with its servers and balancing method."""

    name: str
    directive: Directive
    servers: tuple[UpstreamServer, ...]
    balancing: tuple[Directive, ...]


class ProxyPass(Struct, frozen=True):
    """A ``proxy_pass`` with its enclosing blocks; ``host`` may name an upstream."""

    scheme: str
    address: Address
    directive: Directive
    ancestors: tuple[Directive, ...]


# Directives that choose the upstream server per client or key.
BALANCING = frozenset(
    {"ip_hash", "hash", "sticky", "least_conn", "random", "least_time", "ntlm"}
)
_HOST_PORT = re.compile(r"^(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?$")
_URL = re.compile(r"^(https?)://(\[[^\]]+\]|[^:/?]+)(?::(\d{1,5}))?")


def parse_address(text: str, default_port: int | None = None) -> Address | None:
    """Read ``host[:port]`` (IPv6 in brackets); None for unix sockets and junk."""
    match = _HOST_PORT.match(text)
    if text.startswith("unix:") or match is None or "$" in text:
        return None
    port = int(match.group(2)) if match.group(2) else default_port
    return Address(match.group(1).strip("[]").lower(), port)


def upstreams(config: NginxConfig) -> tuple[Upstream, ...]:
    """Return every ``upstream`` block of the http context, in file order."""
    found = []
    for ancestors, d in walk(config.directives):
        # stream {} upstreams are TCP pools, not the HTTP load balancer's.
        in_http = bool(ancestors) and ancestors[-1].name == "http"
        if d.name == "upstream" and d.args and d.block is not None and in_http:
            servers = tuple(
                UpstreamServer(parse_address(s.args[0], 80) if s.args else None, s)
                for s in d.children("server")
            )
            balancing = tuple(c for c in d.children() if c.name in BALANCING)
            found.append(Upstream(d.args[0], d, servers, balancing))
    return tuple(found)


def proxy_passes(config: NginxConfig) -> tuple[ProxyPass, ...]:
    """Return every ``proxy_pass`` with an http(s) URL and a literal host."""
    found = []
    for ancestors, d in walk(config.directives):
        match = _URL.match(d.args[0]) if d.name == "proxy_pass" and d.args else None
        if match is None or "$" in match.group(2):
            continue
        scheme = match.group(1)
        port = int(match.group(3)) if match.group(3) else None
        address = Address(match.group(2).strip("[]").lower(), port)
        found.append(ProxyPass(scheme, address, d, ancestors))
    return tuple(found)


def servers(config: NginxConfig) -> tuple[Directive, ...]:
    """Return every ``server`` block (virtual host) of the http context."""
    return tuple(
        d
        for ancestors, d in walk(config.directives)
        if d.name == "server"
        and d.block is not None
        and ancestors
        and ancestors[-1].name == "http"
    )


def server_names(server: Directive) -> tuple[str, ...]:
    """Return the names of a virtual host (``server_name`` arguments)."""
    return tuple(a.lower() for d in server.children("server_name") for a in d.args)


def enclosing_server(ancestors: tuple[Directive, ...]) -> Directive | None:
    """Return the innermost ``server`` block among the ancestors."""
    return next((a for a in reversed(ancestors) if a.name == "server"), None)
