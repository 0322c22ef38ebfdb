"""The smaller XML files of one generated node: registry, users, BPS, tasks."""

from __future__ import annotations

from topology import LB_NAME
from topology import NodeInfo
from topology import cache_id
from xmltext import Item
from xmltext import comment
from xmltext import document
from xmltext import render

BPS_NS = 'xmlns="http://wso2.org/bps/config"'
HT_NS = 'xmlns="http://wso2.org/humantask/schema/server/config"'


def registry_xml(node: NodeInfo) -> str:
    """Return registry.xml: local dbConfig, shared remote instance, two mounts."""
    remote: list[Item] = [
        ("id", "sharedregistry", ""),
        ("dbConfig", "sharedregistry", "Names the dbConfig below."),
        ("readOnly", "false" if node.writer else "true", "One writer per cluster."),
        ("enableCache", "true", ""),
        ("registryRoot", "/", ""),
        ("cacheId", cache_id("WSO2_REGISTRY_DB"), "user@url of the datasource."),
    ]
    items: list[Item] = [
        ("currentDBConfig", "wso2registry", "The local registry of this node."),
        ("readOnly", "false", ""),
        ("enableCache", "true", ""),
        ("registryRoot", "/", ""),
        ('dbConfig name="wso2registry"', [("dataSource", "jdbc/WSO2CarbonDB", "")], ""),
        (
            'dbConfig name="sharedregistry"',
            [("dataSource", "jdbc/WSO2RegistryDB", "")],
            "The shared registry database.",
        ),
        (
            'remoteInstance url="https://localhost:9443/registry"',
            remote,
            "The shared registry, mounted below.",
        ),
    ]
    for path in ("/_system/config", "/_system/governance"):
        mount: list[Item] = [
            ("instanceId", "sharedregistry", ""),
            ("targetPath", path, ""),
        ]
        items.append((f'mount path="{path}" overwrite="true"', mount, ""))
    items += _registry_tail()
    return document("wso2registry", "", [comment(_REG_DOC), *render(items)])


def _registry_tail() -> list[Item]:
    handlers: list[Item] = [
        (
            'handler class="org.wso2.carbon.registry.extensions.handlers.'
            f'{h}MediaTypeHandler"',
            [
                (
                    'filter class="org.wso2.carbon.registry.core.jdbc.handlers.filters.'
                    'MediaTypeMatcher"',
                    [('property name="mediaType"', f"application/{h.lower()}", "")],
                    "",
                )
            ],
            f"Handles {h} resources.",
        )
        for h in ("Wsdl", "Xsd", "Policy", "Endpoint", "Service", "Zip")
    ]
    index: list[Item] = [
        ("startingDelayInSeconds", "35", ""),
        ("indexingFrequencyInSeconds", "3", ""),
        ("batchSize", "50", ""),
        ("indexerPoolSize", "50", ""),
        (
            "lastAccessTimeLocation",
            "/_system/local/repository/components/"
            "org.wso2.carbon.registry/indexing/lastaccesstime",
            "",
        ),
    ]
    static: list[Item] = [
        ("versioningProperties", "true", ""),
        ("versioningComments", "true", ""),
        ("versioningTags", "true", ""),
        ("versioningRatings", "true", ""),
    ]
    return [
        *handlers,
        ("indexingConfiguration", index, "Search indexing of registry content."),
        ("versionResourcesOnChange", "false", ""),
        ("staticConfiguration", static, "Versioning of metadata."),
    ]


_REG_DOC = (
    "Registry configuration. The local registry lives in this node's own "
    "database; the config and governance collections are mounted from the "
    "shared registry database so every node sees the same deployment metadata. "
    "Exactly one node of the cluster mounts it read-write; the others mount it "
    "read-only and refuse BPEL deployments."
)


def user_mgt_xml() -> str:
    """Return user-mgt.xml: the realm on the shared user store."""
    props = {
        "TenantManager": "org.wso2.carbon.user.core.tenant.JDBCTenantManager",
        "dataSource": "jdbc/WSO2UMDB",
        "isCascadeDeleteEnabled": "true",
        "initializeNewClaimManager": "true",
    }
    store = {
        "ReadOnly": "false",
        "ReadGroups": "true",
        "WriteGroups": "true",
        "UsernameJavaRegEx": "^[\\S]{3,30}$",
        "PasswordJavaRegEx": "^[\\S]{5,30}$",
        "RolenameJavaRegEx": "^[\\S]{3,30}$",
        "MaxUserNameListLength": "100",
        "MaxRoleNameListLength": "100",
        "UserRolesCacheEnabled": "true",
        "SCIMEnabled": "false",
        "PasswordDigest": "SHA-256",
        "StoreSaltedPassword": "true",
        "CaseInsensitiveUsername": "true",
    }
    config: list[Item] = [
        ("AddAdmin", "true", ""),
        ("AdminRole", "admin", ""),
        (
            "AdminUser",
            [("UserName", "admin", ""), ("Password", "admin", "")],
            "The first administrator, created when the store is empty.",
        ),
        ("EveryOneRoleName", "everyone", ""),
        *[(f'Property name="{k}"', v, "") for k, v in props.items()],
    ]
    manager: list[Item] = [
        (f'Property name="{k}"', v, f"{k} of the JDBC user store.")
        for k, v in store.items()
    ]
    cls = "org.wso2.carbon.user.core.jdbc.JDBCUserStoreManager"
    realm: list[Item] = [
        ("Configuration", config, "Realm-wide settings."),
        (f'UserStoreManager class="{cls}"', manager, "The primary user store."),
        (
            'AuthorizationManager class="org.wso2.carbon.user.core.authorization.'
            'JDBCAuthorizationManager"',
            [('Property name="AdminRoleManagementPermissions"', "/permission", "")],
            "",
        ),
    ]
    docs = [comment(_USER_DOC[i % 2]) for i in range(36)]
    return document("UserManager", "", [*docs, *render([("Realm", realm, "")])])


_USER_DOC = (
    "User management: the realm keeps users, roles and permissions in the "
    "shared user store, so an account created on one node can log in on every "
    "other node. The dataSource property is a JNDI name bound by the "
    "datasource files; if it does not resolve the server does not start.",
    "Alternative user stores (read-only LDAP, read-write LDAP, Active Directory) "
    "use the same structure with their own manager class and connection "
    "properties; only one primary store may be configured at a time, and "
    "secondary stores are added as separate files under userstores/.",
)


def bps_xml(node: NodeInfo) -> str:
    """Return bps.xml in the BPS namespace with a per-node NodeId."""
    items: list[Item] = [
        (
            "DataBaseConfig",
            [
                (
                    'DataSource name="bpsds"',
                    [
                        (
                            "JNDI",
                            [
                                (
                                    "contextFactory",
                                    "org.wso2.carbon.tomcat.jndi."
                                    "CarbonJavaURLContextFactory",
                                    "",
                                ),
                                ("providerURL", "java://comp/env", ""),
                            ],
                            "",
                        )
                    ],
                    "",
                )
            ],
            "The BPEL engine's database, by JNDI name.",
        ),
        (
            "OpenJPAConfig",
            [('Property name="openjpa.FlushBeforeQueries"', "true", "")],
            "",
        ),
        (
            "MultithreadedHttpConnectionManagerConfig",
            [
                ('maxConnectionsPerHost value="20"', "", ""),
                ('maxTotalConnections value="200"', "", ""),
            ],
            "Outbound HTTP pool.",
        ),
        ("ODESchedulerThreadPoolSize", "20", "Below the bpsds pool's maxActive."),
        ("UseDistributedLock", "true", "Needs Hazelcast clustering."),
        ("NodeId", node.name, "Unique per node."),
        ("BpelUI", [("InstanceViewVariableSize", "15", "")], ""),
        (
            'ProcessDehydration maxCount="1000" value="true"',
            [('MaxAge value="300000"', "", "")],
            "Unload idle processes.",
        ),
        ("MexInterceptors", "", ""),
        ("EventListeners", "", ""),
    ]
    docs = [comment(_BPS_DOC[i % 2]) for i in range(24)]
    return document("WSO2BPS", BPS_NS, [*docs, *render(items)])


_BPS_DOC = (
    "Business process server settings. The ODE scheduler takes connections "
    "from the bpsds pool; keep its thread pool below the pool's maxActive, and "
    "remember that the HumanTask scheduler draws on the same pool.",
    "In a cluster, each node needs a distinct NodeId so that scheduled jobs are "
    "claimed by exactly one node, and distributed locking so that two nodes do "
    "not advance the same process instance at once.",
)


def humantask_xml() -> str:
    """Return humantask.xml."""
    items: list[Item] = [
        (
            "PersistenceConfig",
            [
                ("DataSource", "bpsds", ""),
                (
                    "JNDIInitialContextFactory",
                    "org.wso2.carbon.tomcat.jndi.CarbonJavaURLContextFactory",
                    "",
                ),
                ("JNDIProviderUrl", "java://comp/env", ""),
                ("GenerateDdl", "false", ""),
                ("ShowSql", "false", ""),
            ],
            "Same pool as BPEL.",
        ),
        (
            "TransactionManagerConfig",
            [
                (
                    "TransactionManagerClass",
                    "org.apache.ode.il.EmbeddedGeronimoFactory",
                    "",
                )
            ],
            "",
        ),
        (
            "SchedulerConfig",
            [("MaxThreadPoolSize", "20", "")],
            "",
        ),
        ("HumanTaskCoordination", [("TaskCoordinationEnabled", "false", "")], ""),
        ("EnableTaskValidationBeforeDeployment", "true", ""),
        ("EnableEMailNotification", "false", ""),
    ]
    return document("HumanTaskServerConfig", HT_NS, [*render(items)])


def activiti_xml() -> str:
    """Return activiti.xml: a Spring bean file naming the BPMN datasource."""
    bean = (
        '    <bean id="processEngineConfiguration"\n'
        '          class="org.activiti.engine.impl.cfg.'
        'StandaloneProcessEngineConfiguration">\n'
        '        <property name="dataSourceJndiName" value="jdbc/ActivitiDB"/>\n'
        '        <property name="databaseSchemaUpdate" value="true"/>\n'
        '        <property name="jobExecutorActivate" value="false"/>\n'
        '        <property name="asyncExecutorEnabled" value="true"/>\n'
        '        <property name="asyncExecutorActivate" value="true"/>\n'
        '        <property name="history" value="full"/>\n'
        "    </bean>\n"
    )
    spring = (
        'xmlns="http://www.springframework.org/schema/beans" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    )
    intro = comment(
        "The BPMN engine reads its database by JNDI name; the datasource is "
        "defined in activiti-datasources.xml and must be the same database on "
        "every node so that jobs and history are shared."
    )
    return document("beans", spring, [intro, bean])


def tasks_config_xml() -> str:
    """Return etc/tasks-config.xml: one task server, standalone-safe."""
    items: list[Item] = [
        ("taskServerMode", "AUTO", "AUTO becomes CLUSTERED with clustering on."),
        ("taskServerCount", "1", "Start-up waits for this many task servers."),
        (
            "defaultLocationResolver",
            [
                (
                    "locationResolverClass",
                    "org.wso2.carbon.ntask.core.impl.RoundRobinTaskLocationResolver",
                    "",
                )
            ],
            "",
        ),
        ("taskClientDispatchAddress", f"https://{LB_NAME}:9445", ""),
        ("remoteServerAddress", "https://localhost:9448", ""),
        ("remoteServerUsername", "admin", ""),
        ("remoteServerPassword", "admin", ""),
    ]
    doc = comment(
        "Task server settings. In a cluster, a node waits at start-up until "
        "taskServerCount task servers have joined, so a count above the number "
        "of nodes that start together stalls the first node."
    )
    ns = 'xmlns:svns="http://org.wso2.securevault/configuration"'
    return document("tasks-configuration", ns, [doc, *render(items)])


def catalina_xml() -> str:
    """Return tomcat/catalina-server.xml with both connectors behind the LB."""
    connector = (
        '            <Connector protocol="org.apache.coyote.http11.Http11NioProtocol"'
        '\n                       port="{port}" {extra}\n'
        '                       bindOnInit="false" maxHttpHeaderSize="8192"'
        ' acceptorThreadCount="2"\n                       maxThreads="250" '
        'minSpareThreads="50" disableUploadTimeout="false"\n'
        '                       connectionUploadTimeout="120000" '
        'maxKeepAliveRequests="200" acceptCount="200"\n'
        '                       server="WSO2 Carbon Server" compression="on" '
        'compressionMinSize="2048"\n                       URIEncoding="UTF-8"/>\n'
    )
    http = connector.format(port=9763, extra='proxyPort="80" redirectPort="9443"')
    https = connector.format(
        port=9443,
        extra='proxyPort="443" scheme="https" secure="true" SSLEnabled="true"\n'
        '                       keystoreFile="${carbon.home}/repository/resources/'
        'security/wso2carbon.jks" keystorePass="wso2carbon"',
    )
    engine = (
        '        <Engine name="Catalina" defaultHost="localhost">\n'
        '            <Realm className="org.wso2.carbon.tomcat.ext.realms.'
        'CarbonTomcatRealm"/>\n'
        '            <Host name="localhost" unpackWARs="true" deployOnStartup="false"'
        ' autoDeploy="false"\n                  appBase="${carbon.home}/repository/'
        'deployment/server/webapps/"/>\n        </Engine>\n'
    )
    service = f'    <Service name="Catalina" className="org.wso2.carbon.tomcat.ext.service.ExtendedStandardService">\n{http}{https}{engine}    </Service>\n'  # noqa: E501
    doc = comment(
        "Servlet transports of the profile. proxyPort tells the server which "
        "port clients really used, so redirects and generated URLs point at the "
        "load balancer instead of the node."
    )
    return document("Server", 'shutdown="SHUTDOWN" port="8005"', [doc, service])
