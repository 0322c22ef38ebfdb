"""Rules of WSO2's "Clustering the ESB profile" guide that the BPS one lacks.

The concepts both guides share (WKA members, one registry writer, shared
databases, nginx upstreams) are judged by the families' rules for every
profile; these are the integrator's own: its clustering pattern, the Synapse
pass-through transports behind nginx, the console's own virtual host, and the
deployment-synchronisation and task settings every node must agree on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.bps import task_server_facts
from eilint.model.carbon import AXIS2
from eilint.model.carbon import HTTPS_PORT
from eilint.model.carbon import pass_through_ports
from eilint.model.carbon import port_offset
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.clustering import clustering
from eilint.model.clustering import clustering_on
from eilint.model.nginx import NginxConfig
from eilint.model.nginx import ProxyPass
from eilint.model.nginx import enclosing_server
from eilint.model.nginx import listen_port
from eilint.model.nginx import proxy_passes
from eilint.model.nginx import upstreams
from eilint.model.synapse import MESSAGE_PROCESSORS
from eilint.model.values import ignore_case_true
from eilint.model.xml import XmlElement

# Carbon's default when axis2.xml names no clusteringPattern: every node runs
# scheduled tasks (the stock comment and the ESB guide's pattern).
DEFAULT_PATTERN = "nonWorkerManager"
_LISTENERS = {
    "org.apache.synapse.transport.passthru.PassThroughHttpListener": "http",
    "org.apache.synapse.transport.passthru.PassThroughHttpSSLListener": "https",
}
_LB_PORT = {"http": 80, "https": 443}


Odd = tuple[str, str, Location, str, tuple[Location, ...]]


def _odd_ones(seen: dict[str, tuple[str, Location]]) -> Iterator[Odd]:
    """Yield (node, value, where, common value, its places) for the nodes that
    differ from the value most nodes have (the first node's on a tie)."""
    counts = Counter(value for value, _ in seen.values())
    if len(counts) < 2:
        return
    common = counts.most_common(1)[0][0]
    related = tuple(w for v, w in seen.values() if v == common)
    for name, (value, where) in seen.items():
        if value != common:
            yield name, value, where, common, related


def _pattern(node: Node) -> tuple[str, Location] | None:
    facts = clustering(node)
    if facts is None or not clustering_on(node):
        return None
    param = facts.param("clusteringPattern")
    if param is None or param.placeholder:
        return (DEFAULT_PATTERN, facts.where) if param is None else None
    return param.value.strip() or DEFAULT_PATTERN, param.where


def clustering_pattern_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag clustered nodes whose clusteringPattern differs from the others'."""
    seen = {n.name: p for n in cluster.nodes if (p := _pattern(n)) is not None}
    for name, value, where, common, related in _odd_ones(seen):
        message = (
            f"{name} runs clusteringPattern {value}, the other nodes {common}: "
            "the nodes disagree on which of them run scheduled tasks and message "
            "processors"
        )
        hint = f"set clusteringPattern to {common} on every node"
        yield Hit(message, where, related, hint)


def _backend_ports(config: NginxConfig) -> dict[str, set[int]]:
    """Map each upstream name (lowercase) to its servers' ports."""
    return {
        u.name.lower(): {
            s.address.port for s in u.servers if s.address and s.address.port
        }
        for u in upstreams(config)
    }


def _reaches(proxy: ProxyPass, pools: dict[str, set[int]]) -> set[int]:
    if proxy.address.host in pools:
        return pools[proxy.address.host]
    default = 443 if proxy.scheme == "https" else 80
    return {proxy.address.port or default}


def _listens(proxy: ProxyPass) -> dict[int, Location]:
    server = enclosing_server(proxy.ancestors)
    found: dict[int, Location] = {}
    for listen in server.children("listen") if server else ():
        port = listen_port(listen)
        if port is not None:
            found.setdefault(port, listen.where)
    return found


def _fronted(config: NginxConfig, port: int) -> dict[int, Location]:
    """Return the listen ports of the virtual hosts that proxy to ``port``."""
    pools = _backend_ports(config)
    found: dict[int, Location] = {}
    for proxy in proxy_passes(config):
        if port in _reaches(proxy, pools):
            for listen, where in _listens(proxy).items():
                found.setdefault(listen, where)
    return found


def _receivers(node: Node) -> Iterator[tuple[str, XmlElement]]:
    doc = node.xml.get(AXIS2)
    for receiver in doc.root.findall("transportReceiver") if doc else ():
        kind = _LISTENERS.get((receiver.attr("class") or "").strip())
        if kind is not None:
            yield kind, receiver


def _proxy_port(receiver: XmlElement) -> XmlElement | None:
    return next(
        (p for p in receiver.findall("parameter") if p.attr("name") == "proxyPort"),
        None,
    )


def _proxy_port_hit(
    node: Node, kind: str, receiver: XmlElement, fronted: dict[int, Location]
) -> Hit | None:
    param = _proxy_port(receiver)
    text = (param.text or "").strip() if param is not None else ""
    if "$" in text or (text.isdigit() and int(text) in fronted):
        return None
    want = _LB_PORT[kind] if _LB_PORT[kind] in fronted else min(fronted)
    listens = ", ".join(str(p) for p in sorted(fronted))
    where = param.where if param is not None else receiver.where
    said = f"proxyPort {text}" if param is not None else "no proxyPort"
    message = (
        f"the pass-through {kind.upper()} listener of {node.name} has {said}, but "
        f"nginx serves it on port {listens}: the URLs and WSDLs it hands out "
        "name the node's own port, which clients cannot reach"
    )
    hint = f'add <parameter name="proxyPort">{want}</parameter> to the listener'
    return Hit(message, where, tuple(fronted.values()), hint)


def pass_through_proxy_port_missing(
    cluster: Cluster, opts: RuleOptions
) -> Iterator[Hit]:
    """Flag pass-through listeners behind nginx without nginx's port as proxyPort."""
    if cluster.nginx is None:
        return
    for node in cluster.nodes:
        base = pass_through_ports(node)
        offset = port_offset(node)
        if base is None or offset is None or offset.placeholder:
            continue
        ports = {"http": base[0] + offset.value, "https": base[1] + offset.value}
        for kind, receiver in _receivers(node):
            fronted = _fronted(cluster.nginx, ports[kind])
            hit = _proxy_port_hit(node, kind, receiver, fronted) if fronted else None
            if hit is not None:
                yield hit


def console_shares_service_host(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a virtual host proxying to both the services and the console."""
    if cluster.nginx is None:
        return
    service: set[int] = set()
    console: set[int] = set()
    for node in cluster.nodes:
        base, offset = pass_through_ports(node), port_offset(node)
        if base is not None and offset is not None and not offset.placeholder:
            service.update(p + offset.value for p in base)
            console.add(HTTPS_PORT + offset.value)
    pools = _backend_ports(cluster.nginx)
    kinds: dict[Location, tuple[set[str], list[ProxyPass]]] = {}
    for proxy in proxy_passes(cluster.nginx):
        server = enclosing_server(proxy.ancestors)
        reached = _reaches(proxy, pools)
        if server is None:
            continue
        entry = kinds.setdefault(server.where, (set(), []))
        entry[0].update(
            k
            for k, ports in (("service", service), ("console", console))
            if reached & ports
        )
        entry[1].append(proxy)
    for where, (found, proxies) in kinds.items():
        if found == {"service", "console"}:
            message = (
                "one nginx virtual host proxies to both the pass-through service "
                "ports and the management console (servlet HTTPS): the console "
                "needs its own server block (host name, certificate, and a single "
                "node with sessions pinned)"
            )
            hint = "move the console's proxy_pass into a server block of its own"
            yield Hit(message, where, tuple(p.directive.where for p in proxies), hint)


def _sync(node: Node) -> tuple[str, Location] | None:
    doc = node.xml.get("carbon.xml")
    el = doc.root.find("DeploymentSynchronizer") if doc else None
    if doc is None:
        return None
    if el is None:
        return "none", doc.root.where
    enabled = el.find("Enabled")
    if enabled is None:
        return "none", el.where
    if not ignore_case_true((enabled.text or "").strip()):
        return "none", enabled.where
    kind = el.find("RepositoryType")
    text = (kind.text or "").strip() if kind is not None else ""
    where = kind.where if kind is not None else enabled.where
    return f"{text or 'svn'}-based Deployment Synchronizer", where


def deployment_sync_differs(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag nodes synchronising their artifacts otherwise than the others."""
    seen = {n.name: s for n in cluster.nodes if (s := _sync(n)) is not None}
    for name, value, where, common, related in _odd_ones(seen):
        mine = "no Deployment Synchronizer" if value == "none" else value
        theirs = "none" if common == "none" else f"the {common}"
        message = (
            f"{name} uses {mine}, the other nodes {theirs}: one deployment "
            "strategy must feed every node, or nodes serve different artifacts"
        )
        hint = "use one synchronisation strategy (carbon.xml) on every node"
        yield Hit(message, where, related, hint)


def task_server_standalone(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag clustered nodes that run every scheduled task by themselves."""
    clustered = [n for n in cluster.nodes if clustering_on(n)]
    if len(clustered) < 2:
        return
    for node in clustered:
        tasks = task_server_facts(node)
        setting = tasks.mode_setting if tasks else None
        if setting is None or tasks is None or tasks.mode != "STANDALONE":
            continue
        message = (
            f"taskServerMode STANDALONE on clustered node {node.name}: it runs every "
            "scheduled task (and message processor) itself, so each task runs once "
            "per node"
        )
        yield Hit(message, setting.where, hint="set taskServerMode to AUTO")


def _member_counts(node: Node) -> Iterator[tuple[str, int, XmlElement]]:
    for rel, doc in node.extra_xml.items():
        if not rel.startswith(MESSAGE_PROCESSORS) or doc.root.tag != "messageProcessor":
            continue
        for param in doc.root.findall("parameter"):
            text = (param.text or "").strip()
            if param.attr("name") == "member.count" and text.isdigit():
                yield doc.root.attr("name") or rel, int(text), param


def member_count_exceeds_nodes(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag message processors asking for more tasks than there are nodes."""
    clustered = sum(1 for n in cluster.nodes if clustering_on(n))
    if clustered < 2:
        return  # outside a cluster the processor runs one task: the count is unused
    for node in cluster.nodes:
        for name, count, param in _member_counts(node):
            if count > clustered:
                message = (
                    f"message processor {name} asks for member.count {count} tasks, "
                    f"but the cluster has {clustered} clustered nodes: the extra "
                    "tasks run beside others on the same nodes"
                )
                hint = f"set member.count to at most {clustered}"
                yield Hit(message, param.where, hint=hint)


CHECKS: dict[str, Check] = {
    "CLU030": clustering_pattern_mismatch,
    "EDG020": pass_through_proxy_port_missing,
    "EDG021": console_shares_service_host,
    "DEP020": deployment_sync_differs,
    "CLU032": member_count_exceeds_nodes,
    "CLU031": task_server_standalone,
}
