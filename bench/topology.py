"""The shape of a generated cluster: node names, addresses and shared databases."""

from __future__ import annotations

from dataclasses import dataclass

# Nodes sit in /24 subnets of 10.20.0.0/16 (addresses are data only, never
# contacted); each subnet holds PER_SUBNET nodes from .FIRST_HOST upwards, so the
# WKA member list is one range per subnet (``10.20.0.10-209``), as the guide allows.
PER_SUBNET = 200
FIRST_HOST = 10
DB_HOST = "10.30.0.5"
LB_HOST = "10.40.0.2"
LB_NAME = "bps.example.com"
MGT_NAME = "mgt.bps.example.com"
MEMBER_PORT = 4000
OFFSET = 2
DB_USER = "bpsadmin"
SHARED_DBS = {
    "WSO2_REGISTRY_DB": "jdbc/WSO2RegistryDB",
    "WSO2_USER_DB": "jdbc/WSO2UMDB",
    "BPS_DB": "bpsds",
    "ACTIVITI_DB": "jdbc/ActivitiDB",
}


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """One node of the generated cluster."""

    index: int
    count: int

    @property
    def name(self) -> str:
        """Directory and node name, e.g. ``bps-007``."""
        return f"bps-{self.index:03d}"

    @property
    def ip(self) -> str:
        """This node's address on the cluster network."""
        subnet, host = divmod(self.index - 1, PER_SUBNET)
        return f"10.20.{subnet}.{FIRST_HOST + host}"

    @property
    def writer(self) -> bool:
        """The first node mounts the shared registry read-write; the rest read-only."""
        return self.index == 1

    def member_ranges(self) -> list[str]:
        """WKA members covering every node: one last-octet range per subnet."""
        ranges = []
        for subnet in range((self.count - 1) // PER_SUBNET + 1):
            last = min(PER_SUBNET, self.count - subnet * PER_SUBNET)
            end = FIRST_HOST + last - 1
            ranges.append(f"10.20.{subnet}.{FIRST_HOST}-{end}")
        return ranges


def shared_url(db: str) -> str:
    """The JDBC URL of a shared database, identical on every node."""
    return f"jdbc:mysql://{DB_HOST}:3306/{db}?autoReconnect=true&amp;useSSL=false"


def cache_id(db: str) -> str:
    """The registry cacheId: ``user@url`` of the mount's datasource."""
    return f"{DB_USER}@{shared_url(db)}"


def nodes(count: int) -> list[NodeInfo]:
    """Return the ``count`` nodes of a cluster."""
    return [NodeInfo(i, count) for i in range(1, count + 1)]
