"""No secret value reaches any output format, whatever the security rules report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eilint.cli import app
from tests.conftest import FIXTURES
from tests.keygen import generate

PLANTED_DB = "PLANTED-db-7f3a9c"
PLANTED_KS = "PLANTED-ks-91c2e4"
CONF = "wso2/business-process/conf"


def _tree(tmp: Path) -> tuple[Path, Path, bytes]:
    """Build an EI_HOME node and an nginx tree full of secrets; return the key body."""
    node = tmp / "ei-node1"
    shutil.copytree(
        FIXTURES / "SEC002/fail_stock_keystore_passwords/node1", node / CONF
    )
    shutil.copy(FIXTURES / "SEC001/fail_stock_admin/node1/user-mgt.xml", node / CONF)
    ds = (FIXTURES / "SEC003/fail_plaintext_password/node1/datasources").iterdir()
    (node / CONF / "datasources").mkdir()
    for path in ds:
        text = path.read_text().replace("eilint-fixture-plain", PLANTED_DB)
        (node / CONF / "datasources" / path.name).write_text(text)
    tomcat = node / CONF / "tomcat/catalina-server.xml"
    text = tomcat.read_text().replace("<Server ", f'<Server x="{PLANTED_KS}" ', 1)
    tomcat.write_text(
        text.replace('port="9443"', f'port="9443" truststorePass="{PLANTED_KS}"')
    )
    (node / "bin").mkdir()
    (node / "bin/business-process.sh").write_text('JAVA_OPTS="-XX:MaxPermSize=256m"\n')
    nginx = tmp / "nginx"
    shutil.copytree(FIXTURES / "SEC004/fail_nginx_1024_bit_key/nginx", nginx)
    generate(nginx / "ssl/server.key", "rsa", 1024)
    generate(
        node / "wso2/business-process/repository/resources/security/wso2carbon.jks",
        "jks-rsa",
        1024,
    )
    body = (nginx / "ssl/server.key").read_bytes().splitlines()[1]
    return node, nginx, body


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_no_secret_in_any_output(tmp_path: Path, fmt: str) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    node, nginx, key_body = _tree(tmp_path)
    args = [
        "check",
        str(node),
        "--nginx",
        str(nginx),
        "--format",
        fmt,
        "--select",
        "SEC",
    ]
    result = CliRunner().invoke(app, args)
    out = result.stdout
    found = {rule for rule in re.findall(r"SEC00\d", out)}
    assert {"SEC001", "SEC002", "SEC003", "SEC004", "SEC006"} <= found, out
    for secret in (PLANTED_DB, PLANTED_KS, key_body.decode()[:40]):
        assert secret not in out
    assert re.search(r"wso2carbon(?!\.jks)", out) is None  # the default password
    assert "admin/admin" not in out
    assert re.search(r"<Password>\s*admin", out) is None
