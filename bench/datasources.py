"""Datasource files of one generated node (master, bps, activiti, integrator)."""

from __future__ import annotations

from topology import DB_USER
from topology import NodeInfo
from topology import shared_url
from xmltext import Item
from xmltext import comment
from xmltext import document
from xmltext import render

READER = "org.wso2.carbon.ndatasource.rdbms.RDBMSDataSourceReader"
MYSQL = "com.mysql.jdbc.Driver"
H2 = "org.h2.Driver"


def _config(url: str, user: str, driver: str, extra: list[Item]) -> list[Item]:
    return [
        ("url", url, ""),
        ("username", user, ""),
        ("password", "bps-secret", ""),
        ("driverClassName", driver, ""),
        ("maxActive", "100", "Upper bound of open connections from this node."),
        ("maxWait", "60000", "Milliseconds a caller waits for a connection."),
        ("minIdle", "5", ""),
        ("testOnBorrow", "true", "Validate a connection before handing it out."),
        ("validationQuery", "SELECT 1", ""),
        ("validationInterval", "30000", ""),
        *extra,
    ]


def datasource(name: str, jndi: str, desc: str, conf: list[Item]) -> Item:
    """Return one ``<datasource>`` item with its JNDI binding and pool settings."""
    inner: list[Item] = [
        ("name", name, ""),
        ("description", desc, ""),
        ("jndiConfig", [("name", jndi, "")], "Bound in JNDI under this name."),
        ('definition type="RDBMS"', [("configuration", conf, "")], ""),
    ]
    return ("datasource", inner, "")


def _file(items: list[Item], what: str) -> str:
    body: list[Item] = [
        ("providers", [("provider", READER, "")], "Reader of RDBMS definitions."),
        ("datasources", items, what),
    ]
    intro = comment(
        "Datasources of this node. Each definition is read at start-up and bound "
        "in JNDI; other files refer to the JNDI name, never to the file. Shared "
        "databases must use the same URL and user on every node of the cluster."
    )
    return document("datasources-configuration", "", [intro, *render(body)])


def _shared(name: str, db: str, jndi: str, extra: list[Item] | None = None) -> Item:
    conf = _config(shared_url(db), DB_USER, MYSQL, extra or [])
    return datasource(name, jndi, f"The shared {db} database", conf)


def master_xml(node: NodeInfo) -> str:
    """Return conf/datasources/master-datasources.xml of the profile."""
    local = f"jdbc:h2:./repository/database/REGISTRY_LOCAL{node.index}"
    local_conf = _config(local + ";DB_CLOSE_ON_EXIT=FALSE", "wso2carbon", H2, [])
    items = [
        datasource("WSO2_CARBON_DB", "jdbc/WSO2CarbonDB", "Local registry", local_conf),
        _shared("WSO2_REGISTRY_DB", "WSO2_REGISTRY_DB", "jdbc/WSO2RegistryDB"),
        _shared("WSO2_USER_DB", "WSO2_USER_DB", "jdbc/WSO2UMDB"),
    ]
    return _file(items, "Local registry, shared registry and user store.")


def bps_xml_ds() -> str:
    """Return conf/datasources/bps-datasources.xml."""
    extra: list[Item] = [("defaultAutoCommit", "true", "BPEL needs auto-commit.")]
    return _file([_shared("BPS_DS", "BPS_DB", "bpsds", extra)], "BPEL/HumanTask.")


def activiti_xml_ds() -> str:
    """Return conf/datasources/activiti-datasources.xml."""
    return _file(
        [_shared("ACTIVITI_DB", "ACTIVITI_DB", "jdbc/ActivitiDB")], "BPMN engine."
    )


def integrator_master_xml() -> str:
    """Return the integrator profile's <EI_HOME>/conf/datasources/ file (stock)."""
    conf = _config(
        "jdbc:h2:./repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE",
        "wso2carbon",
        H2,
        [],
    )
    items = [datasource("WSO2_CARBON_DB", "jdbc/WSO2CarbonDB", "Integrator", conf)]
    return _file(items, "The integrator profile's own local registry.")
