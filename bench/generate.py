"""Write a synthetic EI 6.3.0 business-process cluster of N nodes plus nginx.

No generated file mentions eilint: a comment containing "eilint" is an inline
suppression candidate and would send every file down the suppression path.

Usage: ``python bench/generate.py OUT_DIR N``. Writes ``OUT_DIR/nodes/bps-001``...
(each an EI_HOME) and ``OUT_DIR/nginx/``. Deterministic: same N, same bytes.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

from axis2 import axis2_xml
from carbon import carbon_xml
from datasources import activiti_xml_ds
from datasources import bps_xml_ds
from datasources import integrator_master_xml
from datasources import master_xml
from nginxtree import nginx_files
from smallxml import activiti_xml
from smallxml import bps_xml
from smallxml import catalina_xml
from smallxml import humantask_xml
from smallxml import registry_xml
from smallxml import tasks_config_xml
from smallxml import user_mgt_xml
from textfiles import hazelcast_properties
from textfiles import log4j_properties
from textfiles import start_script
from topology import NodeInfo
from topology import nodes

CONF = "wso2/business-process/conf"
DEPLOY = "wso2/business-process/repository/deployment/server"
JARS = (
    "mysql-connector-java-5.1.47.jar",
    "h2-1.4.199.jar",
    "hazelcast-3.9.4-wso2v1.jar",
    "commons-codec-1.11.jar",
    "bouncycastle-jdk15on-1.60.jar",
)
# Deployed artifacts: identical on every node (content is deterministic filler).
ARTIFACTS = (
    ("bpel/OrderProcess-1.0.0.zip", 24_000),
    ("bpel/InvoiceApproval-2.1.0.zip", 18_000),
    ("bpmn/LeaveRequest.bar", 12_000),
    ("humantasks/ApprovalTasks-1.0.0.zip", 9_000),
    ("carbonapps/OrderSuite_1.0.0.car", 40_000),
)

NodeFiles = dict[str, Callable[[NodeInfo], str]]
NODE_FILES: NodeFiles = {
    f"{CONF}/carbon.xml": carbon_xml,
    f"{CONF}/axis2/axis2.xml": axis2_xml,
    f"{CONF}/registry.xml": registry_xml,
    f"{CONF}/user-mgt.xml": lambda n: user_mgt_xml(),
    f"{CONF}/bps.xml": bps_xml,
    f"{CONF}/humantask.xml": lambda n: humantask_xml(),
    f"{CONF}/activiti.xml": lambda n: activiti_xml(),
    f"{CONF}/etc/tasks-config.xml": lambda n: tasks_config_xml(),
    f"{CONF}/tomcat/catalina-server.xml": lambda n: catalina_xml(),
    f"{CONF}/datasources/master-datasources.xml": master_xml,
    f"{CONF}/datasources/bps-datasources.xml": lambda n: bps_xml_ds(),
    f"{CONF}/datasources/activiti-datasources.xml": lambda n: activiti_xml_ds(),
    f"{CONF}/hazelcast.properties": lambda n: hazelcast_properties(),
    f"{CONF}/log4j.properties": lambda n: log4j_properties(),
    "conf/datasources/master-datasources.xml": lambda n: integrator_master_xml(),
    "bin/business-process.sh": start_script,
}


def _filler(name: str, size: int) -> bytes:
    seed = hashlib.sha256(name.encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def write_node(root: Path, node: NodeInfo) -> None:
    """Write one EI_HOME-shaped node under ``root/<node name>``."""
    home = root / node.name
    for rel, make in NODE_FILES.items():
        path = home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(node), encoding="utf-8")
    (home / "lib").mkdir(exist_ok=True)
    for jar in JARS:
        (home / "lib" / jar).write_bytes(_filler(jar, 2048))
    for rel, size in ARTIFACTS:
        path = home / DEPLOY / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_filler(rel, size))


def write_nginx(root: Path, cluster: list[NodeInfo]) -> None:
    """Write the nginx tree under ``root``."""
    for rel, text in nginx_files(cluster).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def generate(out: Path, count: int) -> None:
    """Write a cluster of ``count`` nodes and its nginx tree into ``out``."""
    cluster = nodes(count)
    for node in cluster:
        write_node(out / "nodes", node)
    write_nginx(out / "nginx", cluster)


def main(argv: list[str]) -> int:
    """Command-line entry: ``generate.py OUT_DIR N``."""
    if len(argv) != 2 or not argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    generate(Path(argv[0]), int(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
