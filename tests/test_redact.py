"""Secrets in shown source lines are masked."""

from __future__ import annotations

import pytest

from eilint.report.redact import redact
from eilint.report.redact import redact_message


@pytest.mark.parametrize(
    "line",
    [
        "<password>S3cr3t-x</password>",
        '    <Password svns:secretAlias="a">S3cr3t-x</Password>',
        '<Connector keystorePass="S3cr3t-x" port="9443"/>',
        "remoteServerPassword=S3cr3t-x",
        '<Property name="ConnectionPassword">S3cr3t-x</Property>',
        "<url>jdbc:mysql://u:S3cr3t-x@db:3306/x</url>",
        "-----BEGIN RSA PRIVATE KEY-----S3cr3t-x",
    ],
)
def test_secret_values_are_masked(line: str) -> None:
    assert "S3cr3t-x" not in redact(line)


def test_plain_lines_are_untouched() -> None:
    line = '<parameter name="localMemberHost">10.0.0.11</parameter>'
    assert redact(line) == line
    assert redact_message("jdbc:mysql://u:pw@db/x") == "jdbc:mysql://u:********@db/x"
