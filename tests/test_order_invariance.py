"""Findings do not depend on the order of the NODE arguments (issue 14, point 3).

Every permutation of the nodes of several multi-node cases gives byte-identical
JSON (findings, primary locations, messages, fingerprints, summary), and a
baseline written with one order matches every finding of every other order.
"""

from __future__ import annotations

import json
from itertools import permutations
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.baseline import write
from eilint.report.json import report_dict
from tests.conftest import FIXTURES
from tests.conftest import REPO
from tests.conftest import TESTS

CASES = [
    TESTS / "clusters" / "three_nodes",
    REPO / "sample-configs" / "broken",
    FIXTURES / "BPS004" / "fail_three_nodes",
    FIXTURES / "CLU006" / "fail_one_multicast",
    FIXTURES / "CLU007" / "fail_domain_differs",
    FIXTURES / "CLU013" / "fail_extra_member",
    FIXTURES / "DEP001" / "fail_majority_wins",
    FIXTURES / "REG001" / "fail_two_writers",
    FIXTURES / "REG006" / "fail_config_target_differs",
    FIXTURES / "REG011" / "fail_cache_ids_differ",
]


def _nodes(case: Path) -> list[str]:
    return [
        f"{p.name}={p}"
        for p in sorted(case.iterdir())
        if p.is_dir() and p.name != "nginx" and not p.name.startswith(".")
    ]


def _options(case: Path, nodes: tuple[str, ...], **extra: object) -> LintOptions:
    nginx = case / "nginx"
    return LintOptions(
        nodes=nodes,
        nginx=nginx if nginx.is_dir() else None,
        **extra,  # type: ignore[arg-type]
    )


def _json(case: Path, nodes: tuple[str, ...]) -> str:
    data = report_dict(lint(_options(case, nodes)))
    return json.dumps(data, sort_keys=True, indent=1)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_node_order_gives_identical_json(case: Path) -> None:
    orders = list(permutations(_nodes(case)))
    assert len(orders) >= 2
    first = _json(case, orders[0])
    assert json.loads(first)["findings"], "a case that finds nothing proves nothing"
    for order in orders[1:]:
        assert _json(case, order) == first, f"order {order} differs"


@pytest.mark.parametrize("case", CASES[:3], ids=lambda p: p.name)
def test_a_baseline_holds_across_node_orders(case: Path, tmp_path: Path) -> None:
    orders = list(permutations(_nodes(case)))
    baseline = tmp_path / "baseline.json"
    report = lint(_options(case, orders[0]))
    write(baseline, report.findings, report.roots)
    for order in orders[1:]:
        again = lint(_options(case, order, baseline=baseline))
        assert again.findings == ()
        assert len(again.baselined) == len(report.findings)
        assert again.baseline_stale == 0


def test_node_roots_do_not_follow_argument_order() -> None:
    case = TESTS / "clusters" / "three_nodes"
    a = lint(_options(case, tuple(_nodes(case))))
    b = lint(_options(case, tuple(reversed(_nodes(case)))))
    assert list(a.roots) == list(b.roots) == ["node1", "node2", "node3"]


REVERSED = """\
cluster: bps-test
nodes:
  - name: node3
    path: node3
  - name: node2
    path: node2
  - name: node1
    path: node1
    address: 10.0.0.11
nginx: nginx
select: [REG, EIL]
"""


def test_manifest_entry_order_does_not_matter(tmp_path: Path) -> None:
    from tests.workflow_helpers import MANIFEST
    from tests.workflow_helpers import eilint
    from tests.workflow_helpers import make_repo
    from tests.workflow_helpers import set_read_only

    outputs = []
    for name, manifest in (("given", MANIFEST), ("reversed", REVERSED)):
        repo = make_repo(tmp_path / name, manifest)
        set_read_only(repo / "node2" / "registry.xml", "false")
        result = eilint("check", "-f", "json", cwd=repo)
        assert result.exit_code == 1, result.stdout
        data = json.loads(result.stdout)
        data.pop("tool", None)
        outputs.append(data)
    assert outputs[0]["findings"] and outputs[0] == outputs[1]
