"""Load one node: every config file eilint reads, parsed into the model."""

from __future__ import annotations

from pathlib import Path

import msgspec.structs

from eilint.findings import Location
from eilint.loaders.artifacts import ArtifactLimit
from eilint.loaders.artifacts import profile_dirs
from eilint.loaders.artifacts import scan_artifacts
from eilint.loaders.discover import SNAPSHOT_RECORD
from eilint.loaders.discover import NodeInputError
from eilint.loaders.discover import NodeSpec
from eilint.loaders.expected import find_templates
from eilint.loaders.files import SourceFile
from eilint.loaders.files import Unreadable
from eilint.loaders.files import exists
from eilint.loaders.files import forget_real_paths
from eilint.loaders.files import read_source
from eilint.loaders.properties import parse_properties
from eilint.loaders.recorded import apply_record
from eilint.loaders.schemas import validate
from eilint.loaders.synapse import load_processors
from eilint.loaders.xml import parse_xml
from eilint.model.cluster import LoadProblem
from eilint.model.cluster import Node
from eilint.model.profile import CONF_XML_FILES
from eilint.model.profile import KEY_FILE_ROLES
from eilint.model.profile import any_profile_file
from eilint.model.profile import misplaced_copy
from eilint.model.profile import missing_key_files
from eilint.model.properties import PropertiesFile
from eilint.model.xml import XmlDoc

# Datasource files are globbed in addition (model/profile.py).
XML_FILES = CONF_XML_FILES
PROPERTIES_FILES = ("hazelcast.properties", "log4j.properties")
# Only whether these exist: misplaced copies a rule names (CLU015: Carbon reads
# hazelcast.properties from conf/, not conf/etc/).
PRESENCE_FILES = ("etc/hazelcast.properties",)
# Integrator-profile files under EI_HOME that the guide's path mix-up touches.
HOME_XML_FILES = (
    "conf/datasources/master-datasources.xml",
    "wso2/business-process/repository/conf/registry.xml",
)
START_SCRIPTS = (
    "bin/business-process.sh",
    "wso2/business-process/bin/wso2server.sh",
)
MAX_SCRIPT_LINES = 5000
MAX_SCRIPT_BYTES = 1024 * 1024
# A node has three or four datasource files; a tree with thousands is hostile or
# broken, and each file costs parse time and memory (README, "Limits").
MAX_DATASOURCE_FILES = 32


class _NodeLoad:
    def __init__(self, spec: NodeSpec) -> None:
        self.spec = spec
        self.conf_display = spec.display(spec.conf)
        self.problems: list[LoadProblem] = []
        self.present: set[str] = set()

    def xml(self, base: Path, rel: str) -> XmlDoc | None:
        path = base / rel
        if not exists(path):
            return None
        self.present.add(rel)
        src = SourceFile(path, self.spec.display(path), self.spec.path)
        doc, tree, problems = parse_xml(src, self.spec.name)
        self.problems.extend(problems)
        if tree is not None and not problems:
            self.problems.extend(validate(tree, rel, src.display, self.spec.name))
        return doc

    def props(self, rel: str) -> PropertiesFile | None:
        path = self.spec.conf / rel
        if not exists(path):
            return None
        self.present.add(rel)
        parsed, problems = parse_properties(
            SourceFile(path, self.spec.display(path), self.spec.path), self.spec.name
        )
        self.problems.extend(problems)
        return parsed

    def problem(self, path: Path, message: str) -> None:
        where = Location(self.spec.display(path), None, None, self.spec.name)
        self.problems.append(LoadProblem("EIL005", message, where))


def _datasource_files(conf: Path, load: _NodeLoad) -> list[str]:
    folder = conf / "datasources"
    try:
        if not folder.is_dir():
            return []
        names = sorted(f"datasources/{p.name}" for p in folder.glob("*.xml"))
    except OSError as exc:
        load.problem(folder, f"directory {_reason(exc)}")
        return []
    if len(names) > MAX_DATASOURCE_FILES:
        load.problem(
            folder,
            f"directory holds {len(names)} XML files; only the first "
            f"{MAX_DATASOURCE_FILES} are read",
        )
    return names[:MAX_DATASOURCE_FILES]


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _lib_jars(home: Path | None) -> tuple[str, ...] | None:
    try:
        if home is None or not (home / "lib").is_dir():
            return None
        return tuple(sorted(p.name for p in (home / "lib").glob("*.jar")))
    except OSError:
        return None  # an unreadable lib/ is as good as none to look at


def _scripts(home: Path | None, load: _NodeLoad) -> dict[str, tuple[str, ...]]:
    texts: dict[str, tuple[str, ...]] = {}
    if home is None:
        return texts
    for rel in START_SCRIPTS:
        path = home / rel
        if not exists(path):
            continue
        src = SourceFile(path, load.spec.display(path), load.spec.path)
        try:
            data = read_source(src, MAX_SCRIPT_BYTES)
        except Unreadable as exc:
            load.problem(path, f"file {exc}")
            continue
        lines = data.decode("utf-8", "replace").splitlines()
        texts[rel] = tuple(lines[:MAX_SCRIPT_LINES])
    return texts


def _artifacts(home: Path | None, load: _NodeLoad) -> dict[str, str] | None:
    """Hash deployed artifacts; None (no opinion) for conf-only or oversized trees."""
    if home is None:
        return None
    # The profile's root holds its repository/ (EI_HOME itself for the integrator).
    dirs = profile_dirs(load.spec.conf.parent.relative_to(home).as_posix())
    try:
        scan = scan_artifacts(home, dirs)
    except ArtifactLimit as exc:
        folder = home / dirs[0].removesuffix("/deployment/server")
        load.problem(folder, f"deployed artifacts not compared: {exc}")
        return None
    for rel, reason in scan.problems:
        load.problem(home / rel, f"artifact {reason}")
    return scan.hashes


def _coverage_problems(spec: NodeSpec, load: _NodeLoad, node: Node) -> tuple[str, ...]:
    """Report unrendered templates (EIL031) and absent key files (EIL030)."""
    # node.present: what the tree holds, and what a fetched node's record
    # says it held but could not copy (reported as EIL005, not as absent).
    templates = find_templates(spec.conf, node.present)
    if not any_profile_file(node.present) and not templates:
        raise NodeInputError(
            f"{spec.name} ({spec.display(spec.path)}): none of the {spec.profile} "
            "profile's config files (carbon.xml, axis2/axis2.xml, registry.xml, "
            f"bps.xml, datasources/*.xml, ...) in {load.conf_display}"
        )
    missing = missing_key_files(node.present, templates, spec.profile)
    if templates:
        # A tree of templates: one finding for the node, not one per file.
        load.problems.append(_templates_problem(spec, templates, missing))
    else:
        load.problems += [_missing_problem(spec, rel, node) for rel in missing]
    return templates


def _templates_problem(
    spec: NodeSpec, templates: tuple[str, ...], missing: list[str]
) -> LoadProblem:
    shown = ", ".join(templates[:6]) + (" ..." if len(templates) > 6 else "")
    message = (
        f"{len(templates)} config file(s) are unrendered templates ({shown}): "
        "EI reads only rendered files, so eilint did not check what they stand for"
    )
    if missing:
        message += f"; absent as well: {', '.join(missing)}"
    where = Location(spec.display(spec.conf / templates[0]), None, None, spec.name)
    return LoadProblem("EIL031", message, where)


def _missing_problem(spec: NodeSpec, rel: str, node: Node) -> LoadProblem:
    message = (
        f"{rel} is absent from {spec.name}: eilint could not check "
        f"{KEY_FILE_ROLES[rel]} there"
    )
    hint = None
    copy = misplaced_copy(rel, node.extra_xml)
    if copy is not None:
        # The guide's path mix-up: the integrator profile's copy was edited.
        message += f" (EI_HOME/{copy} is the integrator profile's, never read here)"
        hint = f"move the settings into wso2/business-process/conf/{rel}"
    # The key names the file: coverage.needed_by keeps only the EIL030s a
    # selected rule would have read.
    where = Location(spec.display(spec.conf / rel), None, None, spec.name, rel)
    return LoadProblem("EIL030", message, where, hint)


def _record_state(spec: NodeSpec) -> str | None:
    if not exists(spec.path / SNAPSHOT_RECORD):
        return None
    return "applied" if spec.snapshot else "ignored"


def load_node(spec: NodeSpec) -> tuple[Node, list[LoadProblem]]:
    """Read and parse every file of one node; problems become EIL findings."""
    forget_real_paths()
    load = _NodeLoad(spec)
    xml: dict[str, XmlDoc] = {}
    for rel in (*XML_FILES, *_datasource_files(spec.conf, load)):
        doc = load.xml(spec.conf, rel)
        if doc is not None:
            xml[rel] = doc
    props: dict[str, PropertiesFile] = {}
    for rel in PROPERTIES_FILES:
        parsed = load.props(rel)
        if parsed is not None:
            props[rel] = parsed
    load.present.update(r for r in PRESENCE_FILES if exists(spec.conf / r))
    extra: dict[str, XmlDoc] = {}
    if spec.home is not None:
        for rel in HOME_XML_FILES:
            doc = load.xml(spec.home, rel)
            if doc is not None:
                extra[rel] = doc
        extra.update(load_processors(spec, load.xml))  # integrator only
    node = Node(
        name=spec.name,
        root=spec.display(spec.path),
        layout=spec.layout,
        conf=load.conf_display,
        xml=xml,
        props=props,
        extra_xml=extra,
        present=frozenset(load.present),
        lib_jars=_lib_jars(spec.home),
        texts=_scripts(spec.home, load),
        artifacts=_artifacts(spec.home, load),
        record=_record_state(spec),
    )
    # A fetched node (remote, or its snapshot) carries what the live node said
    # beyond its files: unreadable files, artifact hashes (loaders/recorded.py).
    node, load.problems = apply_record(spec, node, load.problems)
    templates = _coverage_problems(spec, load, node)
    return msgspec.structs.replace(node, templates=templates), load.problems
