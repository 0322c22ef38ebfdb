"""Non-XML files of a generated node: properties files and the start script."""

from __future__ import annotations

from topology import NodeInfo

APPENDERS = (
    "CARBON_CONSOLE",
    "CARBON_LOGFILE",
    "AUDIT_LOGFILE",
    "ERROR_LOGFILE",
    "TRACE_LOGFILE",
    "SERVICE_LOGFILE",
    "BPEL_LOGFILE",
    "HUMANTASK_LOGFILE",
    "BPMN_LOGFILE",
    "REGISTRY_LOGFILE",
    "CLUSTER_LOGFILE",
    "TASKS_LOGFILE",
    "SECURITY_LOGFILE",
    "HTTP_ACCESS_LOGFILE",
    "JDBC_LOGFILE",
    "STATS_LOGFILE",
)
LOGGERS = (
    ("org.apache.ode", "INFO"),
    ("org.apache.ode.bpel.engine", "WARN"),
    ("org.apache.ode.scheduler", "WARN"),
    ("org.wso2.carbon.bpel", "INFO"),
    ("org.wso2.carbon.humantask", "INFO"),
    ("org.wso2.carbon.bpmn", "INFO"),
    ("org.activiti", "WARN"),
    ("org.apache.axis2", "WARN"),
    ("org.apache.axiom", "WARN"),
    ("org.apache.catalina", "WARN"),
    ("org.apache.tomcat", "WARN"),
    ("org.apache.coyote", "WARN"),
    ("org.wso2.carbon.registry", "INFO"),
    ("org.wso2.carbon.user.core", "INFO"),
    ("org.wso2.carbon.ntask", "INFO"),
    ("org.wso2.carbon.core.clustering", "INFO"),
    ("org.apache.openjpa", "WARN"),
    ("org.hibernate", "ERROR"),
    ("org.springframework", "WARN"),
    ("httpclient.wire", "ERROR"),
    ("org.apache.commons.httpclient", "ERROR"),
    ("org.quartz", "WARN"),
    ("com.hazelcast", "INFO"),
)


def hazelcast_properties() -> str:
    """Return hazelcast.properties as the guide asks for it."""
    return (
        "# Hazelcast settings of the business-process profile, read from conf/.\n"
        "# Let Carbon stop Hazelcast in order; the JVM hook would race it.\n"
        "hazelcast.shutdownhook.enabled=false\n"
        "# Send Hazelcast's own log lines through log4j (see log4j.properties).\n"
        "hazelcast.logging.type=log4j\n"
        "hazelcast.max.no.heartbeat.seconds=60\n"
        "hazelcast.merge.first.run.delay.seconds=60\n"
    )


def _appender(name: str) -> list[str]:
    base = f"log4j.appender.{name}"
    kind = "ConsoleAppender" if "CONSOLE" in name else "DailyRollingFileAppender"
    logfile = name.split("_", maxsplit=1)[0].lower()
    return [
        f"# {name}: one of the server's log destinations.",
        f"{base}=org.wso2.carbon.utils.logging.appenders.Carbon{kind}",
        f"{base}.File=${{carbon.home}}/repository/logs/${{instance.log}}/"
        f"wso2{logfile}.log",
        f"{base}.Append=true",
        f"{base}.layout=org.wso2.carbon.utils.logging.TenantAwarePatternLayout",
        f"{base}.layout.ConversionPattern=TID: [%T] [%S] [%d] %P%5p {{%c}} - %x "
        "%m {%c}%n",
        f"{base}.layout.TenantPattern=%U%@%D [%T] [%S]",
        f"{base}.threshold=DEBUG",
        "",
    ]


def log4j_properties() -> str:
    """Return log4j.properties (about 10 KB) with a Hazelcast logger."""
    lines = [
        "# Logging of the business-process profile (log4j 1.2 syntax).",
        "# The root logger writes to the console and the carbon log file.",
        "log4j.rootLogger=INFO, CARBON_CONSOLE, CARBON_LOGFILE",
        "",
    ]
    for name, level in LOGGERS:
        lines.append(f"# {name}: {level.lower()} and above")
        lines.append(f"log4j.logger.{name}={level}")
    lines.append("")
    for name in APPENDERS:
        lines += _appender(name)
    return "\n".join(lines) + "\n"


def start_script(node: NodeInfo) -> str:
    """Return a start script (bin/business-process.sh) for the node."""
    body = [
        "#!/bin/sh",
        "# Start script of the business-process profile on this node.",
        f"# Node {node.name}, cluster address {node.ip}.",
        'CARBON_HOME="$(cd "$(dirname "$0")/.." && pwd)"',
        'JAVA_OPTS="-Xms512m -Xmx2048m -XX:+HeapDumpOnOutOfMemoryError"',
        f'JAVA_OPTS="$JAVA_OPTS -Dcarbon.node.ip={node.ip}"',
        "export CARBON_HOME JAVA_OPTS",
    ]
    for i in range(60):
        body.append(f"# step {i}: checks the environment before the server starts")
        body.append(f'[ -n "$STEP_{i}" ] && echo "step {i} done" >/dev/null')
    body.append('exec "$CARBON_HOME/wso2/business-process/bin/wso2server.sh" "$@"')
    return "\n".join(body) + "\n"
