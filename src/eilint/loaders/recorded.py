"""The record a fetched node carries: what could not be copied, artifact hashes.

A remote node (and its ``eilint snapshot`` copy) holds only the files eilint
parses. What else the live node told us sits in ``.eilint-snapshot.json`` at the
node's root: files that could not be read (and why), deployed-artifact hashes
computed on the node, and artifact problems. The node loader applies it, so a
live run and a later offline run of the snapshot give the same findings.

The record replaces what eilint would compute itself, so it is applied only to
trees eilint wrote: a remote node's fetched copy, and a local tree the user
declared a snapshot (``--snapshots``, or ``snapshot: true`` in eilint.yaml).
Anywhere else ``.eilint-snapshot.json`` is an ordinary file eilint does not
read: a pull request must not be able to hide findings by adding one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec.structs

from eilint.findings import Location
from eilint.loaders.artifacts import profile_dirs
from eilint.loaders.discover import SNAPSHOT_RECORD
from eilint.loaders.discover import NodeSpec
from eilint.loaders.files import SourceFile
from eilint.loaders.files import Unreadable
from eilint.loaders.files import exists
from eilint.loaders.files import read_source
from eilint.loaders.profile import CONF_DIRS
from eilint.loaders.profile import COVERED
from eilint.model.cluster import LoadProblem
from eilint.model.cluster import Node
from eilint.model.synapse import MESSAGE_PROCESSORS

RECORD = SNAPSHOT_RECORD
FORMAT = 1
# 20,000 artifacts with their paths and hashes fit in a few megabytes.
MAX_RECORD_BYTES = 32 * 1024 * 1024


def write_record(root: Path, doc: Mapping[str, Any]) -> None:
    """Write the record of a fetched node into its local copy."""
    text = json.dumps({"format": FORMAT, **doc}, indent=2, sort_keys=True) + "\n"
    (root / RECORD).write_text(text, encoding="utf-8")


def _read(spec: NodeSpec) -> dict[str, Any] | str | None:
    path = spec.path / RECORD
    if not exists(path):
        return None
    try:
        data = read_source(SourceFile(path, spec.display(path), spec.path))
        doc = json.loads(data)
    except Unreadable as exc:
        return f"file {exc}"
    except ValueError:
        return "file is not a valid eilint snapshot record (JSON)"
    if (
        not isinstance(doc, dict)
        or doc.get("format") != FORMAT
        or not isinstance(doc.get("source"), str)
    ):
        return "file is not an eilint snapshot record of format 1"
    return doc


class _Apply:
    def __init__(self, spec: NodeSpec, node: Node) -> None:
        self.spec = spec
        self.node = node
        self.problems: list[LoadProblem] = []
        self.present = set(node.present)

    def problem(self, rel: str, message: str) -> None:
        where = Location(
            self.spec.display(self.spec.path / rel), None, None, self.spec.name
        )
        self.problems.append(LoadProblem("EIL005", message, where))

    def mine(self, rel: str) -> bool:
        """Return False for a file only another profile than the linted one reads.

        The fetch read every covered profile of an EI_HOME (eilint chooses the
        profile afterwards); what the linted profile never reads is not reported.
        """
        from eilint.loaders.node import HOME_XML_FILES  # node imports this module

        if self.spec.home is None or rel in HOME_XML_FILES:
            return True
        ours = self.conf_rel()
        others = [c for p, c in CONF_DIRS.items() if p in COVERED and c != ours]
        if any(rel.startswith(f"{c}/") or rel == c for c in others):
            return False
        return not rel.startswith(f"{MESSAGE_PROCESSORS}/") or ours == "conf"

    def conf_rel(self) -> str:
        return self.spec.conf.relative_to(self.spec.path).as_posix()

    def not_copied(self, entries: object) -> None:
        # The fetch read every profile's conf; the other profile's are not ours.
        conf = "" if self.spec.layout == "conf" else f"{self.conf_rel()}/"
        for rel, reason in _pairs(entries):
            if not self.mine(rel):
                continue
            kind = "directory" if rel.endswith("datasources") else "file"
            self.problem(rel, f"{kind} {reason}")
            if kind == "file" and rel.startswith(conf):
                self.present.add(rel[len(conf) :])

    def artifacts(self, doc: Mapping[str, Any]) -> Mapping[str, str] | None:
        # The fetch hashed every profile's artifacts; keep the linted one's.
        root = self.spec.conf.parent.relative_to(self.spec.path).as_posix()
        dirs = profile_dirs(root)
        limit = _limit(doc, self.spec.profile)
        if limit is not None:
            where = dirs[0].removesuffix("/deployment/server")
            self.problem(where, f"deployed artifacts not compared: {limit}")
            return None
        for rel, reason in _pairs(doc.get("artifact-problems")):
            if _under(rel, dirs):
                self.problem(rel, f"artifact {reason}")
        hashes = doc.get("artifacts")
        if not isinstance(hashes, dict):
            return self.node.artifacts
        return {str(k): str(v) for k, v in hashes.items() if _under(str(k), dirs)}


def _limit(doc: Mapping[str, Any], profile: str) -> str | None:
    limits = doc.get("artifact-limits")
    if isinstance(limits, dict) and isinstance(limits.get(profile), str):
        return str(limits[profile])
    old = doc.get("artifact-limit")  # records written before the integrator
    return old if isinstance(old, str) else None


def _under(rel: str, dirs: tuple[str, ...]) -> bool:
    return any(rel == d or rel.startswith(f"{d}/") for d in dirs)


def _pairs(entries: object) -> list[tuple[str, str]]:
    if not isinstance(entries, list):
        return []
    return [
        (str(e["path"]), str(e["reason"]))
        for e in entries
        if isinstance(e, dict) and "path" in e and "reason" in e
    ]


def apply_record(
    spec: NodeSpec, node: Node, problems: list[LoadProblem]
) -> tuple[Node, list[LoadProblem]]:
    """Apply the record of a declared snapshot (or fetched node) to the node."""
    if not spec.snapshot:
        return node, problems
    doc = _read(spec)
    if doc is None:
        return node, problems
    apply = _Apply(spec, node)
    if isinstance(doc, str):
        apply.problem(RECORD, doc)
        return node, [*problems, *apply.problems]
    apply.not_copied(doc.get("not-copied"))
    artifacts = node.artifacts
    if spec.layout == "ei-home" and "artifacts" in doc:
        artifacts = apply.artifacts(doc)
    node = msgspec.structs.replace(
        node, present=frozenset(apply.present), artifacts=artifacts
    )
    return node, [*problems, *apply.problems]
