"""NGX: the nginx load balancer on its own (see rules/nginx.yaml)."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.loader import _problems_of as problems_of
from eilint.findings import Hit
from eilint.model.cluster import Cluster
from eilint.model.edge import EdgeFacts
from eilint.model.edge import edge_facts
from eilint.model.edge import in_cluster_server
from eilint.model.edge import server_key
from eilint.model.nginx import CERT_DIRECTIVES
from eilint.model.nginx import Directive
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import listen_port
from eilint.model.nginx import proxy_passes
from eilint.model.nginx import server_names
from eilint.model.nginx import servers
from eilint.model.nginx import upstreams
from eilint.model.nginx import walk

# What EI needs to know about the original request: the Host the client used and
# where it came from. The guide also sets X-Forwarded-Host, redundant once Host is
# passed on, so it is not required.
REQUIRED_HEADERS = ("Host", "X-Forwarded-For")
AFFINITY = ("ip_hash", "hash", "sticky")
# Hash keys that stay the same for one client (its address or session cookie).
CLIENT_KEYS = (
    "$remote_addr",
    "$binary_remote_addr",
    "$cookie_",
    "$http_x_forwarded_for",
)


def upstream_defined_twice(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag every ``upstream`` block whose name an earlier one already used."""
    if cluster.nginx is None:
        return
    first: dict[str, Directive] = {}
    for up in upstreams(cluster.nginx):
        # nginx compares upstream names case-insensitively.
        earlier = first.setdefault(up.name.lower(), up.directive)
        if earlier is not up.directive:
            message = (
                f'upstream "{up.name}" is already defined at '
                f"{earlier.where.label()}; nginx refuses to start"
            )
            yield Hit(message, up.directive.where, (earlier.where,))


def ssl_on_directive(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag ``ssl on;``, deprecated since nginx 1.15.0 and removed in 1.25.1."""
    if cluster.nginx is None:
        return
    for _, d in walk(cluster.nginx.directives):
        if d.name == "ssl" and d.args and d.args[0].lower() == "on":
            message = (
                '"ssl on" is deprecated (nginx 1.15.0) and removed in 1.25.1, '
                'where nginx no longer starts; use "listen 443 ssl"'
            )
            yield Hit(message, d.where)


def _scope(cluster: Cluster) -> EdgeFacts | None:
    """Return what routes to the cluster, None to judge all (no node given)."""
    return edge_facts(cluster) if cluster.nodes else None


def _headers(block: Directive) -> set[str] | None:
    found = list(block.children("proxy_set_header"))
    if not found:
        return None
    return {d.args[0].lower() for d in found if d.args}


def _effective_headers(ancestors: tuple[Directive, ...], block: Directive) -> set[str]:
    # nginx inherits proxy_set_header from the enclosing level only when the
    # current level sets none at all: one header in a location drops the rest.
    for level in (block, *reversed(ancestors)):
        headers = _headers(level)
        if headers is not None:
            return headers
    return set()


def proxy_headers_missing(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag proxied locations that do not pass Host and X-Forwarded-* on."""
    if cluster.nginx is None:
        return
    seen: set[int] = set()
    facts = _scope(cluster)
    for proxy in proxy_passes(cluster.nginx):
        if not proxy.ancestors or id(proxy.ancestors[-1]) in seen:
            continue
        if facts is not None and not in_cluster_server(facts, proxy.ancestors):
            continue  # another site of a shared load balancer
        seen.add(id(proxy.ancestors[-1]))
        have = _effective_headers(proxy.ancestors[:-1], proxy.ancestors[-1])
        missing = [h for h in REQUIRED_HEADERS if h.lower() not in have]
        if missing:
            message = (
                f"proxied location does not set {', '.join(missing)} "
                "(proxy_set_header); EI sees the load balancer instead of the client"
            )
            yield Hit(message, proxy.directive.where)


def certificate_file_missing(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag certificate/key paths whose directory the tree holds but not the file."""
    if cluster.nginx is None:
        return
    for _, d in walk(cluster.nginx.directives):
        exists = cluster.nginx.referenced.get(d.args[0]) if d.args else None
        if d.name in CERT_DIRECTIVES and exists is False:
            message = (
                f"{d.name} {d.args[0]} does not exist in the nginx tree; "
                "nginx refuses to start"
            )
            yield Hit(message, d.where)


def _listens_tls(server: Directive) -> bool:
    ssl = server.first("ssl")
    return ssl is not None and bool(ssl.args) and ssl.args[0].lower() == "on"


def listen_443_without_ssl(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag ``listen 443`` with neither the ``ssl`` parameter nor ``ssl on``."""
    if cluster.nginx is None:
        return
    facts = _scope(cluster)
    for server in servers(cluster.nginx):
        if _listens_tls(server):
            continue  # TLS through "ssl on" (NGX002 reports that)
        if facts is not None and server_key(server) not in facts.servers:
            continue  # another site of a shared load balancer
        for listen in server.children("listen"):
            if listen_port(listen) == 443 and "ssl" not in listen.args[1:]:
                name = ", ".join(server_names(server)) or "(no server_name)"
                message = (
                    f"server {name} listens on 443 without ssl: nginx speaks plain "
                    'HTTP there; write "listen 443 ssl"'
                )
                yield Hit(message, listen.where)


def _keeps_client(balancing: Directive) -> bool:
    if balancing.name != "hash":
        return balancing.name in AFFINITY
    # hash keeps a client on one node only when its key is the client's:
    # "hash $request_uri" spreads one user's requests over every node.
    key = balancing.args[0] if balancing.args else ""
    return any(v in key for v in CLIENT_KEYS)


def _method(balancing: Directive) -> str:
    return " ".join((balancing.name, *balancing.args))


def _https_upstream_names(config: NginxConfig) -> set[str]:
    return {p.address.host for p in proxy_passes(config) if p.scheme == "https"}


def https_upstream_without_affinity(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Flag upstreams proxied over HTTPS that balance without session affinity."""
    if cluster.nginx is None:
        return
    https = _https_upstream_names(cluster.nginx)
    facts = _scope(cluster)
    for up in upstreams(cluster.nginx):
        if up.name.lower() not in https or len(up.servers) < 2:
            continue
        if facts is not None and up.name.lower() not in facts.upstreams:
            continue  # another application's pool on a shared load balancer
        if not any(_keeps_client(b) for b in up.balancing):
            method = _method(up.balancing[0]) if up.balancing else "round-robin"
            message = (
                f'HTTPS upstream "{up.name}" balances {method} without session '
                "affinity; console and HumanTask sessions break across nodes "
                "(use ip_hash, hash $remote_addr consistent, or sticky)"
            )
            yield Hit(message, up.directive.where)


CHECKS: dict[str, Check] = {
    "NGX001": upstream_defined_twice,
    "NGX002": ssl_on_directive,
    "NGX003": proxy_headers_missing,
    "NGX004": certificate_file_missing,
    "NGX005": listen_443_without_ssl,
    "NGX006": https_upstream_without_affinity,
    # The loader checks directives as it reads them (it holds crossplane).
    "NGX007": problems_of("NGX007"),
    "NGX008": problems_of("NGX008"),
}
