"""Detection code: pure functions over the cluster model, one module per family."""

from __future__ import annotations

from eilint.checks import bps
from eilint.checks import clustering
from eilint.checks import datasources
from eilint.checks import deployment
from eilint.checks import edge
from eilint.checks import integrator
from eilint.checks import loader
from eilint.checks import nginx
from eilint.checks import ports
from eilint.checks import registry
from eilint.checks import security
from eilint.checks import versions
from eilint.checks.base import Check

FAMILIES = (
    loader,
    registry,
    datasources,
    clustering,
    bps,
    ports,
    nginx,
    edge,
    deployment,
    security,
    versions,
    integrator,
)

CHECKS: dict[str, Check] = {}
for _family in FAMILIES:
    CHECKS.update(_family.CHECKS)
