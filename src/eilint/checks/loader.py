"""EIL: files that could not be read, parsed or validated (reported by the loaders)."""

from __future__ import annotations

from collections.abc import Iterator

from eilint.checks.base import Check
from eilint.checks.base import RuleOptions
from eilint.findings import Hit
from eilint.model.cluster import Cluster


def _problems_of(rule_id: str) -> Check:
    def check(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
        for problem in cluster.problems:
            if problem.rule_id == rule_id:
                yield Hit(problem.message, problem.where, hint=problem.hint)

    check.__doc__ = f"Report the loaders' {rule_id} problems."
    return check


def internal_error(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Placeholder: the engine itself reports checks that crashed."""
    return iter(())


def suppression_problem(cluster: Cluster, opts: RuleOptions) -> Iterator[Hit]:
    """Placeholder: suppressions are matched after all checks ran (suppress.py)."""
    return iter(())


CHECKS: dict[str, Check] = {
    "EIL001": _problems_of("EIL001"),
    "EIL002": _problems_of("EIL002"),
    "EIL003": _problems_of("EIL003"),
    "EIL004": _problems_of("EIL004"),
    "EIL005": _problems_of("EIL005"),
    "EIL006": _problems_of("EIL006"),
    "EIL010": _problems_of("EIL010"),
    "EIL011": _problems_of("EIL011"),
    "EIL012": _problems_of("EIL012"),
    "EIL030": _problems_of("EIL030"),
    "EIL031": _problems_of("EIL031"),
    "EIL020": suppression_problem,
    "EIL021": suppression_problem,
    "EIL900": internal_error,
}
