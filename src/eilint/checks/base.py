"""Types shared by every check module."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping

from eilint.findings import Hit
from eilint.model.cluster import Cluster

RuleOptions = Mapping[str, object]
Check = Callable[[Cluster, RuleOptions], Iterable[Hit]]
