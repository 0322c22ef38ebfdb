"""The stock EI 6.3.0 files (from ../shared) load with no finding about the files."""

from __future__ import annotations

from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.findings import Severity
from eilint.loaders.discover import node_specs
from eilint.loaders.node import load_node


def test_every_stock_file_parses(reference: Path) -> None:
    node, problems = load_node(node_specs([str(reference)])[0])
    assert problems == []
    expected = {
        "carbon.xml",
        "axis2/axis2.xml",
        "registry.xml",
        "user-mgt.xml",
        "bps.xml",
        "humantask.xml",
        "activiti.xml",
        "etc/tasks-config.xml",
        "tomcat/catalina-server.xml",
        "datasources/master-datasources.xml",
        "datasources/bps-datasources.xml",
        "datasources/activiti-datasources.xml",
    }
    assert expected <= set(node.xml)
    assert "log4j.properties" in node.props
    assert "conf/datasources/master-datasources.xml" in node.extra_xml


def test_stock_node_has_no_file_level_finding_and_no_error(reference: Path) -> None:
    # Named: a stock EI_HOME holds several profiles (EIL011 otherwise says which).
    report = lint(LintOptions(nodes=[str(reference)], profile="business-process"))
    assert [f for f in report.findings if f.rule_id.startswith("EIL")] == []
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []


def test_stock_conf_dir_alone_is_a_node(reference: Path) -> None:
    conf = reference / "wso2" / "business-process" / "conf"
    report = lint(LintOptions(nodes=[str(conf)]))
    # Named after its EI_HOME: two such nodes must not both be "business-process".
    assert report.nodes == (reference.name,)
    assert [f for f in report.findings if f.rule_id.startswith("EIL")] == []


def test_stock_home_says_which_profile_it_linted(reference: Path) -> None:
    report = lint(LintOptions(nodes=[str(reference)], select=["EIL"]))
    assert [(f.rule_id, f.severity) for f in report.findings] == [
        ("EIL011", Severity.NOTE)
    ]
    assert "business-process profile" in report.findings[0].message


@pytest.mark.parametrize("sub", ["", "conf"])
def test_stock_integrator_is_an_ei_tree_without_errors(
    reference: Path, sub: str
) -> None:
    # The EI_HOME with --profile integrator, or its conf/ alone (detected).
    node = reference / sub if sub else reference
    profile = None if sub else "integrator"
    report = lint(LintOptions(nodes=[f"esb1={node}"], profile=profile))
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    assert [f for f in report.findings if f.rule_id.startswith("EIL")] == []
