"""The command line end to end: exit codes, formats, node naming, explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

GOOD = REPO / "sample-configs" / "good"
BROKEN = REPO / "sample-configs" / "broken"


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eilint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "200"},
    )


def good_args() -> list[str]:
    return [
        str(GOOD / "ei-node1"),
        str(GOOD / "ei-node2"),
        "--nginx",
        str(GOOD / "nginx"),
    ]


def broken_args() -> list[str]:
    return [
        str(BROKEN / "ei-node1"),
        str(BROKEN / "ei-node2"),
        "--nginx",
        str(BROKEN / "nginx"),
    ]


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("eilint ")


def test_good_sample_exits_zero() -> None:
    result = run("check", *good_args())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
    assert "Traceback" not in result.stderr


def test_broken_sample_exits_one_with_the_first_rules() -> None:
    result = run("check", *broken_args(), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    rules = {f["rule"] for f in data["findings"]}
    assert {"REG001", "DSR001", "CLU001"} <= rules
    writer = next(f for f in data["findings"] if f["rule"] == "REG001")
    assert writer["nodes"] == ["ei-node1", "ei-node2"]
    assert writer["related"][0]["node"] == "ei-node2"


def test_fail_on_warning_counts_warnings(tmp_path: Path) -> None:
    case = REPO / "tests" / "fixtures" / "DSR002" / "fail_autocommit_absent"
    args = ["check", f"n1={case / 'node1'}", "--select", "DSR002"]
    assert run(*args).returncode == 0
    assert run(*args, "--fail-on", "warning").returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "no/such/dir"], "no such directory"),
        (["check", "src"], "not an EI tree"),
        (
            ["check", "--select", "NOPE999", "sample-configs/good/ei-node1"],
            "unknown rule",
        ),
        (
            ["check", "sample-configs/good/ei-node1", "--nginx", "nowhere"],
            "no such file",
        ),
        (
            [
                "check",
                "a=sample-configs/good/ei-node1",
                "a=sample-configs/good/ei-node2",
            ],
            "two nodes are named",
        ),
    ],
)
def test_usage_errors_exit_two_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_malformed_file_is_a_finding_and_other_nodes_are_checked(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad"
    (bad / "datasources").mkdir(parents=True)
    (bad / "registry.xml").write_text("<wso2registry>\n  <readOnly>false\n")
    src = BROKEN / "ei-node2" / "datasources" / "bps-datasources.xml"
    (bad / "datasources" / "bps-datasources.xml").write_text(src.read_text())
    result = run("check", str(bad), str(BROKEN / "ei-node1"), "--format", "json")
    assert result.returncode == 1
    found = {(f["rule"], f["node"]) for f in json.loads(result.stdout)["findings"]}
    assert ("EIL001", "bad") in found
    assert (
        "DSR001",
        "bad",
    ) in found  # the other files of the broken node still checked
    assert ("CLU001", "ei-node1") in found


def test_node_naming_and_layout_detection(tmp_path: Path) -> None:
    conf = tmp_path / "nodeA" / "conf"
    conf.mkdir(parents=True)
    (conf / "registry.xml").write_text("<wso2registry/>\n")
    result = run("check", str(conf), f"custom={GOOD / 'ei-node1'}", "--format", "json")
    # Reported in canonical (name) order, whatever the argument order.
    assert json.loads(result.stdout)["summary"]["nodes"] == ["custom", "nodeA"]


def test_output_file_and_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    run("check", *broken_args(), "--format", "json", "--output", str(first))
    run("check", *broken_args(), "--format", "json", "--output", str(second))
    assert first.read_text() == second.read_text()
    assert json.loads(first.read_text())["version"] == 1


def test_text_report_groups_by_node_and_shows_the_line() -> None:
    result = run("check", *broken_args(), "--select", "REG001,CLU001")
    out = result.stdout
    assert out.index("ei-node1") < out.index("registry.xml")
    assert '<parameter name="localMemberHost">localhost</parameter>' in out
    assert "also: ei-node2" in out
    *_, summary, fixable = out.rstrip().splitlines()
    assert summary.startswith("2 errors, 0 warnings, 0 notes in 2 nodes")
    # Like ruff: [*] on what --fix fixes (CLU001, safe), the count below.
    assert fixable == "[*] 1 fixable with --fix (1 more with --fix --unsafe-fixes)"
    assert "CLU001  [*] " in out and "REG001  [*]" not in out
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_fix_marks_follow_the_manifest_and_unsafe_fixes(tmp_path: Path) -> None:
    base = ["check", *broken_args(), "--select", "REG001,CLU001"]
    unsafe = run(*base, "--unsafe-fixes").stdout
    assert unsafe.rstrip().endswith("[*] 2 fixable with --fix")
    assert "REG001  [*] " in unsafe
    manifest = tmp_path / "eilint.yaml"
    manifest.write_text("unfixable: [CLU001]\n")
    held = run(*base, "--config", str(manifest)).stdout
    assert "CLU001  [*]" not in held
    assert held.rstrip().endswith(
        "[*] 0 fixable with --fix (1 more with --fix --unsafe-fixes)"
    )
    quiet = run(*base, "--quiet").stdout
    assert "fixable" not in quiet and "CLU001  [*] " in quiet


def test_select_by_name_and_prefix() -> None:
    by_name = run(
        "check", *broken_args(), "--select", "registry-writer-count", "--format", "json"
    )
    assert {f["rule"] for f in json.loads(by_name.stdout)["findings"]} == {"REG001"}
    ignored = run("check", *broken_args(), "--ignore", "REG", "--format", "json")
    assert "REG001" not in {f["rule"] for f in json.loads(ignored.stdout)["findings"]}


def test_rules_lists_the_catalog() -> None:
    result = run("rules")
    assert result.returncode == 0
    for rule_id in ("REG001", "DSR001", "CLU001", "EIL001"):
        assert rule_id in result.stdout


def test_explain_shows_guide_runtime_fix_and_examples() -> None:
    result = run("explain", "REG001")
    assert result.returncode == 0
    out = result.stdout
    for heading in (
        "Why",
        "What the guide says",
        "What EI 6.3.0 really does",
        "How to fix",
        "Failing example",
        "Passing example",
    ):
        assert heading in out
    assert "equalsIgnoreCase" in out
    assert run("explain", "local-member-host-loopback").returncode == 0
    bad = run("explain", "XYZ999")
    assert bad.returncode == 2 and "unknown rule" in bad.stderr


def test_explain_lists_rule_options() -> None:
    out = run("explain", "DSR013").stdout
    assert "Options" in out and "max_connections (int, default unset)" in out
    assert "Options" not in run("explain", "REG002").stdout


def test_rules_off_a_terminal_is_one_line_per_rule() -> None:
    result = run("rules", cwd=REPO)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "name",
        "severity",
        "scope",
        "profiles",
        "versions",
        "fix",
        "title",
    ]
    reg001 = next(line for line in lines if line.startswith("REG001 "))
    # Never wrapped: the whole title is on the rule's line, whatever its length.
    assert "Exactly one node must mount the shared registry read-write" in reg001
    assert reg001.split()[4:6] == ["all", "all"]
    by_id = {line.split()[0]: line.split() for line in lines[1:]}
    assert by_id["CLU030"][4:6] == ["integrator", "all"]
    assert by_id["BPS001"][4] == "business-process"
    assert by_id["VER002"][5] == "6.6.0"
    # A run of consecutive releases is one span.
    assert by_id["CLU017"][4:6] == ["business-process", "6.1.0-6.5.0"]
    assert len(lines) == 1 + len(json.loads(run("rules", "-f", "json").stdout))
    assert "\x1b[" not in result.stdout


def test_rules_as_json() -> None:
    rules = json.loads(run("rules", "--format", "json").stdout)
    reg001 = next(r for r in rules if r["id"] == "REG001")
    assert reg001["name"] == "registry-writer-count"
    assert reg001["severity"] == "error" and "registry" in reg001["tags"]
    assert reg001["profiles"] == ["business-process", "integrator"]
    assert reg001["versions"][0] == "6.1.0" and "6.6.0" in reg001["versions"]
    clu017 = next(r for r in rules if r["id"] == "CLU017")
    assert clu017["profiles"] == ["business-process"]
    assert clu017["versions"] == ["6.1.0", "6.1.1", "6.2.0", "6.3.0", "6.4.0", "6.5.0"]


def test_one_rule_is_singular() -> None:
    result = run("check", *good_args(), "--select", "REG001")
    assert "(1 rule)" in result.stdout


def test_quiet_exit_zero_and_statistics() -> None:
    quiet = run("check", *broken_args(), "--quiet", "--exit-zero")
    assert quiet.returncode == 0
    assert "REG001" in quiet.stdout and " in 2 nodes" not in quiet.stdout
    stats = run("check", *broken_args(), "--statistics", "--select", "REG001,DSR001")
    assert stats.returncode == 1
    lines = stats.stdout.splitlines()
    assert lines[0].split() == ["1", "DSR001", "error", "bps-autocommit-disabled"]
    assert lines[1].split()[:2] == ["1", "REG001"]
    assert lines[2].startswith("2 errors")
    # --exit-zero does not hide unusable input.
    assert run("check", "no-such-dir", "--exit-zero").returncode == 2


def test_color_always_and_never() -> None:
    coloured = run("check", *broken_args(), "--color", "always", "--select", "REG001")
    assert "\x1b[" in coloured.stdout  # NO_COLOR is set: the option wins
    plain = run("check", *broken_args(), "--color=never", "--select", "REG001")
    assert "\x1b[" not in plain.stdout


def test_usage_refusals_are_one_line() -> None:
    for args in (
        ("check", "--select", ""),
        ("check", *good_args(), "--nginx", str(GOOD / "nginx")),
    ):
        result = run(*args)
        assert result.returncode == 2
        assert result.stderr.startswith("eilint: ") and result.stderr.count("\n") == 1


def test_explain_is_not_wrapped_when_piped() -> None:
    result = run("explain", "REG001")
    assert result.returncode == 0
    # The rationale is one paragraph in the catalog: one line off a terminal.
    assert any(len(line) > 120 for line in result.stdout.splitlines())
    assert "\x1b[" not in result.stdout


def test_version_span_joins_consecutive_releases() -> None:
    from eilint.explain import version_span

    assert version_span(()) == "all"
    assert version_span(("6.6.0",)) == "6.6.0"
    assert version_span(("6.5.0", "6.1.0", "6.1.1")) == "6.1.0-6.1.1,6.5.0"
    assert (
        version_span(("6.1.0", "6.1.1", "6.2.0", "6.3.0", "6.4.0", "6.5.0", "6.6.0"))
        == "all"
    )
