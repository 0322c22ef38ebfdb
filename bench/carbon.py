"""carbon.xml (about 25 KB) for one generated node."""

from __future__ import annotations

from topology import LB_NAME
from topology import MGT_NAME
from topology import OFFSET
from topology import NodeInfo
from xmltext import Item
from xmltext import comment
from xmltext import commented
from xmltext import document
from xmltext import render

NS = 'xmlns="http://wso2.org/projects/carbon/carbon.xml"'
SEC = "${carbon.home}/repository/resources/security"


def _identity(node: NodeInfo) -> list[Item]:
    return [
        ("Name", "WSO2 Enterprise Integrator", "Product name shown in the console."),
        ("ServerKey", "EI", "Short key used in log lines and the registry."),
        ("Version", "6.3.0", "Product version."),
        (
            "HostName",
            LB_NAME,
            "Host name clients use to reach this node. Behind a load balancer this "
            "is the balancer's public name, so generated service endpoints and WSDL "
            "addresses point at the balancer rather than at one node.",
        ),
        (
            "MgtHostName",
            MGT_NAME,
            "Host name of the management console; the balancer sends console "
            "traffic to the node that writes the shared registry.",
        ),
        (
            "ServerURL",
            "local://services/",
            "URL of the back-end server; local:// keeps admin calls in-process.",
        ),
        (
            "ServerRoles",
            [("Role", "BusinessProcessServer", "")],
            "Roles select which artifacts of a composite application deploy here.",
        ),
        ("Package", "org.wso2.carbon", "Base package of the server."),
        ("WebContextRoot", "/", "Context root of the web applications."),
        ("ItemsPerPage", "15", "Rows per page in console listings."),
        ("NodeName", node.name, ""),
    ]


def _ports() -> list[Item]:
    jmx: list[Item] = [
        ("RMIRegistryPort", "9999", "RMI registry port of the JMX agent."),
        ("RMIServerPort", "11111", "RMI server port of the JMX agent."),
    ]
    ldap: list[Item] = [
        ("LDAPServerPort", "10389", "Port of the embedded LDAP server."),
        ("KDCServerPort", "8000", "Port of the embedded Kerberos KDC."),
    ]
    return [
        (
            "Offset",
            str(OFFSET),
            "Every port this server opens is its default plus this offset. The "
            "business-process profile ships with 2, so its servlet ports are "
            "9765 (HTTP) and 9445 (HTTPS). Two nodes on one host need different "
            "offsets; nodes on separate hosts may share one.",
        ),
        ("JMX", jmx, "JMX monitoring ports, offset applied."),
        ("EmbeddedLDAP", ldap, "Embedded LDAP ports, used only by the LDAP store."),
        ("ThriftEntitlementReceivePort", "10500", "Entitlement service port."),
    ]


def _security() -> list[Item]:
    def store(tag: str, name: str) -> Item:
        inner: list[Item] = [
            ("Location", f"{SEC}/{name}.jks", ""),
            ("Type", "JKS", ""),
            ("Password", "wso2carbon", ""),
        ]
        if tag != "TrustStore":
            inner += [("KeyAlias", "wso2carbon", ""), ("KeyPassword", "wso2carbon", "")]
        return (tag, inner, f"The {tag} used for {name}.")

    realm: list[Item] = [("ArtifactRealm", "", ""), ("ProcessRealm", "", "")]
    return [
        store("KeyStore", "wso2carbon"),
        store("InternalKeyStore", "wso2carbon"),
        store("TrustStore", "client-truststore"),
        (
            "NetworkAuthenticatorConfig",
            "",
            "Credentials for URLs that need HTTP authentication, none here.",
        ),
        ("TomcatRealm", "UserManager", "Realm Tomcat authenticates against."),
        ("DisableTokenStore", "false", "Keep the token store for WS-Security."),
        ("XSSPreventionConfig", [("Enabled", "true", ""), ("Rule", "allow", "")], ""),
        ("Realms", realm, ""),
    ]


def _axis2() -> list[Item]:
    return [
        ("RepositoryLocation", "${carbon.home}/repository/deployment/server/", ""),
        ("DeploymentUpdateInterval", "15", "Seconds between hot-deployment scans."),
        ("ConfigurationFile", "${carbon.home}/conf/axis2/axis2.xml", ""),
        ("ServiceGroupContextIdleTime", "30000", "Idle service contexts expire."),
        (
            "ClientRepositoryLocation",
            "${carbon.home}/repository/deployment/client/",
            "",
        ),
        ("clientAxis2XmlLocation", "${carbon.home}/conf/axis2/axis2_client.xml", ""),
        ("HideAdminServiceWSDLs", "true", "Do not publish admin service WSDLs."),
    ]


def _upload() -> list[Item]:
    actions = ("keystore", "certificate", "*", "jarZip", "dbs", "tools", "toolsAny")
    mappings: list[Item] = [
        (
            "Mapping",
            [
                ("Actions", [("Action", a, "")], ""),
                ("Class", f"org.wso2.carbon.ui.transports.fileupload.{a.title()}", ""),
            ],
            "",
        )
        for a in actions
    ]
    return [("TotalFileSizeLimit", "100", "Megabytes per upload."), *mappings]


def _processors() -> list[Item]:
    items = ("info", "wsdl", "wsdl2", "xsd", "wadl")
    return [
        (
            "Processor",
            [
                ("Item", item, ""),
                ("Class", f"org.wso2.carbon.core.transports.util.{item.title()}", ""),
            ],
            f"Answers ?{item} requests on service URLs.",
        )
        for item in items
    ]


def _rest() -> list[Item]:
    return [
        (
            "JNDI",
            [
                (
                    "DefaultInitialContextFactory",
                    "org.wso2.carbon.tomcat.jndi.CarbonJavaURLContextFactory",
                    "",
                ),
                ("Restrictions", "", ""),
            ],
            "JNDI context of the server.",
        ),
        ("IsCloudDeployment", "false", ""),
        ("EnableMetering", "false", ""),
        ("MaxThreadExecutionTime", "600", "Seconds before a stuck thread is logged."),
        (
            "GhostDeployment",
            [("Enabled", "false", ""), ("PartialUpdate", "false", "")],
            "",
        ),
        (
            "Tenant",
            [("LoadingPolicy", [("LazyLoading", [("IdleTime", "30", "")], "")], "")],
            "Tenants load on first use and unload when idle.",
        ),
        (
            "Cache",
            [("DefaultCacheTimeout", "15", ""), ("ForceLocalCache", "false", "")],
            "Clustered cache defaults.",
        ),
    ]


def _tail() -> list[Item]:
    sync: list[Item] = [
        ("Enabled", "false", ""),
        ("AutoCommit", "false", ""),
        ("AutoCheckout", "true", ""),
        ("RepositoryType", "svn", ""),
        ("SvnUrl", "http://svnrepo.example.com/repos/", ""),
        ("SvnUser", "username", ""),
        ("SvnPassword", "password", ""),
        ("SvnUrlAppendTenantId", "true", ""),
    ]
    return [
        ("WorkDirectory", "${carbon.home}/tmp/work", "Scratch space of the server."),
        (
            "HouseKeeping",
            [
                ("AutoStart", "true", ""),
                ("Interval", "10", ""),
                ("MaxTempFileLifetime", "30", ""),
            ],
            "Temp file cleanup.",
        ),
        ("FileUploadConfig", _upload(), "What the console accepts as uploads."),
        ("HttpGetRequestProcessors", _processors(), ""),
        (
            "DeploymentSynchronizer",
            sync,
            "Artifact synchronisation through a repository. Off: artifacts are "
            "copied to every node by the deployment pipeline instead.",
        ),
        ("ServerInitializers", "", ""),
        ("RequireCarbonServlet", "${require.carbon.servlet}", ""),
        ("StatisticsReporterDisabled", "true", ""),
        (
            "FeatureRepository",
            [
                ("RepositoryName", "default repository", ""),
                ("RepositoryURL", "http://product-dist.example.com/p2/", ""),
            ],
            "",
        ),
        (
            "APIManagement",
            [("Enabled", "true", ""), ("LoadAPIContextsInServerStartup", "true", "")],
            "",
        ),
    ]


def carbon_xml(node: NodeInfo) -> str:
    """Return the node's carbon.xml."""
    items: list[Item] = [
        *_identity(node),
        ("Ports", _ports(), "Ports of this server. See the note on Offset."),
        *_rest(),
        ("Axis2Config", _axis2(), "Where the Axis2 engine finds its files."),
        (
            "ServiceUserRoles",
            [
                (
                    "Role",
                    [("Name", "admin", ""), ("Description", "Default role", "")],
                    "",
                )
            ],
            "",
        ),
        ("Security", _security(), "Key stores and security settings."),
        *_tail(),
    ]
    preface = [
        comment(
            "This is the main server configuration of the business-process "
            "profile. Every value below is read once at start-up; a change needs "
            "a restart. Values in ${...} are system properties resolved by the "
            "server. The sections follow the order the server reads them in: "
            "identity, ports, naming, deployment, security, housekeeping."
        ),
        commented("    <HostName>bps.example.com</HostName>\n"),
    ]
    docs = [comment(_PROSE[i % len(_PROSE)]) for i in range(60)]
    return document("Server", NS, [*preface, *render(items), *docs])


_PROSE = (
    "Ports: the profile's servlet transports listen on 9763 and 9443 plus the "
    "offset. A load balancer in front of the cluster should forward to those "
    "ports, not to the integrator profile's pass-through ports 8280 and 8243.",
    "Host names: HostName and MgtHostName should match the server_name the "
    "balancer answers to, or generated endpoints will point at a single node "
    "and bypass the balancer for every follow-up request.",
    "Security: replace the default key stores and their passwords before going "
    "to production; every installation ships with the same default key pair, "
    "so anyone can impersonate a server that still uses it.",
    "Deployment: artifacts should be identical on every node of a cluster. A "
    "process deployed on one node only runs there, and instances started "
    "elsewhere fail when they reach it.",
)
