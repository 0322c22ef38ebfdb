"""Property-based tests: mutated config files never crash, hang or leak.

Hypothesis mutates valid seed files (written here, not copied from EI): byte
flips, insertions, deletions and truncation of XML and properties files,
element and attribute shuffles, renames and duplications of XML trees, and
random nginx token streams. Every example is linted in-process with every rule
(EILINT_DEBUG is set by conftest, so a crashing check raises instead of becoming
EIL900) and rendered as text, JSON and SARIF. The invariants:

* no exception, and no EIL900 (internal error) finding;
* every finding has a catalog rule id and a path; XML and properties load
  errors have a line; loader messages are one line;
* no output shows the planted password.

Bounded for CI: EILINT_FUZZ_EXAMPLES examples per property (default 500, four
properties), a per-example deadline, and derandomized (fixed) examples when
CI=true. Locally the examples are random, so repeated runs explore more.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree

from eilint.api import LintOptions
from eilint.api import lint
from eilint.report import Report
from eilint.report import text as text_report
from eilint.report.json import report_dict
from eilint.report.sarif import sarif_dict
from eilint.report.text import render_text

EXAMPLES = int(os.environ.get("EILINT_FUZZ_EXAMPLES", "500"))
IN_CI = os.environ.get("CI") == "true"
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=10),
    derandomize=IN_CI,
    database=None if IN_CI else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECRET = "PLANTED-SECRET-fz9c"
LOADER_RULES = {"EIL001", "EIL002", "EIL003", "EIL004", "EIL005", "EIL006"}

SEEDS: dict[str, str] = {
    "registry.xml": (
        "<wso2registry>\n"
        "    <currentDBConfig>wso2registry</currentDBConfig>\n"
        '    <dbConfig name="wso2registry">\n'
        "        <dataSource>jdbc/WSO2CarbonDB</dataSource>\n"
        "    </dbConfig>\n"
        '    <dbConfig name="sharedregistry">\n'
        "        <dataSource>jdbc/WSO2RegistryDB</dataSource>\n"
        "    </dbConfig>\n"
        '    <remoteInstance url="https://localhost:9443/registry">\n'
        "        <id>instanceid</id>\n"
        "        <dbConfig>sharedregistry</dbConfig>\n"
        "        <readOnly>false</readOnly>\n"
        "        <enableCache>true</enableCache>\n"
        "        <registryRoot>/</registryRoot>\n"
        "        <cacheId>regadmin@jdbc:mysql://db.example:3306/regdb</cacheId>\n"
        "    </remoteInstance>\n"
        '    <mount path="/_system/config" overwrite="true">\n'
        "        <instanceId>instanceid</instanceId>\n"
        "        <targetPath>/_system/bpsconfig</targetPath>\n"
        "    </mount>\n"
        "</wso2registry>\n"
    ),
    "axis2/axis2.xml": (
        '<axisconfig name="AxisJava2.0">\n'
        '    <clustering class="org.wso2.carbon.core.clustering.hazelcast.'
        'HazelcastClusteringAgent" enable="true">\n'
        '        <parameter name="membershipScheme">wka</parameter>\n'
        '        <parameter name="domain">wso2.bps.domain</parameter>\n'
        '        <parameter name="localMemberHost">10.0.0.11</parameter>\n'
        '        <parameter name="localMemberPort">4100</parameter>\n'
        "        <members>\n"
        "            <member><hostName>10.0.0.12</hostName><port>4100</port>"
        "</member>\n"
        "        </members>\n"
        "    </clustering>\n"
        "</axisconfig>\n"
    ),
    "datasources/master-datasources.xml": (
        "<datasources-configuration>\n"
        "    <datasources>\n"
        "        <datasource>\n"
        "            <name>WSO2_SHARED_REG</name>\n"
        "            <jndiConfig><name>jdbc/WSO2RegistryDB</name></jndiConfig>\n"
        '            <definition type="RDBMS">\n'
        "                <configuration>\n"
        "                    <url>jdbc:mysql://db.example:3306/regdb</url>\n"
        "                    <username>regadmin</username>\n"
        f"                    <password>{SECRET}</password>\n"
        "                    <driverClassName>com.mysql.jdbc.Driver"
        "</driverClassName>\n"
        "                    <defaultAutoCommit>true</defaultAutoCommit>\n"
        "                </configuration>\n"
        "            </definition>\n"
        "        </datasource>\n"
        "    </datasources>\n"
        "</datasources-configuration>\n"
    ),
    "carbon.xml": (
        '<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">\n'
        "    <HostName>bps.example</HostName>\n"
        "    <Ports><Offset>2</Offset></Ports>\n"
        "    <Security><KeyStore>\n"
        f"        <Password>{SECRET}</Password>\n"
        f"        <KeyPassword>{SECRET}</KeyPassword>\n"
        "    </KeyStore></Security>\n"
        "</Server>\n"
    ),
    "hazelcast.properties": (
        "hazelcast.shutdownhook.enabled=false\n"
        "hazelcast.logging.type=log4j\n"
        f"hazelcast.group.password={SECRET}\n"
    ),
    "log4j.properties": (
        "log4j.rootLogger=INFO, CARBON_CONSOLE, \\\n    CARBON_LOGFILE\n"
        "log4j.logger.com.hazelcast=INFO\n"
    ),
}
NGINX_SEED = (
    "events { worker_connections 1024; }\n"
    "http {\n"
    "    upstream bps {\n"
    "        server 10.0.0.11:9445;\n"
    "        server 10.0.0.12:9445;\n"
    "    }\n"
    "    include conf.d/*.conf;\n"
    "}\n"
)
VHOST_SEED = (
    "server {\n"
    "    listen 443 ssl;\n"
    "    server_name bps.example;\n"
    "    location / { proxy_pass https://bps; }\n"
    "}\n"
)
XML_FILES = sorted(k for k in SEEDS if k.endswith(".xml"))
PROPS_FILES = sorted(k for k in SEEDS if k.endswith(".properties"))


@contextmanager
def tree(
    changed: dict[str, bytes], nginx: dict[str, bytes] | None = None
) -> Iterator[Path]:
    """A node (seeds with some files replaced) and optionally an nginx tree."""
    root = Path(tempfile.mkdtemp(prefix="eilint-fuzz-"))
    try:
        for rel, text in SEEDS.items():
            path = root / "node1" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(changed.get(rel, text.encode()))
        for rel, data in (nginx or {}).items():
            path = root / "nginx" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check_invariants(root: Path) -> Report:
    """Lint the tree, render every format, and assert the fuzz invariants."""
    nginx = root / "nginx"
    report = lint(
        LintOptions(
            nodes=[f"node1={root / 'node1'}"],
            nginx=nginx if nginx.exists() else None,
        )
    )
    for finding in report.findings:
        assert finding.rule_id in report.catalog.rules
        assert finding.rule_id != "EIL900", finding.message
        assert finding.location.path
        if finding.rule_id in ("EIL001", "EIL002"):
            assert finding.location.line is not None, finding
            assert finding.location.line >= 1
        if finding.rule_id in LOADER_RULES:
            assert "\n" not in finding.message, finding.message
    text = io.StringIO()
    render_text(report, text)
    assert SECRET not in text.getvalue(), "text"
    # Mangled configs give the oddest messages: the plain writer must still print
    # what rich prints (a terminal goes through rich).
    styled = io.StringIO()
    with patch.object(text_report, "_wants_rich", lambda stream, color: True):
        render_text(report, styled, color=False)
    assert styled.getvalue() == text.getvalue()
    # The data the JSON and SARIF writers dump (SARIF's rule metadata, static
    # catalog text, is left out: dumping it indented would dominate the time).
    assert SECRET not in json.dumps(report_dict(report)), "json"
    assert SECRET not in json.dumps(sarif_dict(report)["runs"][0]["results"]), "sarif"
    return report


# ------------------------------------------------------------------ byte level
# The tags and keys that name a secret, and the secret itself, are not mutated:
# no redactor can know that <Pa$sword> held a password. Everything around them
# is, including the rest of their line, so broken lines holding secrets abound.
_PROTECTED = re.compile(
    rb"</?[\w.:-]*(?:password|Password)[^>]*>|[\w.]*password=|"
    + re.escape(SECRET.encode())
)


def _protected(data: bytes | bytearray) -> list[tuple[int, int]]:
    return [m.span() for m in _PROTECTED.finditer(bytes(data))]


def _free(pos: int, spans: list[tuple[int, int]]) -> bool:
    return not any(start <= pos < end for start, end in spans)


@st.composite
def byte_mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    """Flip, insert, delete bytes outside secret spans; sometimes truncate."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        spans = _protected(data)
        if kind != "truncate" and not _free(pos, spans):
            continue
        if kind == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            chunk = draw(
                st.sampled_from(
                    [b"<", b">", b"&", b"\x00", b"\xff\xfe", b"]]>", b"<!--", b"\xe9"]
                )
                | st.binary(min_size=1, max_size=8)
            )
            data[pos:pos] = chunk
        elif kind == "delete":
            end = pos + draw(st.integers(1, 16))
            end = min([end, *(s for s, _ in spans if s > pos)])
            del data[pos:end]
        elif kind == "truncate":
            del data[pos:]
    return bytes(data)


@FUZZ
@given(st.data())
def test_xml_byte_mutations(data: st.DataObject) -> None:
    rel = data.draw(st.sampled_from(XML_FILES))
    mutated = data.draw(byte_mutations(SEEDS[rel].encode()))
    with tree({rel: mutated}) as root:
        check_invariants(root)


@FUZZ
@given(st.data())
def test_properties_mutations(data: st.DataObject) -> None:
    rel = data.draw(st.sampled_from(PROPS_FILES))
    pieces = st.sampled_from(
        ["\\", "\\u", "\\u00", "\\uZZZZ", "\\\n", "=", ":", " ", "\n", "\r", "#", "!"]
    )
    extra = "".join(data.draw(st.lists(pieces | st.text(max_size=5), max_size=20)))
    seed = SEEDS[rel] + extra
    mutated = data.draw(byte_mutations(seed.encode("latin-1", "replace")))
    with tree({rel: mutated}) as root:
        check_invariants(root)


# ------------------------------------------------------------- tree structure
def _shuffle_tree(seed: str, rng: random.Random, steps: int) -> bytes:
    root = etree.fromstring(seed.encode())
    elements = list(root.iter())
    for _ in range(steps):
        el = rng.choice(elements)
        action = rng.randrange(5)
        if action == 0 and len(el):
            children = list(el)
            rng.shuffle(children)
            el[:] = children
        elif action == 1 and el.attrib:
            items = list(el.attrib.items())
            rng.shuffle(items)
            el.attrib.clear()
            for key, value in items[: rng.randrange(len(items) + 1)]:
                el.set(key, value)
        elif action == 2 and el.getparent() is not None and SECRET not in str(el.text):
            el.tag = rng.choice(["parameter", "password", "x", "readOnly", "id"])
        elif action == 3 and el.getparent() is not None:
            el.getparent().append(etree.fromstring(etree.tostring(el)))
        elif action == 4:
            el.text = rng.choice(["", "true", "maybe", "0", "-1", "${x}", "&amp;"])
    return etree.tostring(root)


@FUZZ
@given(
    rel=st.sampled_from(XML_FILES),
    seed=st.integers(0, 2**32 - 1),
    steps=st.integers(1, 12),
)
def test_xml_shuffles(rel: str, seed: int, steps: int) -> None:
    mutated = _shuffle_tree(SEEDS[rel], random.Random(seed), steps)
    with tree({rel: mutated}) as root:
        check_invariants(root)


# ----------------------------------------------------------------------- nginx
NGINX_TOKENS = [
    "{", "}", ";", '"', "'", "\\", "#", "\n", " ", "$host", "http", "server",
    "location", "upstream", "listen", "443", "ssl", "proxy_pass", "https://bps",
    "include", "conf.d/*.conf", "nginx.conf", "vhost.conf", "missing.conf",
    "/etc/passwd", "if", "(", ")", "=", "~", "map", "ssl_certificate",
    "server_name", "return", "301", "ip_hash", "sticky", "proxy_set_header",
]  # fmt: skip


@FUZZ
@given(
    main=st.lists(st.sampled_from(NGINX_TOKENS) | st.text(max_size=4), max_size=60),
    vhost=st.lists(st.sampled_from(NGINX_TOKENS), max_size=40),
    mutate_seed=st.booleans(),
)
def test_nginx_token_streams(
    main: list[str], vhost: list[str], mutate_seed: bool
) -> None:
    text = " ".join(main)
    if mutate_seed:
        text = NGINX_SEED + text
    files = {
        "nginx.conf": text.encode("utf-8", "surrogatepass"),
        "conf.d/vhost.conf": (VHOST_SEED + " ".join(vhost)).encode(),
    }
    with tree({}, files) as root:
        check_invariants(root)


def test_seeds_are_valid_and_quiet_about_loading() -> None:
    # The mutations start from files that load cleanly.
    files = {
        "nginx.conf": NGINX_SEED.encode(),
        "conf.d/vhost.conf": VHOST_SEED.encode(),
    }
    with tree({}, files) as root:
        report = check_invariants(root)
    loader = [f for f in report.findings if f.rule_id in LOADER_RULES]
    assert loader == []
    assert re.search(SECRET, "".join(SEEDS.values()))
