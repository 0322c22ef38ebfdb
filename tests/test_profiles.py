"""Which EI profile each node is, and one profile per cluster (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import UsageError
from eilint.api import lint

CARBON = (
    '<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">'
    "<Version>6.3.0</Version></Server>"
)


def _file(path: Path, text: str = CARBON) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _integrator_home(root: Path) -> Path:
    _file(root / "conf" / "carbon.xml")
    (root / "wso2" / "components").mkdir(parents=True)
    return root


def _bps_conf(root: Path) -> Path:
    _file(root / "carbon.xml")
    _file(root / "bps.xml", "<tns:WSO2BPS xmlns:tns='http://wso2.org/bps/config'/>")
    return root


def _profile(nodes: list[str], profile: str | None = None) -> str:
    report = lint(LintOptions(nodes=nodes, select=["EIL"], profile=profile))
    assert [f.rule_id for f in report.findings] == []
    return report.nodes[0]


def test_integrator_home_is_an_ei_tree(tmp_path: Path) -> None:
    home = _integrator_home(tmp_path / "esb1")
    assert _profile([str(home)]) == "esb1"


def test_integrator_conf_alone_is_recognised_by_its_files(tmp_path: Path) -> None:
    from eilint.loaders.discover import node_specs
    from eilint.loaders.profile import detect

    conf = tmp_path / "esb1"
    _file(conf / "carbon.xml")
    _file(conf / "synapse.properties", "synapse.threads.core=20\n")
    assert detect(node_specs([str(conf)])[0]).profiles == ("integrator",)


def test_pass_through_axis2_marks_an_integrator_conf(tmp_path: Path) -> None:
    from eilint.loaders.discover import node_specs
    from eilint.loaders.profile import detect

    conf = tmp_path / "esb1"
    axis2 = (
        '<axisconfig><transportReceiver name="http" class="org.apache.synapse.'
        'transport.passthru.PassThroughHttpListener"/></axisconfig>'
    )
    _file(conf / "axis2" / "axis2.xml", axis2)
    assert detect(node_specs([str(conf)])[0]).profiles == ("integrator",)


def test_bare_conf_without_markers_stays_business_process(tmp_path: Path) -> None:
    from eilint.loaders.discover import node_specs
    from eilint.loaders.profile import choose

    conf = tmp_path / "n1"
    _file(conf / "carbon.xml")
    choice = choose(node_specs([str(conf)]), None)
    assert (choice.profile, choice.problems) == ("business-process", ())


def test_profile_option_points_a_home_at_that_conf(tmp_path: Path) -> None:
    from eilint.loaders.discover import node_specs
    from eilint.loaders.profile import choose

    home = _integrator_home(tmp_path / "ei")
    _file(home / "wso2" / "business-process" / "conf" / "carbon.xml")
    choice = choose(node_specs([str(home)]), "integrator")
    assert choice.specs[0].conf == home / "conf"
    assert choice.problems == ()
    default = choose(node_specs([str(home)]), None)
    assert default.specs[0].conf == home / "wso2" / "business-process" / "conf"
    assert [p.rule_id for p in default.problems] == ["EIL011"]


def test_single_profile_nodes_decide_for_the_several_profile_ones(
    tmp_path: Path,
) -> None:
    from eilint.loaders.discover import node_specs
    from eilint.loaders.profile import choose

    both = _integrator_home(tmp_path / "ei1")
    _file(both / "wso2" / "business-process" / "conf" / "carbon.xml")
    only = _integrator_home(tmp_path / "ei2")
    choice = choose(node_specs([str(both), str(only)]), None)
    assert choice.profile == "integrator"
    assert choice.specs[0].conf == both / "conf"


@pytest.mark.parametrize(
    ("layout", "words"),
    [
        ("wso2/broker/conf/broker.xml", "broker profile of EI is not covered"),
        ("wso2/analytics/conf/worker/deployment.yaml", "analytics profile"),
    ],
)
def test_broker_and_analytics_are_not_covered(
    tmp_path: Path, layout: str, words: str
) -> None:
    _file(tmp_path / "ei" / layout, "x")
    conf = tmp_path / "ei" / "/".join(layout.split("/")[:3])
    for node in (tmp_path / "ei", conf):
        with pytest.raises(UsageError, match=words):
            lint(LintOptions(nodes=[str(node)]))


def test_mixed_profiles_in_one_cluster_are_an_error(tmp_path: Path) -> None:
    esb = _integrator_home(tmp_path / "esb1")
    bps = _bps_conf(tmp_path / "bps1")
    with pytest.raises(UsageError, match="different EI profiles"):
        lint(LintOptions(nodes=[str(esb), str(bps)]))


def test_named_profile_a_node_lacks_is_an_error(tmp_path: Path) -> None:
    bps = _bps_conf(tmp_path / "bps1")
    with pytest.raises(UsageError, match="has no integrator profile"):
        lint(LintOptions(nodes=[str(bps)], profile="integrator"))


def test_business_process_rules_skip_an_integrator_cluster(tmp_path: Path) -> None:
    from eilint.loaders.discover import node_specs
    from eilint.loaders.profile import choose

    home = _integrator_home(tmp_path / "esb1")
    assert choose(node_specs([str(home)]), None).profile == "integrator"
    report = lint(LintOptions(nodes=[str(home)], select=["BPS", "DSR001"]))
    assert report.findings == ()


def test_cli_profile_and_version_options(tmp_path: Path) -> None:
    from eilint.commands import COMMANDS
    from eilint.entry import parse
    from tests.workflow_helpers import eilint

    home = _integrator_home(tmp_path / "ei")
    _file(home / "wso2" / "business-process" / "conf" / "carbon.xml")
    argv = ["ei", "--profile", "integrator", "--ei-version", "6.6.0"]
    fast = parse(COMMANDS["check"], argv)
    assert fast is not None
    assert (fast["profile"], fast["ei_version"]) == ("integrator", "6.6.0")
    # Named: no EIL011 note; the typer path refuses an unknown profile.
    named = eilint("check", "ei", "--profile", "integrator", cwd=tmp_path)
    assert named.exit_code == 0, named.stdout
    assert "EIL011" not in named.stdout
    assert "EIL011" in eilint("check", "ei", cwd=tmp_path).stdout
    bad = eilint("check", "ei", "--profile", "broker", cwd=tmp_path)
    assert bad.exit_code == 2
    old = eilint("check", "ei", "--ei-version", "5.0.0", cwd=tmp_path)
    assert old.exit_code == 2
    assert "'5.0.0' is not one eilint knows" in old.stdout + old.stderr


def test_manifest_names_the_profile(tmp_path: Path) -> None:
    from tests.workflow_helpers import eilint

    home = _integrator_home(tmp_path / "ei")
    _file(home / "wso2" / "business-process" / "conf" / "carbon.xml")
    (tmp_path / "eilint.yaml").write_text(
        "nodes: [ei]\nprofile: integrator\nei-version: 6.5.0\n"
    )
    # A tree of one file: only the absent key files (EIL030) are reported.
    result = eilint("check", "-f", "json", "--ignore", "EIL030", cwd=tmp_path)
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["findings"] == []
    (tmp_path / "eilint.yaml").write_text("nodes: [ei]\nprofile: broker\n")
    refused = eilint("check", cwd=tmp_path)
    assert refused.exit_code == 2
    assert "'profile' must be one of" in refused.stdout + refused.stderr
