"""Planted secrets never appear in any output format, nor in error messages.

A node holds passwords, keystore passwords and a private key in every shape EI
uses, many of them on lines that are broken (so the text report shows those
lines as the offending source) and one split over lines. The real CLI runs in
every format; no planted value may appear in stdout or stderr.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from eilint.report.redact import MASK
from eilint.report.redact import redact
from eilint.report.redact import redact_message
from eilint.report.redact import redact_text
from tests.corpus.harness import FORMATS
from tests.corpus.harness import Run
from tests.corpus.harness import relative
from tests.corpus.harness import run_cli
from tests.corpus.harness import tracebacks

SECRET = re.compile(r"PLANTED-SECRET-[\w-]+|7f3a")
PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7f3aPLANTED"

FILES: dict[str, str] = {
    # Broken: a closing tag misspelt on the password's own line.
    "node1/datasources/master-datasources.xml": (
        "<datasources-configuration>\n"
        "  <datasources><datasource><name>WSO2_CARBON_DB</name>\n"
        '    <definition type="RDBMS"><configuration>\n'
        "      <url>jdbc:mysql://carbon:PLANTED-SECRET-7f3a-url@db:3306/c</url>\n"
        "      <password>PLANTED-SECRET-7f3a-ds</passwd>\n"
        "    </configuration></definition></datasource></datasources>\n"
        "</datasources-configuration>\n"
    ),
    # Broken: an unquoted attribute value (the parser stops right there).
    "node1/tomcat/catalina-server.xml": (
        "<Server>\n"
        '  <Connector port="9443" keystorePass=PLANTED-SECRET-7f3a-ks />\n'
        "</Server>\n"
    ),
    # Broken: the value sits on the line after <Password> (multi-line secret),
    # and that line holds the error (a stray '<').
    "node1/carbon.xml": (
        '<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">\n'
        "  <Security><KeyStore><Password>\n"
        "      PLANTED-SECRET-7f3a-multi < \n"
        "  </Password><KeyPassword>PLANTED-SECRET-7f3a-kp</KeyPassword>\n"
        "  </KeyStore></Security>\n"
        "</Server>\n"
    ),
    # Broken: a private key pasted into a config file, the error in its body.
    "node1/user-mgt.xml": (
        "<UserManager>\n"
        "-----BEGIN PRIVATE KEY-----\n"
        f"{PEM_BODY} < \n"
        "-----END PRIVATE KEY-----\n"
        '  <Property name="ConnectionPassword">PLANTED-SECRET-7f3a-ldap</Property>\n'
        "  <AdminUser><Password>PLANTED-SECRET-7f3a-admin</Password></AdminUser>\n"
        "</UserManager>\n"
    ),
    # Broken: an encoding error right before the value (libxml2 would quote
    # the bytes that follow in its message).
    "node1/axis2/axis2.xml": (
        '<axisconfig>\n  <parameter name="keyPassword">\u00e9PLANTED-SECRET-7f3a-enc'
        "</parameter>\n</axisconfig>\n"
    ),
    # Well-formed: a registry with a password in a URL and an element.
    "node1/registry.xml": (
        "<wso2registry>\n"
        "  <currentDBConfig>wso2registry</currentDBConfig>\n"
        '  <remoteInstance url="https://admin:PLANTED-SECRET-7f3a-ri@reg:9443">\n'
        "    <id>instanceid</id><readOnly>maybe</readOnly>\n"
        "  </remoteInstance>\n"
        "</wso2registry>\n"
    ),
    # Broken escape on the line that holds the password.
    "node1/hazelcast.properties": (
        "hazelcast.group.name=wso2\n"
        "hazelcast.group.password=PLANTED-SECRET-7f3a-hz\\u00G1\n"
    ),
    "nginx/nginx.conf": (
        "http {\n"
        "    server {\n"
        '        proxy_set_header Authorization "Basic PLANTED-SECRET-7f3a-ngx;\n'
        "    }\n"
        "}\n"
    ),
}
# (file, line) of the broken lines: each must be reported (so it is shown).
BROKEN = {
    ("node1/datasources/master-datasources.xml", 5),
    ("node1/tomcat/catalina-server.xml", 2),
    ("node1/carbon.xml", 3),
    ("node1/user-mgt.xml", 3),
    ("node1/axis2/axis2.xml", 2),
    ("node1/hazelcast.properties", 2),
}


@pytest.fixture(scope="module")
def tree() -> Iterator[Path]:
    """The planted tree, written to disk (non-UTF-8 where it says so)."""
    base = Path(tempfile.mkdtemp(prefix="secrets-run-"))
    for rel, text in FILES.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # axis2.xml is written in latin-1 while it claims nothing: invalid UTF-8.
        path.write_bytes(text.encode("latin-1" if "axis2" in rel else "utf-8"))
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def runs(tree: Path) -> list[Run]:
    """One run per output format."""
    args = ["node1=node1", "--nginx", "nginx"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [pool.submit(run_cli, args, tree, fmt) for fmt in FORMATS]
        try:
            return [job.result() for job in jobs]
        except subprocess.TimeoutExpired:
            pytest.fail("eilint did not finish on the planted tree")


def test_no_format_shows_a_planted_secret(runs: list[Run]) -> None:
    for run in runs:
        assert not tracebacks(run), run.stderr
        assert run.exit == 1, (run.fmt, run.exit, run.stderr)
        leaked = SECRET.findall(run.stdout + run.stderr)
        assert not leaked, f"--format {run.fmt} shows {leaked}"
        assert PEM_BODY[:20] not in run.stdout


def test_the_broken_secret_lines_are_reported(runs: list[Run], tree: Path) -> None:
    # Otherwise the test above would pass by showing nothing at all.
    report = next(r for r in runs if r.fmt == "json").json()
    got = {
        (relative(f["location"]["path"], tree), f["location"]["line"])
        for f in report["findings"]
    }
    assert got >= BROKEN, sorted(BROKEN - got)
    text = next(r for r in runs if r.fmt == "text").stdout
    assert text.count(MASK) >= len(BROKEN)


def test_usage_errors_do_not_echo_file_content(tree: Path) -> None:
    run = run_cli(["node1/carbon.xml"], tree, "json")
    assert run.exit == 2
    assert not SECRET.search(run.stdout + run.stderr)


@pytest.mark.parametrize(
    "line",
    [
        "<Connector keystorePass=PLANTED-SECRET-7f3a-a port=1>",
        '<Connector truststorePass="PLANTED-SECRET-7f3a-b <',
        "key.store.password = PLANTED-SECRET-7f3a-c",
        "<ns:Password a='b'>PLANTED-SECRET-7f3a-d",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----PLANTED-SECRET-7f3a-e",
    ],
)
def test_redact_masks_broken_shapes(line: str) -> None:
    assert not SECRET.search(redact(line))


def test_redact_text_masks_values_on_the_next_lines() -> None:
    text = (
        "<a>\n  <Password>\n    PLANTED-SECRET-7f3a-f\n  </Password>\n"
        "-----BEGIN RSA PRIVATE KEY-----\nPLANTED-SECRET-7f3a-g\n"
        "-----END RSA PRIVATE KEY-----\n<b>kept</b>\n"
    )
    masked = redact_text(text)
    assert not SECRET.search(masked)
    assert len(masked.splitlines()) == len(text.splitlines())
    assert masked.splitlines()[-1] == "<b>kept</b>"


def test_messages_lose_control_characters() -> None:
    assert "\x1b" not in redact_message("bad \x1b[2J name")
    assert "\x00" not in redact("<a>\x00</a>")


def test_messages_mask_secrets_they_quote() -> None:
    # Found by fuzzing: hazelcast.logging.type=log4j<VT>hazelcast.group.password=...
    # is one property for java.util.Properties, and a rule quoted its value.
    quoted = "is 'log4j\x0bhazelcast.group.password=PLANTED-SECRET-7f3a-q', not 'log4j'"
    assert not SECRET.search(redact_message(quoted))


def test_parse_errors_keep_only_libxml2s_first_line() -> None:
    from eilint.loaders.xml import clean_message

    # libxml2 follows this message with the section's first 50 characters.
    raw = "CData section not finished\nPLANTED-SECRET-7f3a-cd, line 3, column 9"
    assert clean_message(raw) == "CData section not finished"
    assert clean_message("Input is not proper UTF-8\nBytes: 0xE9 0x50") == (
        "Input is not proper UTF-8"
    )
