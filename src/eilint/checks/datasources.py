"""DSR: datasources and databases within a node and across nodes."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.model.cluster import Cluster
from eilint.model.datasources import bps_datasource
from eilint.model.values import datasource_bool


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
        elif datasource_bool(value.raw) is None:
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


CHECKS: dict[str, Check] = {
    "DSR001": bps_autocommit_disabled,
    "DSR002": bps_autocommit_unset,
}
