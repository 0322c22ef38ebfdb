"""Remote nodes: ``[NAME=][user@]host:/path`` fetched over one SSH connection each.

A read-only POSIX sh script (``remote.sh``) runs on the node, finds the layout the
way ``discover.detect`` does and streams a tar of only the files the node loader
reads, plus ``lib/*.jar`` names and deployed-artifact hashes computed there. The
stream is unpacked by hand (never with ``tarfile.extract``) into a private
temporary directory, accepting only regular files that the listing announced; the
rest goes into the node record (``recorded.py``). The local node loader then reads
that copy with display paths ``host:/path/...``.
"""

from __future__ import annotations

import io
import re
import shlex
import tarfile
from importlib import resources
from pathlib import Path

from msgspec import Struct
from msgspec import field

from eilint.loaders.artifacts import MAX_ARTIFACT_BYTES
from eilint.loaders.artifacts import MAX_ARTIFACT_FILES
from eilint.loaders.artifacts import profile_dirs
from eilint.loaders.discover import CONF_MARKERS
from eilint.loaders.discover import PROFILE_CONF
from eilint.loaders.files import MAX_CONFIG_BYTES
from eilint.loaders.node import HOME_XML_FILES
from eilint.loaders.node import MAX_SCRIPT_BYTES
from eilint.loaders.node import PRESENCE_FILES
from eilint.loaders.node import PROPERTIES_FILES
from eilint.loaders.node import START_SCRIPTS
from eilint.loaders.node import XML_FILES
from eilint.loaders.profile import CONF_MARKERS as PROFILE_MARKERS
from eilint.loaders.profile import HOME_MARKERS
from eilint.loaders.profile import INTEGRATOR
from eilint.loaders.recorded import write_record
from eilint.loaders.ssh import Completed
from eilint.loaders.ssh import FetchError
from eilint.loaders.ssh import clean
from eilint.loaders.ssh import run_bounded
from eilint.loaders.ssh import ssh_command
from eilint.loaders.ssh import ssh_failure
from eilint.loaders.synapse import MAX_PROCESSORS
from eilint.loaders.targets import RemoteSettings
from eilint.loaders.targets import RemoteTarget
from eilint.loaders.version import PLUGINS
from eilint.model.synapse import MESSAGE_PROCESSORS
from eilint.model.versions import evidence

_END = b"EILINT-TAR\n"
INT_CONF = "conf"
# Each covered profile's conf directory in an EI_HOME, the business process
# server's first (eilint's historical scope).
PROFILE_CONFS = (PROFILE_CONF.as_posix(), INT_CONF)
BPS_ARTIFACTS = profile_dirs("wso2/business-process")
INT_ARTIFACTS = profile_dirs(".")
ARTIFACT_DIRS = (*BPS_ARTIFACTS, *INT_ARTIFACTS)
# Read for whether they exist: they tell profiles (loaders/profile.py) and
# releases (facts/ei-versions.json) apart.
MARKER_FILES = tuple(
    sorted({*(m for ms in PROFILE_MARKERS.values() for m in ms), "log4j2.properties"})
)
# Directories whose presence tells what an EI_HOME holds (loaders/profile.py):
# the copy gets them, empty, so that it is detected as the node was.
HOME_DIRS = (
    "wso2",
    "repository/deployment",
    "lib",
    "wso2/broker/conf",
    "wso2/analytics",
)
# 20,000 artifact lines (the local scan's bound) of path and hash fit well below this.
MAX_LISTING = 16 * 1024 * 1024
# EI's lib/ holds about a hundred jars; each becomes an empty placeholder file.
MAX_JARS = 10_000
_SKIP_REASONS = {
    "denied": "permission denied",
    "dir": "is a directory, expected a file",
    "special": "is not a regular file (FIFO, socket or device)",
    "broken": "no such file or directory",
    "outside": "is a symlink to a path outside the node tree; not read",
}
_FATAL = {
    "missing": "no such directory",
    "notdir": "not a directory",
    "denied": "permission denied",
    "notar": "tar is not installed there",
    "notei": (
        "not an EI tree (no wso2/business-process/conf/ or conf/, and none of a "
        "profile's conf files such as carbon.xml, registry.xml, axis2/axis2.xml "
        "or datasources/ in it)"
    ),
    "notcovered": (
        "only the broker or analytics profile of EI is there, which eilint does "
        "not cover (it lints the integrator and business-process profiles)"
    ),
}


def reader_script() -> bytes:
    """Return the remote reader with eilint's file lists prepended."""
    lists = {
        "BPS_CONF": PROFILE_CONF.as_posix(),
        "INT_CONF": INT_CONF,
        "CONF_MARKERS": " ".join(CONF_MARKERS),
        "CONF_FILES": " ".join(_conf_files()),
        "HOME_FILES": " ".join(HOME_XML_FILES),
        "HOME_DIRS": " ".join(HOME_DIRS),
        "HOME_MARKERS": " ".join(HOME_MARKERS),
        "SCRIPTS": " ".join(START_SCRIPTS),
        "PROCESSORS": MESSAGE_PROCESSORS,
        "MAX_PROCESSORS": str(MAX_PROCESSORS),
        "PLUGINS": PLUGINS,
        "LIMIT": str(MAX_CONFIG_BYTES),
        "BPS_ARTIFACTS": " ".join(BPS_ARTIFACTS),
        "INT_ARTIFACTS": " ".join(INT_ARTIFACTS),
        "ART_FILES": str(MAX_ARTIFACT_FILES),
        "ART_BYTES": str(MAX_ARTIFACT_BYTES),
        "SCRIPT_LIMIT": str(MAX_SCRIPT_BYTES),
    }
    head = "".join(f"{key}={shlex.quote(value)}\n" for key, value in lists.items())
    body = resources.files("eilint.loaders").joinpath("remote.sh").read_text("utf-8")
    return (head + body).encode("utf-8")


def _conf_files() -> tuple[str, ...]:
    return tuple(
        dict.fromkeys((*XML_FILES, *PROPERTIES_FILES, *PRESENCE_FILES, *MARKER_FILES))
    )


class Artifacts(Struct):
    """Deployed-artifact hashes computed on the node, as the local scan makes them.

    ``limits``: profile -> why that profile's artifacts were not hashed.
    """

    hashes: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    limits: dict[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, object]:
        """Return the fields of the node record (see loaders/recorded.py)."""
        return {
            "artifacts": dict(sorted(self.hashes.items())),
            "artifact-limits": dict(sorted(self.limits.items())),
            "artifact-problems": [
                {"path": rel, "reason": why} for rel, why in self.problems
            ],
        }


class Listing(Struct, frozen=True):
    """What the reader said about a node before the tar stream."""

    layout: str
    dirs: tuple[str, ...]
    files: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]
    jars: tuple[str, ...] | None
    artifacts: Artifacts = field(default_factory=Artifacts)
    plugins: tuple[str, ...] = ()


def _confs(layout: str) -> tuple[str, ...]:
    return ("",) if layout == "conf" else tuple(f"{c}/" for c in PROFILE_CONFS)


def allowed(rel: str, layout: str) -> bool:
    """Return True for a root-relative path the node loader may read."""
    files = _conf_files()
    if any(rel in {conf + f for f in files} for conf in _confs(layout)):
        return True
    if layout == "ei-home" and rel in (*HOME_XML_FILES, *START_SCRIPTS):
        return True
    folders = [f"{conf}datasources" for conf in _confs(layout)]
    if layout == "ei-home":
        folders.append(MESSAGE_PROCESSORS)
    return any(_xml_in(rel, folder) for folder in folders)


def _xml_in(rel: str, folder: str) -> bool:
    name = rel[len(folder) + 1 :]
    return (
        rel.startswith(f"{folder}/")
        and name.endswith(".xml")
        and "/" not in name
        and "\x00" not in name
    )


def _allowed_dir(rel: str, layout: str) -> bool:
    if rel in {f"{conf}datasources" for conf in _confs(layout)}:
        return True
    return layout == "ei-home" and rel in (*PROFILE_CONFS, *HOME_DIRS)


def _safe_jar(name: str) -> bool:
    return name.endswith(".jar") and "/" not in name and "\x00" not in name


def _artifact_line(word: str, rest: str, arts: Artifacts) -> None:
    if word == "ARTLIMIT":
        profile, _, why = rest.partition(" ")
        if profile in ("business-process", INTEGRATOR):
            arts.limits[profile] = clean(why)
        return
    if word == "ARTH":
        digest, _, rel = rest.partition("  ")
        if digest.startswith("\\"):
            # sha256sum marks a name holding a backslash or newline and escapes it.
            digest, rel = digest[1:], _UNESCAPE.sub(_unescape, rel)
        if re.fullmatch(r"[0-9a-f]{64}", digest):
            _put(arts, rel, f"sha256:{digest}")
    elif word == "ARTL":
        rel, _, target = rest.partition("\t")
        _put(arts, rel, f"link:{target}")
    elif (word == "ARTU" and _put(arts, rest, "unreadable")) or (
        word == "ARTD" and _is_artifact(rest)
    ):
        arts.problems.append((rest, "permission denied"))


_UNESCAPE = re.compile(r"\\(.)")


def _unescape(match: re.Match[str]) -> str:
    return "\n" if match[1] == "n" else match[1]


def _is_artifact(rel: str) -> bool:
    return any(rel == d or rel.startswith(d + "/") for d in ARTIFACT_DIRS)


def _put(arts: Artifacts, rel: str, value: str) -> bool:
    if not _is_artifact(rel):
        return False
    arts.hashes[rel] = value
    return True


def parse_listing(text: str) -> Listing:
    """Read the reader's text lines; raise FetchError on ERR or nonsense."""
    fields: dict[str, list[str]] = {
        "DIR": [],
        "FILE": [],
        "JAR": [],
        "SKIP": [],
        "PLUGIN": [],
    }
    layout, has_lib = "", False
    arts = Artifacts()
    for line in text.split("\n"):
        word, _, rest = line.partition(" ")
        if word == "ERR":
            raise FetchError(_FATAL.get(rest, f"reader failed: {clean(rest)}"))
        if word == "LAYOUT" and rest in ("ei-home", "conf"):
            layout = rest
        elif word == "LIB":
            has_lib = True
        elif word in fields:
            fields[word].append(rest)
        elif word.startswith("ART"):
            _artifact_line(word, rest, arts)
    if not layout:
        raise FetchError("the remote reader gave no answer (is /bin/sh POSIX?)")
    skipped = []
    for entry in fields["SKIP"]:
        reason, _, rel = entry.partition(" ")
        if allowed(rel, layout) or _allowed_dir(rel, layout):
            skipped.append((rel, _skip_reason(reason)))
    return Listing(
        layout=layout,
        dirs=tuple(d for d in fields["DIR"] if _allowed_dir(d, layout)),
        files=tuple(dict.fromkeys(f for f in fields["FILE"] if allowed(f, layout))),
        skipped=tuple(skipped),
        jars=tuple(sorted(j for j in fields["JAR"] if _safe_jar(j))[:MAX_JARS])
        if has_lib
        else None,
        artifacts=arts,
        plugins=_telling_plugins(fields["PLUGIN"]) if layout == "ei-home" else (),
    )


def _telling_plugins(names: list[str]) -> tuple[str, ...]:
    """Keep the plugin jar names that tell releases apart (facts/ei-versions.json)."""
    prefixes = tuple(evidence()["plugin_prefixes"])
    return tuple(
        sorted(n for n in set(names) if _safe_jar(n) and n.startswith(prefixes))
    )


def _skip_reason(reason: str) -> str:
    if reason.startswith("big:"):
        _, size, limit = (*reason.split(":"), "", "")[:3]
        if size.isdigit() and limit.isdigit():
            return f"is {size} bytes, over the {limit}-byte limit"
        return "is over the size limit"
    return _SKIP_REASONS.get(reason, "could not be read")


def extract(tar_bytes: bytes, listing: Listing, dest: Path) -> tuple[str, ...]:
    """Write the announced regular files of a tar stream below ``dest``.

    Returns the announced files that the stream did not carry (they vanished or
    became unreadable between listing and archiving). Nothing else is written:
    names are checked against the listing, so absolute paths, ``..``, links and
    devices never reach the disk.
    """
    wanted = set(listing.files)
    written: dict[str, bytes] = {}
    if tar_bytes.strip(b"\x00"):
        try:
            with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as tar:
                for member in tar:
                    _take_member(tar, member, wanted, written)
        except (tarfile.TarError, EOFError) as exc:
            raise FetchError(f"unreadable archive from the reader: {exc}") from None
    for rel in listing.dirs:
        (dest / rel).mkdir(parents=True, exist_ok=True)
    for rel, data in written.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for jar in listing.jars or ():
        (dest / "lib").mkdir(parents=True, exist_ok=True)
        (dest / "lib" / jar).touch()
    if listing.jars is not None:
        (dest / "lib").mkdir(parents=True, exist_ok=True)
    for jar in listing.plugins:
        (dest / PLUGINS).mkdir(parents=True, exist_ok=True)
        (dest / PLUGINS / jar).touch()
    return tuple(sorted(wanted - written.keys()))


def _take_member(
    tar: tarfile.TarFile,
    member: tarfile.TarInfo,
    wanted: set[str],
    written: dict[str, bytes],
) -> None:
    name = member.name.removeprefix("./")
    if name not in wanted or name in written or member.size > MAX_CONFIG_BYTES:
        return
    if member.isreg():
        handle = tar.extractfile(member)
        if handle is not None:
            written[name] = handle.read(MAX_CONFIG_BYTES + 1)[:MAX_CONFIG_BYTES]
    elif member.islnk():
        # tar -h stores a second path to the same file as a hard link.
        source = member.linkname.removeprefix("./")
        if source in written:
            written[name] = written[source]


class FetchedTree(Struct, frozen=True):
    """A node's files copied into a local directory, and what could not be."""

    target: RemoteTarget
    root: Path
    layout: str
    skipped: tuple[tuple[str, str], ...]


def split_output(out: bytes) -> tuple[str, bytes]:
    """Split the reader's output into its text listing and the tar stream."""
    if out.startswith(_END):
        return "", out[len(_END) :]
    head, sep, tail = out.partition(b"\n" + _END)
    if not sep:
        return out[:MAX_LISTING].decode("utf-8", "replace"), b""
    if len(head) > MAX_LISTING:
        raise FetchError("the remote reader's listing is too long")
    return head.decode("utf-8", "replace"), tail


def run_reader(argv: list[str], settings: RemoteSettings) -> Completed:
    """Run the reader through ``argv`` (ssh, or sh for a local snapshot)."""
    return run_bounded(argv, reader_script(), settings.timeout)


def fetch(target: RemoteTarget, dest: Path, settings: RemoteSettings) -> FetchedTree:
    """Fetch one node into ``dest`` over a single ssh connection (or locally)."""
    if target.host:
        remote = f"sh -s -- {shlex.quote(target.path)}"
        connect = max(1, min(int(settings.timeout), 30))
        argv = ssh_command(target.destination, remote, connect, settings.ssh_config)
    else:
        argv = ["sh", "-s", "--", target.path]
    done = run_reader(argv, settings)
    return unpack(done, target, dest)


def unpack(done: Completed, target: RemoteTarget, dest: Path) -> FetchedTree:
    """Turn the reader's output into a local tree; raise FetchError on failure."""
    if done.returncode == 255:
        raise FetchError(ssh_failure(done.stderr))
    text, tar_bytes = split_output(done.stdout)
    if not text and done.returncode != 0:
        raise FetchError(_shell_failure(done))
    listing = parse_listing(text)
    vanished = extract(tar_bytes, listing, dest)
    if listing.files and len(vanished) == len(listing.files):
        # Not one announced file arrived: the archive failed as a whole.
        raise FetchError(
            f"no announced file arrived ({len(tar_bytes)} archive bytes; "
            f"{_shell_failure(done)})"
        )
    skipped = listing.skipped + tuple((rel, "could not be read") for rel in vanished)
    record: dict[str, object] = {
        "source": target.shown,
        "layout": listing.layout,
        "not-copied": [{"path": rel, "reason": why} for rel, why in skipped],
        "note": (
            "lib/*.jar and plugin jars are empty placeholders: eilint reads only "
            "their names"
        ),
    }
    if listing.layout == "ei-home":
        record.update(listing.artifacts.record())
    write_record(dest, record)
    return FetchedTree(target, dest, listing.layout, skipped)


def _shell_failure(done: Completed) -> str:
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    detail = f": {clean(lines[-1])}" if lines else ""
    if done.returncode == 127:
        return f"the remote host could not run sh{detail}"
    return f"the remote reader failed (status {done.returncode}){detail}"
