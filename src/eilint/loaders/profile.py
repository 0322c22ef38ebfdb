"""Which EI 6.x profile a node is: found in its tree, chosen once per cluster.

An EI_HOME holds up to four profiles: the integrator (ESB) in ``conf/``, the
business process server in ``wso2/business-process/conf/``, the message broker
and analytics under ``wso2/``. eilint lints the integrator and business-process
profiles; a cluster is of one profile, so every node is linted as that one.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

from msgspec import Struct
from msgspec.structs import replace

from eilint.findings import Location
from eilint.loaders.discover import NodeInputError
from eilint.loaders.discover import NodeSpec
from eilint.loaders.files import SourceFile
from eilint.loaders.files import Unreadable
from eilint.loaders.files import exists
from eilint.loaders.files import read_source
from eilint.model.cluster import Cluster
from eilint.model.cluster import LoadProblem

INTEGRATOR = "integrator"
BUSINESS_PROCESS = "business-process"
BROKER = "broker"
ANALYTICS = "analytics"
COVERED = (BUSINESS_PROCESS, INTEGRATOR)
# Each profile's conf directory relative to EI_HOME.
CONF_DIRS: Mapping[str, str] = {
    INTEGRATOR: "conf",
    BUSINESS_PROCESS: "wso2/business-process/conf",
    BROKER: "wso2/broker/conf",
    ANALYTICS: "wso2/analytics/conf",
}
# Files only one profile's conf directory holds (any one decides).
CONF_MARKERS: Mapping[str, tuple[str, ...]] = {
    BUSINESS_PROCESS: ("bps.xml", "humantask.xml", "activiti.xml"),
    INTEGRATOR: (
        "synapse.properties",
        "passthru-http.properties",
        "nhttp.properties",
        "synapse-handlers.xml",
    ),
    BROKER: ("broker.xml", "qpid-virtualhosts.xml"),
    ANALYTICS: (
        "analytics/analytics-config.xml",
        "worker/deployment.yaml",
        "dashboard/deployment.yaml",
    ),
}
# The integrator's axis2.xml is the only one with the pass-through transports.
_PASS_THROUGH = b"PassThroughHttpListener"
_SNIFF_BYTES = 4 * 1024 * 1024


class Detected(Struct, frozen=True):
    """The profiles a node's tree holds; ``sure`` is False for a guess."""

    profiles: tuple[str, ...]
    sure: bool = True


def home_profiles(home: Path) -> tuple[str, ...]:
    """Return the profiles an EI_HOME holds, covered ones first."""
    found = [p for p in COVERED if _home_has(home, p)]
    found += [p for p in (BROKER, ANALYTICS) if (home / CONF_DIRS[p]).is_dir()]
    if (home / "wso2" / ANALYTICS).is_dir() and ANALYTICS not in found:
        found.append(ANALYTICS)  # 6.5.0+: analytics has worker/ and dashboard/
    return tuple(found)


def _home_has(home: Path, profile: str) -> bool:
    conf = home / CONF_DIRS[profile]
    if profile == BUSINESS_PROCESS:
        return conf.is_dir()
    # conf/ of an integrator: Carbon's files, not just a leftover datasource.
    return any(exists(conf / f) for f in ("carbon.xml", "axis2/axis2.xml"))


# Beside conf/, these mark an integrator EI_HOME (a bare conf/ has none of them).
HOME_MARKERS = ("wso2", "bin/integrator.sh", "repository/deployment", "lib")


def is_ei_home(path: Path) -> bool:
    """Return True for an EI_HOME of any profile (a profile and its home's dirs)."""
    return any(exists(path / m) for m in HOME_MARKERS) and bool(home_profiles(path))


def conf_profile(conf: Path, root: Path) -> Detected:
    """Return the profile of a bare conf directory (a guess when nothing tells)."""
    parts = conf.resolve().parts
    for profile in (BUSINESS_PROCESS, BROKER, ANALYTICS):
        if parts[-3:] == ("wso2", profile, "conf"):
            return Detected((profile,))
    for profile, markers in CONF_MARKERS.items():
        if any(exists(conf / m) for m in markers):
            return Detected((profile,))
    if parts[-1:] == ("conf",) and (conf.parent / "wso2").is_dir():
        return Detected((INTEGRATOR,))  # EI_HOME/conf given alone
    if _pass_through(conf / "axis2" / "axis2.xml", root):
        return Detected((INTEGRATOR,))
    return Detected(COVERED, sure=False)


def _pass_through(axis2: Path, root: Path) -> bool:
    if not exists(axis2):
        return False
    try:
        data = read_source(SourceFile(axis2, str(axis2), root), _SNIFF_BYTES)
    except Unreadable:
        return False
    return _PASS_THROUGH in data


def not_covered(path: Path) -> NodeInputError | None:
    """Return the error for a tree of only the broker or analytics profile."""
    kinds = home_profiles(path) if (path / "wso2").is_dir() else ()
    if not kinds:
        kinds = conf_profile(path, path).profiles
    if any(k in COVERED for k in kinds) or not kinds:
        return None
    return NodeInputError(
        f"{path}: the {kinds[0]} profile of EI is not covered by eilint "
        "(it lints the integrator and business-process profiles)"
    )


def detect(spec: NodeSpec) -> Detected:
    """Return the covered profiles a node spec's tree holds."""
    if spec.home is None:
        return conf_profile(spec.conf, spec.path)
    found = tuple(p for p in home_profiles(spec.home) if p in COVERED)
    return Detected(found)


class Choice(Struct, frozen=True):
    """The profile linted, per node, and notes on how it was chosen."""

    profile: str
    specs: tuple[NodeSpec, ...]
    problems: tuple[LoadProblem, ...] = ()


def choose(specs: Sequence[NodeSpec], requested: str | None) -> Choice:
    """Pick the cluster's profile and point every node spec at its conf."""
    if requested is not None and requested not in COVERED:
        raise NodeInputError(
            f"profile {requested!r} is not one eilint lints "
            f"(choose {' or '.join(COVERED)})"
        )
    found = {spec.name: detect(spec) for spec in specs}
    profile = requested or _cluster_profile(specs, found)
    for spec in specs:
        _check_has(spec, found[spec.name], profile)
    chosen = tuple(_point(spec, profile) for spec in specs)
    notes = () if requested else _notes(specs, found, profile)
    return Choice(profile, chosen, notes)


def _cluster_profile(specs: Sequence[NodeSpec], found: Mapping[str, Detected]) -> str:
    fixed: dict[str, list[str]] = {}
    for spec in specs:
        det = found[spec.name]
        if det.sure and len(det.profiles) == 1:
            fixed.setdefault(det.profiles[0], []).append(spec.name)
    if len(fixed) > 1:
        parts = "; ".join(f"{', '.join(n)}: {p}" for p, n in sorted(fixed.items()))
        raise NodeInputError(
            f"the nodes are of different EI profiles ({parts}); a cluster is of "
            "one profile: lint each profile's nodes in a run of their own"
        )
    if fixed:
        return next(iter(fixed))
    # Every node holds several profiles (stock EI_HOMEs): the business-process
    # profile, eilint's historical scope, unless some node lacks it.
    every = [set(found[s.name].profiles) for s in specs]
    if all(BUSINESS_PROCESS in p for p in every):
        return BUSINESS_PROCESS
    return INTEGRATOR


def _check_has(spec: NodeSpec, det: Detected, profile: str) -> None:
    if profile in det.profiles:
        return
    held = ", ".join(det.profiles) or "no profile eilint lints"
    raise NodeInputError(
        f"{spec.name} ({spec.path}): has no {profile} profile (it holds: {held}); "
        "a cluster is of one profile"
    )


def _point(spec: NodeSpec, profile: str) -> NodeSpec:
    if spec.home is None:
        return replace(spec, profile=profile)
    return replace(spec, conf=spec.home / CONF_DIRS[profile], profile=profile)


def _notes(
    specs: Sequence[NodeSpec], found: Mapping[str, Detected], profile: str
) -> tuple[LoadProblem, ...]:
    several = [
        s for s in specs if s.home is not None and len(found[s.name].profiles) > 1
    ]
    if not several:
        return ()
    first = several[0]
    conf = first.home / CONF_DIRS[profile] if first.home else first.conf
    names = ", ".join(s.name for s in several)
    held = ", ".join(found[first.name].profiles)
    message = (
        f"the EI_HOME of {names} holds several profiles ({held}); eilint linted "
        f"the {profile} profile ({first.display(conf)})"
    )
    hint = "name the profile with --profile or 'profile:' in eilint.yaml"
    where = Location(first.display(conf), None, None, first.name)
    return (LoadProblem("EIL011", message, where, hint),)


def apply(cluster: Cluster, choice: Choice) -> Cluster:
    """Mark every node and the cluster with the chosen profile; add the notes."""
    nodes = tuple(replace(n, profile=choice.profile) for n in cluster.nodes)
    return replace(
        cluster,
        nodes=nodes,
        profile=choice.profile,
        problems=(*cluster.problems, *choice.problems),
    )
