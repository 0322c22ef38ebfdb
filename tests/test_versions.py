"""Each node's EI release, from its tree or as named, and its facts (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import UsageError
from eilint.api import lint
from eilint.loaders import load_cluster
from eilint.loaders import version
from eilint.loaders.discover import node_specs
from eilint.model.versions import known_versions
from eilint.model.versions import release


def _carbon(conf: Path, text: str | None) -> Path:
    conf.mkdir(parents=True, exist_ok=True)
    body = f"<Version>{text}</Version>" if text else ""
    (conf / "carbon.xml").write_text(
        f'<Server xmlns="http://wso2.org/projects/carbon/carbon.xml">{body}</Server>'
    )
    return conf


def _versions(paths: list[Path], requested: str | None = None) -> list[str]:
    specs = node_specs([f"n{i}={p}" for i, p in enumerate(paths)])
    cluster = version.apply(load_cluster(specs), specs, requested)
    return [n.ei_version for n in cluster.nodes]


@pytest.mark.parametrize("stated", ["6.1.1", "6.4.0", "6.5.0", "6.6.0"])
def test_carbon_xml_version_is_the_node_release(tmp_path: Path, stated: str) -> None:
    assert _versions([_carbon(tmp_path / "n", stated)]) == [stated]


def test_files_only_a_release_ships_tell_it(tmp_path: Path) -> None:
    conf = _carbon(tmp_path / "a", None)
    (conf / "log4j2.properties").write_text("rootLogger.level = INFO\n")
    home = tmp_path / "b"
    _carbon(home / "wso2" / "business-process" / "conf", None)
    plugins = home / "wso2" / "components" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "hazelcast_3.12.2.wso2v1.jar").write_bytes(b"")
    assert _versions([conf, home]) == ["6.6.0", "6.6.0"]


def test_silent_tree_gets_the_default_release_quietly(tmp_path: Path) -> None:
    conf = _carbon(tmp_path / "n", None)
    assert _versions([conf]) == ["6.3.0"]
    report = lint(LintOptions(nodes=[str(conf)], select=["EIL012"]))
    assert report.findings == ()


def test_override_wins_over_the_tree(tmp_path: Path) -> None:
    assert _versions([_carbon(tmp_path / "n", "6.3.0")], "6.6.0") == ["6.6.0"]


def test_unknown_override_is_a_usage_error(tmp_path: Path) -> None:
    conf = _carbon(tmp_path / "n", "6.3.0")
    with pytest.raises(UsageError, match=r"'6\.7\.0' is not one eilint knows"):
        lint(LintOptions(nodes=[str(conf)], ei_version="6.7.0"))


def test_unknown_stated_release_is_one_note(tmp_path: Path) -> None:
    a = _carbon(tmp_path / "a", "7.0.0")
    b = _carbon(tmp_path / "b", "6.0.0")
    assert _versions([a, b]) == ["6.3.0", "6.3.0"]
    report = lint(LintOptions(nodes=[str(a), str(b)], select=["EIL"]))
    assert [f.rule_id for f in report.findings] == ["EIL012"]
    assert "'7.0.0'" in report.findings[0].message
    assert "'6.0.0'" in report.findings[0].message


def test_release_facts_come_from_data() -> None:
    assert known_versions()[0] == "6.1.0" and known_versions()[-1] == "6.6.0"
    assert release("6.6.0").hazelcast == "3.12.2"
    assert release("6.3.0").hazelcast == "3.5.4"
    assert release("6.4.0").membership_scheme_stock == "multicast"
    assert release("6.5.0").membership_scheme_stock == "wka"
    assert release("6.6.0").compression_attribute == "compressibleMimeType"
    assert release("9.9.9").version == "6.3.0"


def test_log4j_rules_skip_nodes_of_a_log4j2_release(tmp_path: Path) -> None:
    # A clustered 6.6.0 node without a com.hazelcast logger in log4j.properties:
    # CLU018 is a log4j 1.2 rule, VER002 says the file is not read at all.
    from tests.conftest import FIXTURES

    case = FIXTURES / "CLU018"
    fail = next(p for p in case.iterdir() if p.name.startswith("fail_"))
    nodes = [f"{p.name}={p}" for p in sorted(fail.iterdir()) if p.is_dir()]
    before = lint(LintOptions(nodes=nodes, select=["CLU018"]))
    after = lint(LintOptions(nodes=nodes, select=["CLU018"], ei_version="6.6.0"))
    assert before.findings and not after.findings
