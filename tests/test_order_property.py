"""Property: for random 3-node clusters, every node order gives identical JSON.

Hypothesis draws node names (natural order matters: node2 < node10), hosts,
member ports, WKA lists, port offsets, registry writers, cacheIds, mount targets,
user stores and local registry databases, so ties between groups of nodes, the
cases where a "reference" node is picked, come up often.
"""

from __future__ import annotations

import json
import os
import tempfile
from itertools import permutations
from pathlib import Path

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.api import LintOptions
from eilint.api import lint
from eilint.report.json import report_dict

AGENT = "org.wso2.carbon.core.clustering.hazelcast.HazelcastClusteringAgent"
CARBON_NS = "http://wso2.org/projects/carbon/carbon.xml"
HOSTS = ("10.0.0.11", "10.0.0.12")
PORTS = (4100, 4200)
ENDPOINTS = [(h, p) for h in HOSTS for p in PORTS]
EXAMPLES = int(os.environ.get("EILINT_ORDER_EXAMPLES", "25"))

node_strategy = st.fixed_dictionaries(
    {
        "host": st.sampled_from(HOSTS),
        "port": st.sampled_from(PORTS),
        "members": st.lists(st.sampled_from(ENDPOINTS), min_size=1, unique=True),
        "offset": st.sampled_from((2, 3)),
        "writes": st.booleans(),
        "cache": st.sampled_from(("", "?autoReconnect=true")),
        "target": st.sampled_from(("/_system/bpsconfig", "/_system/config")),
        "users": st.sampled_from(("jdbc/WSO2UMDB", "jdbc/WSO2CarbonDB")),
        "local": st.sampled_from(("REGISTRY_LOCAL1", "REGISTRY_LOCAL2")),
    }
)


def _axis2(n: dict) -> str:
    members = "".join(
        f"<member><hostName>{h}</hostName><port>{p}</port></member>\n"
        for h, p in n["members"]
    )
    return (
        f'<axisconfig name="AxisJava2.0">\n<clustering class="{AGENT}" enable="true">\n'
        '<parameter name="membershipScheme">wka</parameter>\n'
        '<parameter name="domain">wso2.bps.domain</parameter>\n'
        f'<parameter name="localMemberHost">{n["host"]}</parameter>\n'
        f'<parameter name="localMemberPort">{n["port"]}</parameter>\n'
        f"<members>\n{members}</members>\n</clustering>\n</axisconfig>\n"
    )


def _registry(n: dict) -> str:
    url = "jdbc:mysql://db.example.com:3306/REGISTRY_DB" + n["cache"]
    return (
        "<wso2registry>\n<currentDBConfig>wso2registry</currentDBConfig>\n"
        '<dbConfig name="wso2registry"><dataSource>jdbc/WSO2CarbonDB</dataSource>'
        "</dbConfig>\n"
        '<dbConfig name="shared"><dataSource>jdbc/WSO2RegistryDB</dataSource>'
        "</dbConfig>\n"
        '<remoteInstance url="https://10.0.0.11:9445/registry">\n<id>shared</id>\n'
        f"<dbConfig>shared</dbConfig>\n<readOnly>{str(not n['writes']).lower()}"
        f"</readOnly>\n<cacheId>regadmin@{url}</cacheId>\n</remoteInstance>\n"
        '<mount path="/_system/config" overwrite="true"><instanceId>shared'
        f"</instanceId><targetPath>{n['target']}</targetPath></mount>\n"
        '<mount path="/_system/governance" overwrite="true"><instanceId>shared'
        "</instanceId><targetPath>/_system/governance</targetPath></mount>\n"
        "</wso2registry>\n"
    )


def _datasource(name: str, jndi: str, url: str) -> str:
    return (
        f"<datasource><name>{name}</name><jndiConfig><name>{jndi}</name>"
        '</jndiConfig><definition type="RDBMS"><configuration>'
        f"<url>{url}</url><username>regadmin</username>"
        "<driverClassName>com.mysql.jdbc.Driver</driverClassName>"
        "</configuration></definition></datasource>\n"
    )


def _master(n: dict) -> str:
    db = "jdbc:mysql://db.example.com:3306/"
    return (
        "<datasources-configuration><datasources>\n"
        + _datasource("CARBON", "jdbc/WSO2CarbonDB", db + n["local"])
        + _datasource("REG", "jdbc/WSO2RegistryDB", db + "REGISTRY_DB")
        + _datasource("UM", "jdbc/WSO2UMDB", db + "WSO2_USER_DB")
        + "</datasources></datasources-configuration>\n"
    )


def _write(root: Path, name: str, n: dict) -> str:
    conf = root / name
    (conf / "axis2").mkdir(parents=True)
    (conf / "datasources").mkdir()
    (conf / "axis2" / "axis2.xml").write_text(_axis2(n))
    (conf / "carbon.xml").write_text(
        f'<Server xmlns="{CARBON_NS}"><Ports><Offset>{n["offset"]}</Offset>'
        "</Ports></Server>\n"
    )
    (conf / "registry.xml").write_text(_registry(n))
    (conf / "datasources" / "master-datasources.xml").write_text(_master(n))
    (conf / "user-mgt.xml").write_text(
        "<UserManager><Realm><Configuration>"
        f'<Property name="dataSource">{n["users"]}</Property>'
        "</Configuration></Realm></UserManager>\n"
    )
    return f"{name}={conf}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    names=st.lists(
        st.sampled_from(("node1", "node2", "node10", "b", "A")),
        min_size=3,
        max_size=3,
        unique=True,
    ),
    nodes=st.lists(node_strategy, min_size=3, max_size=3),
)
def test_random_clusters_read_the_same_in_every_order(
    names: list[str], nodes: list[dict]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pairs = zip(names, nodes, strict=True)
        args = [_write(Path(tmp), name, n) for name, n in pairs]
        outputs = set()
        for order in permutations(args):
            data = report_dict(lint(LintOptions(nodes=order)))
            data.pop("tool", None)
            outputs.add(json.dumps(data, sort_keys=True))
        assert len(outputs) == 1
