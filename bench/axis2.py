"""A full-size axis2.xml (about 40 KB) for one generated node."""

from __future__ import annotations

from topology import MEMBER_PORT
from topology import NodeInfo
from xmltext import block
from xmltext import comment
from xmltext import commented
from xmltext import document
from xmltext import note
from xmltext import param

ENGINE = "org.apache.axis2"
CARBON = "org.wso2.carbon"

GLOBAL_PARAMS = (
    ("hotdeployment", "true", "Pick up artifacts dropped into the repository."),
    ("hotupdate", "true", "Redeploy an artifact when its file changes on disk."),
    ("enableMTOM", "optional", "Send binary content as MTOM when the client asks."),
    ("enableSwA", "false", "SOAP with attachments stays off for process services."),
    ("cacheAttachments", "false", "Keep large attachments in memory, not on disk."),
    ("attachmentDIR", "work/mtom", "Where attachments go when caching is on."),
    ("sizeThreshold", "4000", "Bytes above which an attachment is cached to disk."),
    ("EnableChildFirstClassLoading", "false", "Parent-first class loading."),
    ("userName", "admin", "Legacy admin-console user; the user store wins."),
    ("password", "axis2", "Legacy admin-console password, unused by Carbon."),
    ("servicePath", "services", "URL segment under which services are exposed."),
    ("restPath", "rest", "URL segment for REST-style invocations."),
    ("disableREST", "false", "Keep REST access to services enabled."),
    ("disableSOAP11", "false", "Accept SOAP 1.1 envelopes."),
    ("disableSOAP12", "false", "Accept SOAP 1.2 envelopes."),
    ("OutflowSecurity", "", "Filled in by the security module when engaged."),
    ("manageTransportSession", "true", "Share transport sessions across calls."),
    ("sendStacktraceDetailsWithFaults", "false", "Never leak stack traces."),
    ("DrillDownToRootCauseForFaultReason", "false", "Report the outer fault."),
    ("ServicesDirectory", "axis2services", "Folder of plain Axis2 services."),
    ("ModulesDirectory", "axis2modules", "Folder of Axis2 modules (.mar files)."),
    ("ConfigContextTimeoutInterval", "30000", "Idle time before a context goes."),
    ("EnableSecureVault", "true", "Resolve secret aliases through Secure Vault."),
    ("httpContentNegotiation", "false", "Pick the formatter from Accept headers."),
    ("reloadableServices", "true", "Let services be reloaded without restart."),
    ("SecureVaultAlias", "secretAlias", "Attribute that names a vault alias."),
    ("contextRoot", "/", "Context root the servlet transport is mounted on."),
    ("Sandesha2StorageManager", "inmemory", "Reliable messaging store (unused)."),
    ("ProcessIDLPolicies", "false", "Ignore IDL policies at deployment."),
    ("EnableServiceListPage", "false", "No service listing page on ?wsdl roots."),
    ("CarbonContextHolderEnabled", "true", "Propagate the tenant context."),
)
DEPLOYERS = (
    ("bpel", "zip", "org.wso2.carbon.bpel.deployer.BPELDeployer"),
    ("humantasks", "zip", "org.wso2.carbon.humantask.deployer.HumanTaskDeployer"),
    ("bpmn", "bar", "org.wso2.carbon.bpmn.core.deployment.BPMNDeployer"),
    ("carbonapps", "car", "org.wso2.carbon.application.deployer.CappAxis2Deployer"),
    ("axis2services", "aar", "org.apache.axis2.deployment.ServiceDeployer"),
    ("axis2modules", "mar", "org.apache.axis2.deployment.ModuleDeployer"),
)
RECEIVERS = (
    ("http://www.w3.org/ns/wsdl/in-only", "receivers.RawXMLINOnlyMessageReceiver"),
    (
        "http://www.w3.org/ns/wsdl/robust-in-only",
        "receivers.RawXMLINOnlyMessageReceiver",
    ),
    ("http://www.w3.org/ns/wsdl/in-out", "receivers.RawXMLINOutMessageReceiver"),
)
CONTENT_TYPES = (
    ("application/x-www-form-urlencoded", "XFormURLEncoded", "http"),
    ("multipart/form-data", "MultipartForm", "http"),
    ("application/xml", "ApplicationXML", "http"),
    ("text/xml", "SOAP", "http"),
    ("application/soap+xml", "SOAP", "http"),
    ("application/json", "JSON", "json"),
    ("application/json/badgerfish", "JSONBadgerfish", "json"),
    ("text/javascript", "JSON", "json"),
    ("text/plain", "PlainText", "format"),
)
HANDLERS = {
    "Transport": (
        "RequestURIBasedDispatcher",
        "CarbonContextConfigurator",
        "SOAPActionBasedDispatcher",
        "RequestURIOperationDispatcher",
        "JSONMessageHandler",
    ),
    "Addressing": ("AddressingBasedDispatcher",),
    "Ghost": ("GhostDispatcher",),
    "Dispatch": (
        "RequestURIBasedDispatcher",
        "SOAPActionBasedDispatcher",
        "SOAPMessageBodyBasedDispatcher",
        "HTTPLocationBasedDispatcher",
        "MultitenantDispatcher",
    ),
}
IN_PHASES = (
    "MsgInObservation",
    "Validation",
    "Transport",
    "Addressing",
    "Ghost",
    "Security",
    "PreDispatch",
    "Dispatch",
    "RMPhase",
    "OpPhase",
    "AuthPhase",
    "OperationInPhase",
)
OUT_PHASES = (
    "UEPPhase",
    "RMPhase",
    "OpPhase",
    "OperationOutPhase",
    "PolicyDetermination",
    "MessageOut",
    "Security",
    "MsgOutObservation",
    "StatReporting",
)


def _globals() -> list[str]:
    out = [comment("Global parameters read by the Axis2 engine at start-up.")]
    for name, value, why in GLOBAL_PARAMS:
        out.append(note(f"{name}: {why}"))
        out.append(param(name, value, locked=name.startswith("hot")))
    return out


OBSERVERS = (
    "org.wso2.carbon.core.deployment.DeploymentInterceptor",
    "org.wso2.carbon.core.multitenancy.utils.TenantAxisConfigObserver",
    "org.wso2.carbon.bpel.core.ode.integration.BPELServiceObserver",
    "org.wso2.carbon.statistics.services.StatisticsAxisObserver",
)


def _listeners() -> list[str]:
    out = [
        comment(
            "Axis observers are told about every deployment and "
            "undeployment; Carbon uses them to persist service metadata in "
            "the registry and to keep statistics."
        )
    ]
    for cls in OBSERVERS:
        out.append(note(f"{cls.rsplit('.', 1)[1]} observes the configuration"))
        out.append(
            block("listener", [param("enabled", "true", 8)], 4, f'class="{cls}"')
        )
    return out


def _deployers() -> list[str]:
    out = [comment("Deployers: each watches a repository folder for an extension.")]
    for folder, ext, cls in DEPLOYERS:
        out.append(
            comment(
                f"Artifacts ending in .{ext} under repository/deployment/"
                f"server/{folder} are deployed by {cls.rsplit('.', 1)[1]}."
            )
        )
        line = f'<deployer extension="{ext}" directory="{folder}" class="{cls}"/>'
        out.append(f"    {line}\n")
    return out


def _receivers() -> list[str]:
    inner = [
        f'        <messageReceiver mep="{mep}" class="{ENGINE}.{cls}"/>\n'
        for mep, cls in RECEIVERS
    ]
    head = comment("Default message receivers, one per message exchange pattern.")
    return [head, block("messageReceivers", inner)]


def _formatters() -> list[str]:
    fmt, build = [], []
    for ctype, kind, pkg in CONTENT_TYPES:
        fmt.append(comment(f"Writes {ctype} payloads.", 8))
        fmt.append(
            f'        <messageFormatter contentType="{ctype}"\n'
            f'                          class="{ENGINE}.{pkg}.{kind}Formatter"/>\n'
        )
        build.append(comment(f"Builds an Axiom tree from {ctype} input.", 8))
        build.append(
            f'        <messageBuilder contentType="{ctype}"\n'
            f'                        class="{ENGINE}.{pkg}.{kind}Builder"/>\n'
        )
    return [
        comment("Formatters turn outgoing messages into bytes for a content type."),
        block("messageFormatters", fmt),
        comment("Builders turn incoming bytes of a content type into messages."),
        block("messageBuilders", build),
    ]


def _transport(kind: str, name: str, cls: str, params: dict[str, object]) -> str:
    inner = [param(k, v, 8) for k, v in params.items()]
    intro = comment(f"The {name} {kind[9:].lower()}: {cls.rsplit('.', 1)[1]}.")
    return intro + block(kind, inner, 4, f'name="{name}" class="{cls}"')


def _transports() -> list[str]:
    servlet = f"{CARBON}.core.transports.http"
    nhttp = "org.apache.synapse.transport.nhttp"
    keystore = (
        "\n            <KeyStore>\n"
        "                <Location>repository/resources/security/wso2carbon.jks"
        "</Location>\n"
        "                <Type>JKS</Type>\n"
        "                <Password>wso2carbon</Password>\n"
        "                <KeyPassword>wso2carbon</KeyPassword>\n"
        "            </KeyStore>\n        "
    )
    common = {"non-blocking": "true", "http.socket.timeout": 180000}
    return [
        comment(
            "Transport receivers. The servlet transports below serve the "
            "profile's ports (9763/9443 plus the offset); the pass-through "
            "listeners of the integrator profile are not used here."
        ),
        _transport(
            "transportReceiver",
            "http",
            f"{servlet}.HttpTransportListener",
            {"port": 9763, "proxyPort": 80},
        ),
        _transport(
            "transportReceiver",
            "https",
            f"{servlet}.HttpsTransportListener",
            {"port": 9443, "proxyPort": 443},
        ),
        _transport(
            "transportReceiver",
            "local",
            f"{ENGINE}.transport.local.NonBlockingLocalTransportReceiver",
            {},
        ),
        _transport(
            "transportSender",
            "local",
            f"{ENGINE}.transport.local.NonBlockingLocalTransportSender",
            {},
        ),
        _transport(
            "transportSender",
            "http",
            f"{nhttp}.HttpCoreNIOSender",
            {
                **common,
                "PROTOCOL": "HTTP/1.1",
                "Transfer-Encoding": "chunked",
                "cacheHttpClient": "true",
                "defaultMaxConnPerHost": 200,
                "maxTotalConnections": 1000,
            },
        ),
        _transport(
            "transportSender",
            "https",
            f"{nhttp}.HttpCoreNIOSSLSender",
            {
                **common,
                "PROTOCOL": "HTTP/1.1",
                "Transfer-Encoding": "chunked",
                "HostnameVerifier": "DefaultAndLocalhost",
                "keystore": keystore,
            },
        ),
    ]


DISABLED = (
    (
        "jms",
        "org.apache.axis2.transport.jms.JMSListener",
        (
            "java.naming.factory.initial",
            "java.naming.provider.url",
            "transport.jms.ConnectionFactoryJNDIName",
            "transport.jms.ConnectionFactoryType",
            "transport.jms.Destination",
            "transport.jms.DestinationType",
            "transport.jms.SessionTransacted",
            "transport.jms.SessionAcknowledgement",
            "transport.jms.CacheLevel",
            "transport.jms.UserName",
            "transport.jms.Password",
            "transport.jms.MaxConcurrentConsumers",
            "transport.jms.PollingInterval",
        ),
    ),
    (
        "mailto",
        "org.apache.axis2.transport.mail.MailTransportListener",
        (
            "mail.pop3.host",
            "mail.pop3.port",
            "mail.pop3.user",
            "mail.pop3.password",
            "mail.store.protocol",
            "transport.mail.Address",
            "transport.PollInterval",
            "transport.mail.ContentType",
            "transport.mail.ActionAfterProcess",
        ),
    ),
    (
        "vfs",
        "org.apache.axis2.transport.vfs.VFSTransportListener",
        (
            "transport.vfs.FileURI",
            "transport.vfs.ContentType",
            "transport.vfs.FileNamePattern",
            "transport.vfs.ActionAfterProcess",
            "transport.vfs.MoveAfterProcess",
            "transport.vfs.ActionAfterFailure",
            "transport.vfs.MoveAfterFailure",
            "transport.vfs.Locking",
        ),
    ),
    (
        "tcp",
        "org.apache.axis2.transport.tcp.TCPServer",
        (
            "transport.tcp.port",
            "transport.tcp.hostname",
            "transport.tcp.backlog",
            "transport.tcp.contentType",
        ),
    ),
    (
        "fix",
        "org.apache.synapse.transport.fix.FIXTransportListener",
        (
            "transport.fix.AcceptorConfigURL",
            "transport.fix.AcceptorMessageStore",
            "transport.fix.InitiatorConfigURL",
            "transport.fix.InitiatorMessageStore",
        ),
    ),
)


def _disabled() -> list[str]:
    out = [
        comment(
            "Transports below are disabled in this profile. Uncomment one, "
            "fill in its parameters and restart the node to enable it; "
            "each also needs its client libraries in lib/."
        )
    ]
    for name, cls, params in DISABLED:
        for kind in ("transportReceiver", "transportSender"):
            inner = [param(p, f"[{p.rsplit('.', 1)[-1]}]", 8) for p in params]
            el = block(kind, inner, 4, f'name="{name}" class="{cls}"')
            out.append(note(f"{kind[9:]} for {name}, disabled"))
            out.append(commented(el))
    return out


def _cluster_params(node: NodeInfo) -> list[str]:
    values = (
        ("AvoidInitiation", "true", "Let Carbon start the agent, not Axis2."),
        ("membershipScheme", "wka", "Well-known-address membership."),
        ("domain", "wso2.bps.domain", "Nodes with the same domain form a cluster."),
        ("mcastPort", "45564", "Used by the multicast scheme only."),
        ("mcastTTL", "100", "Used by the multicast scheme only."),
        ("mcastTimeout", "60", "Used by the multicast scheme only."),
        ("localMemberHost", node.ip, "This node's address on the cluster network."),
        ("localMemberPort", str(MEMBER_PORT), "Hazelcast port of this member."),
        ("maxMissedHeartbeats", "10", "Heartbeats missed before eviction."),
        ("heartbeatInterval", "5000", "Milliseconds between heartbeats."),
        ("properties", "", "Member properties, none here."),
    )
    out = []
    for name, value, why in values:
        out.append(note(f"{name}: {why}", 8))
        out.append(param(name, value, 8))
    return out


GROUPS = ("wso2.bps.domain", "wso2.esb.domain", "wso2.mb.domain", "wso2.as.domain")


def _groups() -> list[str]:
    out = []
    for domain in GROUPS:
        desc = f"{domain.split('.')[1].upper()} group of the deployment"
        out.append(
            f'            <applicationDomain name="{domain}"\n'
            f'                               description="{desc}"\n'
            f'                               agent="{CARBON}.core.clustering.'
            'hazelcast.HazelcastGroupManagementAgent"\n'
            '                               subDomain="worker"\n'
            f'                               port="{4100 + GROUPS.index(domain)}"/>\n'
        )
    return out


def _clustering(node: NodeInfo) -> list[str]:
    members = "".join(
        "            <member>\n"
        f"                <hostName>{host}</hostName>\n"
        f"                <port>{MEMBER_PORT}</port>\n"
        "            </member>\n"
        for host in node.member_ranges()
    )
    inner = [
        *_cluster_params(node),
        comment(
            "Well-known members: every node of the cluster, one range per "
            "subnet, so a restarted node always finds a live member.",
            8,
        ),
        f"        <members>\n{members}        </members>\n",
        comment("Group management is for auto-scaling deployments only.", 8),
        commented(block("groupManagement", _groups(), 8, 'enable="false"')),
    ]
    cls = f"{CARBON}.core.clustering.hazelcast.HazelcastClusteringAgent"
    head = comment(
        "Clustering: Hazelcast with the WKA scheme. Every node of the cluster uses "
        "the same domain and lists the same members. The agent starts when the "
        "node starts and joins the members it can reach; a node that finds no "
        "member forms a cluster of one and merges later. Registry cache "
        "invalidation, BPEL distributed locks and the task server election all "
        "run over this cluster, so a node that cannot join behaves as a separate "
        "deployment sharing the same databases. The parameters below are read "
        "once at start-up; changing them needs a restart of every node. Keep "
        "localMemberHost on the interface the other members route to, and keep "
        "localMemberPort open between all members in both directions."
    )
    return [head, block("clustering", inner, 4, f'class="{cls}" enable="true"')]


def _phase(name: str, indent: int = 8) -> str:
    pad = " " * indent
    handlers = HANDLERS.get(name)
    if not handlers:
        hint = note(f"{name}: handlers are added here by engaged modules", indent)
        return hint + f'{pad}<phase name="{name}"/>\n'
    inner = []
    for handler in handlers:
        inner.append(comment(f"{handler} runs in the {name} phase.", indent + 4))
        inner.append(
            f'{pad}    <handler name="{handler}"\n'
            f'{pad}             class="{ENGINE}.dispatchers.{handler}"/>\n'
        )
    return block("phase", inner, indent, f'name="{name}"')


def _phases() -> list[str]:
    out = [
        comment(
            "Phase orders: the handler chain of each message flow. The "
            "order of phases matters; modules add handlers to them."
        )
    ]
    for flow, phases in (
        ("InFlow", IN_PHASES),
        ("OutFlow", OUT_PHASES),
        ("InFaultFlow", IN_PHASES),
        ("OutFaultFlow", OUT_PHASES),
    ):
        inner = [comment(f"System phases of the {flow}.", 8)]
        inner += [_phase(p) for p in phases]
        out.append(block("phaseOrder", inner, 4, f'type="{flow}"'))
    return out


def axis2_xml(node: NodeInfo) -> str:
    """Return the node's axis2.xml."""
    return document(
        "axisconfig",
        'name="AxisJava2.0"',
        [
            *_globals(),
            comment("Modules engaged globally."),
            '    <module ref="addressing"/>\n',
            *_listeners(),
            *_deployers(),
            *_receivers(),
            *_formatters(),
            *_transports(),
            *_disabled(),
            *_clustering(node),
            *_phases(),
        ],
    )
