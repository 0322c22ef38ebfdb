"""DSR: datasources and databases within a node and across nodes."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from collections.abc import Mapping

from msgspec import Struct

from eilint.checks import datasources_shared
from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.checks.crossnode import MAX_RELATED
from eilint.checks.datasources_shared import url_of
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.cluster import Node
from eilint.model.datasources import Datasource
from eilint.model.datasources import DatasourceRef
from eilint.model.datasources import bps_datasource
from eilint.model.datasources import by_jndi
from eilint.model.datasources import datasource_docs
from eilint.model.datasources import datasource_refs
from eilint.model.datasources import datasources
from eilint.model.datasources import parse_datasource
from eilint.model.jdbc import JdbcUrl
from eilint.model.values import datasource_bool
from eilint.model.values import datasource_int
from eilint.model.values import is_placeholder
from eilint.model.xml import XmlDoc
from eilint.model.xml import XmlElement


def bps_autocommit_disabled(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag the BPS datasource when defaultAutoCommit reads as false."""
    for node in cluster.nodes:
        ds, ref = bps_datasource(node)
        value = ds.get("defaultAutoCommit") if ds else None
        if ds is None or value is None or datasource_bool(value.raw) is not False:
            continue
        related = (ref.where,) if ref else ()
        message = (
            f"defaultAutoCommit is {value.raw.strip()!r} on the BPS datasource "
            f"{ds.label}: the BPEL engine's work is rolled back when connections "
            "return to the pool"
        )
        yield Hit(message, value.where, related)


def bps_autocommit_unset(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag the BPS datasource when defaultAutoCommit is absent or unreadable."""
    for node in cluster.nodes:
        ds, ref = bps_datasource(node)
        if ds is None:
            continue
        value = ds.get("defaultAutoCommit")
        related = (ref.where,) if ref else ()
        if value is None:
            message = (
                f"the BPS datasource {ds.label} does not set defaultAutoCommit: "
                "auto-commit then rests on the JDBC driver's default"
            )
            yield Hit(message, ds.where, related)
        elif not value.placeholder and datasource_bool(value.raw) is None:
            message = (
                f"defaultAutoCommit {value.raw!r} on the BPS datasource {ds.label} "
                "is not a value EI reads (lowercase true/false/1/0): it is ignored "
                "and the driver's default applies"
            )
            yield Hit(
                message,
                value.where,
                related,
                hint="write <defaultAutoCommit>true</defaultAutoCommit>",
            )


BPS_FILE = "datasources/bps-datasources.xml"


def jndi_reference_unresolved(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Resolve every JNDI name the node's files use against its datasource files."""
    for node in cluster.nodes:
        if not datasource_docs(node):
            continue  # no datasource file to look in: nothing to say
        table = by_jndi(node)
        # A datasource file the profile ships is absent (EIL030 names it): a
        # name not found may well be defined there.
        labels = {d.label for d in datasources(node) if d.jndi is not None}
        for ref in datasource_refs(node):
            if ref.role == "registry" or ref.name.strip() in table:
                continue
            if is_placeholder(ref.name):
                continue
            if _may_be_in_absent_file(node, ref) and ref.name.strip() not in labels:
                continue  # not a <name> written for the JNDI name: cannot tell
            yield _unresolved(node, ref, table)


def _may_be_in_absent_file(node: Node, ref: DatasourceRef) -> bool:
    """Say whether an absent datasource file (EIL030) may define the name.

    Any datasource can go into master-datasources.xml; the process engine's
    (bpsds) ships in bps-datasources.xml.
    """
    if MASTER not in node.present:
        return True
    return ref.role in ("bpel", "humantask") and BPS_FILE not in node.present


def _unresolved(node: Node, ref: DatasourceRef, table: Mapping[str, Datasource]) -> Hit:
    name = ref.name.strip()
    by_name = {d.label: d for d in datasources(node) if d.jndi is not None}
    files = ", ".join(rel for rel, _ in datasource_docs(node))
    if name in by_name and by_name[name].jndi is not None:
        ds = by_name[name]
        jndi = ds.jndi.value.strip() if ds.jndi else ""
        message = (
            f"{ref.source} names {name!r}, the <name> of a datasource; the lookup "
            f"needs its JNDI name {jndi!r}"
        )
        return Hit(
            message,
            ref.where,
            (ds.jndi.where if ds.jndi else ds.where,),
            f"write {jndi}",
        )
    close = difflib.get_close_matches(name, list(table), n=1, cutoff=0.6)
    message = (
        f"{ref.source} names JNDI datasource {name!r}, which no datasource of "
        f"{node.name} defines (searched {files})"
    )
    if not close:
        return Hit(message, ref.where)
    target = table[close[0]]
    where = target.jndi.where if target.jndi else target.where
    return Hit(message, ref.where, (where,), f"did you mean {close[0]!r}?")


def jndi_name_duplicate(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a JNDI name bound by two datasources of one node (the last wins)."""
    for node in cluster.nodes:
        first: dict[str, Datasource] = {}
        for ds in datasources(node):
            name = ds.jndi.value.strip() if ds.jndi else ""
            if not name:
                continue
            if name in first and ds.jndi is not None:
                other = first[name]
                message = (
                    f"JNDI name {name!r} is bound by {other.label} ({other.file}) and "
                    f"again by {ds.label} ({ds.file}): the last one silently wins"
                )
                yield Hit(message, ds.jndi.where, (_jndi_where(other),))
            first.setdefault(name, ds)


def _jndi_where(ds: Datasource) -> Location:
    return ds.jndi.where if ds.jndi else ds.where


def datasource_name_duplicate(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag a datasource <name> defined twice on one node."""
    for node in cluster.nodes:
        first: dict[str, Datasource] = {}
        for ds in datasources(node):
            if ds.name is None or not ds.name.value.strip():
                continue
            name = ds.name.value.strip()
            if name in first:
                other = first[name]
                message = (
                    f"datasource name {name!r} is defined in {other.file} and again "
                    f"in {ds.file}: Carbon rejects the second definition and its "
                    "JNDI name is never bound"
                )
                yield Hit(
                    message,
                    ds.name.where,
                    (other.name.where if other.name else other.where,),
                )
            first.setdefault(name, ds)


# Jar file name prefixes of each vendor's JDBC driver in <EI_HOME>/lib. H2 is
# bundled with EI as an OSGi bundle, so it needs none.
DRIVER_JARS = {
    "mysql": ("mysql-connector", "mariadb-java-client"),
    "mariadb": ("mariadb-java-client",),
    "postgresql": ("postgresql", "pgjdbc"),
    "oracle": ("ojdbc", "ucp"),
    "sqlserver": ("mssql-jdbc", "sqljdbc", "jtds"),
    "db2": ("db2jcc", "jcc"),
}
# Driver classes that accept each vendor's URLs.
DRIVER_CLASSES = {
    "mysql": (
        "com.mysql.jdbc.Driver",
        "com.mysql.cj.jdbc.Driver",
        "org.mariadb.jdbc.Driver",
    ),
    "mariadb": ("org.mariadb.jdbc.Driver",),
    "postgresql": ("org.postgresql.Driver",),
    "oracle": ("oracle.jdbc.OracleDriver", "oracle.jdbc.driver.OracleDriver"),
    "sqlserver": ("com.microsoft.sqlserver.jdbc.SQLServerDriver",),
    "jtds": ("net.sourceforge.jtds.jdbc.Driver",),
    "db2": ("com.ibm.db2.jcc.DB2Driver",),
    "h2": ("org.h2.Driver",),
}


def _vendor_key(url: JdbcUrl) -> str | None:
    # jTDS URLs parse as sqlserver (same servers) but need jTDS's own driver.
    return "jtds" if url.raw.lower().startswith("jdbc:jtds:") else url.vendor


class _Need(Struct, frozen=True):
    """One driver a node needs: the jar prefixes and the datasources needing it."""

    vendor: str | None
    prefixes: tuple[str, ...]
    users: tuple[tuple[str, Location], ...]

    def hit(self, message: str, hint: str) -> Hit:
        """Return the one finding for this driver: first URL, the others related."""
        first, *rest = (where for _, where in self.users)
        return Hit(message, first, tuple(rest[:MAX_RELATED]), hint)

    def labels(self) -> str:
        """Name the datasources needing the driver (shortened)."""
        names = [label for label, _ in self.users]
        more = len(names) - 3
        return ", ".join(names[:3]) + (f" and {more} more" if more > 0 else "")


def _needs(node: Node) -> list[_Need]:
    """Group the node's datasource URLs by the driver jar they need."""
    found: dict[tuple[str, ...], _Need] = {}
    for ds in datasources(node):
        parsed = url_of(ds)
        key = _vendor_key(parsed[0]) if parsed else None
        prefixes = DRIVER_JARS.get("sqlserver" if key == "jtds" else key or "")
        if parsed is None or not prefixes:
            continue
        need = found.get(prefixes) or _Need(parsed[0].vendor, prefixes, ())
        users = (*need.users, (ds.label, parsed[1]))
        found[prefixes] = _Need(need.vendor, prefixes, users)
    return list(found.values())


def jdbc_driver_missing(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Look for a driver jar in lib/ for every datasource URL's vendor.

    One finding per node and driver (an empty lib/ is one missing jar per
    vendor, not one per datasource), at the first URL, the others related.
    """
    for node in cluster.nodes:
        if node.lib_jars is None:
            continue  # conf-only node, or no lib/: DSR018 compares with peers
        for need in _needs(node):
            if _driver_jar(need, node.lib_jars) is not None:
                continue
            looked = ", ".join(p + "*.jar" for p in need.prefixes)
            message = (
                f"lib/ of {node.name} holds no {need.vendor} JDBC driver jar (looked "
                f"for {looked}), which datasource(s) {need.labels()} need"
            )
            yield need.hit(
                message, f"copy the {need.vendor} JDBC driver jar into <EI_HOME>/lib/"
            )


def lib_missing_peers_have_driver(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag an EI_HOME without lib/ while peers' lib/ hold the driver it needs."""
    for node in cluster.nodes:
        if node.layout != "ei-home" or node.lib_jars is not None:
            continue
        for need in _needs(node):
            peers = [
                (peer.name, jar)
                for peer in cluster.nodes
                if (jar := _driver_jar(need, peer.lib_jars or ())) is not None
            ]
            if not peers:
                continue
            shown = ", ".join(f"{name} ({jar})" for name, jar in peers[:4])
            verb = "ships" if len(peers) == 1 else "ship"
            message = (
                f"{node.name} has no lib/ directory, while {shown} {verb} the "
                f"{need.vendor} JDBC driver that datasource(s) {need.labels()} need"
            )
            hint = f"add <EI_HOME>/lib/{peers[0][1]} to {node.name}, as on its peers"
            yield need.hit(message, hint)


def _driver_jar(need: _Need, jars: tuple[str, ...]) -> str | None:
    return next((j for j in jars if j.lower().startswith(need.prefixes)), None)


def driver_class_mismatch(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Check that driverClassName is a driver that accepts the URL's vendor."""
    for node in cluster.nodes:
        for ds in datasources(node):
            parsed, cls = url_of(ds), ds.get("driverClassName")
            if parsed is None or cls is None or cls.placeholder:
                continue
            accepted = DRIVER_CLASSES.get(_vendor_key(parsed[0]) or "")
            name = cls.raw.strip()
            if not accepted or name in accepted:
                continue
            message = (
                f"driverClassName {name!r} of {ds.label} does not accept "
                f"{parsed[0].vendor} URLs: the datasource fails to connect "
                f"on {node.name}"
            )
            yield Hit(message, cls.where, (parsed[1],), f"use {accepted[0]}")


Server = tuple[str, tuple[tuple[str, int | None], ...]]
POOL_MAX_ACTIVE = 100  # Tomcat JDBC pool default when maxActive is absent or unreadable


def max_connections_exceeded(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Sum maxActive over every node's datasources per database server."""
    limit = opts.get("max_connections")
    if not isinstance(limit, int) or isinstance(limit, bool):
        return  # silent without a figure for the database server
    servers: dict[Server, list[tuple[int, Location, str]]] = {}
    for node in cluster.nodes:
        for ds in datasources(node):
            parsed = url_of(ds)
            if parsed is None or parsed[0].server is None:
                continue
            setting = ds.get("maxActive")
            value = datasource_int(setting.raw) if setting else None
            where = setting.where if setting else ds.where
            item = (POOL_MAX_ACTIVE if value is None else value, where, node.name)
            servers.setdefault(parsed[0].server, []).append(item)
    for server, items in servers.items():
        total = sum(n for n, _, _ in items)
        if total <= limit:
            continue
        nodes = len({name for _, _, name in items})
        hosts = ",".join(f"{h}:{p}" for h, p in server[1])
        message = (
            f"{len(items)} datasources on {nodes} nodes may open {total} connections "
            f"to {hosts}, over its max_connections {limit}"
        )
        yield Hit(
            message,
            items[0][1],
            tuple(w for _, w, _ in items[1:]),
            "lower maxActive or raise the server's max_connections",
        )


INTEGRATOR_MASTER = "conf/datasources/master-datasources.xml"
MASTER = "datasources/master-datasources.xml"


def _server_urls(docs: list[Datasource]) -> list[tuple[Datasource, Location]]:
    found = []
    for ds in docs:
        parsed = url_of(ds)
        if parsed is not None and not parsed[0].embedded:
            found.append((ds, parsed[1]))
    return found


def integrator_datasources_edited(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag databases set in the integrator's conf while the profile's is stock."""
    for node in cluster.nodes:
        doc = node.extra_xml.get(INTEGRATOR_MASTER)
        if doc is None:
            continue
        theirs = [parse_datasource(INTEGRATOR_MASTER, el) for el in _ds_elements(doc)]
        edited = _server_urls(theirs)
        own = [d for d in datasources(node) if d.file == MASTER]
        if not edited or not own or _server_urls(own):
            continue
        ds, where = edited[0]
        profile = own[0].get("url")
        message = (
            f"{INTEGRATOR_MASTER} of {node.name} points {ds.label} at a database "
            "server, but the business-process profile reads its own "
            f"wso2/business-process/conf/{MASTER}, which still uses embedded H2"
        )
        related = (profile.where,) if profile else (own[0].where,)
        hint = f"make these changes in wso2/business-process/conf/{MASTER}"
        yield Hit(message, where, related, hint)


def _ds_elements(doc: XmlDoc) -> list[XmlElement]:
    if doc.root.tag != "datasources-configuration":
        return []
    return list(doc.root.findall("datasources", "datasource"))


# Pool properties read as booleans or integers, with the pool's default.
BOOL_PROPS = {
    "defaultAutoCommit": "the driver's default",
    "defaultReadOnly": "the driver's default",
    "testOnBorrow": "false",
    "testOnReturn": "false",
    "testWhileIdle": "false",
    "accessToUnderlyingConnectionAllowed": "true",
    "removeAbandoned": "false",
    "logAbandoned": "false",
    "jmxEnabled": "true",
    "fairQueue": "true",
    "useEquals": "true",
    "alternateUsernameAllowed": "false",
}
INT_PROPS = {
    "maxActive": "100",
    "maxIdle": "100",
    "minIdle": "10",
    "initialSize": "10",
    "maxWait": "30000",
    "timeBetweenEvictionRunsMillis": "5000",
    "numTestsPerEvictionRun": "0",
    "minEvictableIdleTimeMillis": "60000",
    "removeAbandonedTimeout": "60",
    "validationInterval": "3000",
    "abandonWhenPercentageFull": "0",
    "maxAge": "0",
    "suspectTimeout": "0",
    "validationQueryTimeout": "-1",
}


def _misread(ds: Datasource, bps: Datasource | None) -> Iterator[Hit]:
    for key, setting in ds.config.items():
        if setting.placeholder or (key == "defaultAutoCommit" and ds is bps):
            continue  # DSR002 explains the BPS datasource's autocommit
        if key in BOOL_PROPS and datasource_bool(setting.raw) is None:
            kind, default = "lowercase true/false/1/0", BOOL_PROPS[key]
        elif key in INT_PROPS and datasource_int(setting.raw) is None:
            kind, default = "an integer", INT_PROPS[key]
        else:
            continue
        message = (
            f"{key} {setting.raw!r} of {ds.label} is not {kind}: EI ignores it "
            f"and the pool uses {default}"
        )
        yield Hit(message, setting.where, hint=f"write {key} as {kind}")


def datasource_value_misread(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Flag pool booleans and integers EI cannot read (they silently fall back)."""
    for node in cluster.nodes:
        bps, _ = bps_datasource(node)
        for ds in datasources(node):
            if ds.is_rdbms:  # other readers parse their own values
                yield from _misread(ds, bps)


CHECKS: dict[str, Check] = {
    "DSR001": bps_autocommit_disabled,
    "DSR002": bps_autocommit_unset,
    "DSR003": jndi_reference_unresolved,
    "DSR004": jndi_name_duplicate,
    "DSR005": datasource_name_duplicate,
    "DSR011": jdbc_driver_missing,
    "DSR012": driver_class_mismatch,
    "DSR013": max_connections_exceeded,
    "DSR014": integrator_datasources_edited,
    "DSR018": lib_missing_peers_have_driver,
    "DSR015": datasource_value_misread,
    # The shared-database family lives in its own module (size).
    **datasources_shared.CHECKS,
}
