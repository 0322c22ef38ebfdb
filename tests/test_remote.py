"""Remote nodes over a real sshd on 127.0.0.1, the reader, extraction, snapshot."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from eilint.api import LintOptions
from eilint.api import lint
from eilint.loaders.discover import NodeInputError
from eilint.loaders.remote import Listing
from eilint.loaders.remote import extract
from eilint.loaders.remote import parse_listing
from eilint.loaders.snapshot import SnapshotResult
from eilint.loaders.snapshot import take_snapshot
from eilint.loaders.ssh import FetchError
from eilint.loaders.ssh import ssh_failure
from eilint.loaders.targets import RemoteSettings
from eilint.loaders.targets import parse_target
from eilint.report import Report
from eilint.report.pathmap import sarif_view
from eilint.report.sarif import sarif_dict
from tests import sshd as sshd_helper
from tests.conftest import REPO

SAMPLES = REPO / "sample-configs"
PROFILE = "wso2/business-process/conf"
ARTIFACTS = "wso2/business-process/repository/deployment/server"


# --- parsing NODE arguments (no server needed) --------------------------------


@pytest.mark.parametrize(
    ("arg", "name", "dest", "path"),
    [
        ("node2:/opt/ei", "node2", "node2", "/opt/ei"),
        ("admin@10.0.0.5:/opt/ei/", "10.0.0.5", "admin@10.0.0.5", "/opt/ei"),
        ("n2=admin@node2:/opt//ei", "n2", "admin@node2", "/opt/ei"),
        ("[::1]:/opt/ei", "::1", "::1", "/opt/ei"),
    ],
)
def test_remote_arguments(arg: str, name: str, dest: str, path: str) -> None:
    target = parse_target(arg)
    assert target is not None
    assert (target.name, target.destination, target.path) == (name, dest, path)


@pytest.mark.parametrize(
    "arg", ["/opt/ei", "./node2:/opt", "conf", "node1=/srv/x", "-oProxyCommand=x:/a"]
)
def test_local_arguments_stay_local(arg: str) -> None:
    assert parse_target(arg) is None


def test_relative_remote_path_is_refused() -> None:
    with pytest.raises(NodeInputError, match="must be absolute"):
        parse_target("node2:opt/ei")


def test_ssh_errors_become_one_line_reasons() -> None:
    cases = {
        b"ssh: Could not resolve hostname nope.invalid: Name unknown\r\n": (
            "unknown host nope.invalid"
        ),
        b"ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n": (
            "connection refused"
        ),
        b"root@127.0.0.1: Permission denied (publickey).\r\n": (
            "authentication failed (publickey)"
        ),
        b"Host key verification failed.\r\n": "host key verification failed",
        b"banner\x1b[31m\r\nsomething odd\r\n": "ssh failed: something odd",
    }
    for stderr, start in cases.items():
        reason = ssh_failure(stderr)
        assert reason.startswith(start)
        assert "\n" not in reason and "\x1b" not in reason


def test_deadline_kills_a_hung_reader() -> None:
    import time

    from eilint.loaders.ssh import run_bounded

    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 1s"):
        run_bounded(["sh", "-c", "sleep 30"], b"", timeout=1)
    assert time.monotonic() - start < 5


def test_output_past_the_cap_is_refused() -> None:
    from eilint.loaders.ssh import run_bounded

    with pytest.raises(FetchError, match="more than 1000 bytes"):
        run_bounded(["sh", "-c", "yes"], b"", timeout=10, limit=1000)


def _reader_output(argv: list[str], env: dict[str, str] | None = None) -> object:
    from eilint.loaders.remote import reader_script

    done = subprocess.run(
        argv, input=reader_script(), capture_output=True, env=env, check=False
    )
    head, _, tar = done.stdout.partition(b"\nEILINT-TAR\n")
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        members = sorted(m.name for m in archive)
    return done.returncode, sorted(head.decode().splitlines()), members


def test_reader_is_the_same_under_dash_bash_and_busybox(tmp_path: Path) -> None:
    """Remote /bin/sh is dash on Debian, bash on RHEL, busybox on small hosts."""
    path = str(SAMPLES / "good" / "ei-node1")
    shells = [["dash"], ["bash", "--posix"]]
    outputs = [
        _reader_output([*sh, "-s", "--", path]) for sh in shells if shutil.which(sh[0])
    ]
    busybox = shutil.which("busybox")
    if busybox:
        # Busybox's own applets only: its tar, find, sha256sum, awk, sed...
        applets = ("sh", "tar", "find", "sha256sum", "readlink", "wc", "awk", "sed")
        for applet in (*applets, "ls", "tr", "realpath"):
            (tmp_path / applet).symlink_to(busybox)
        env = {"PATH": str(tmp_path)}
        outputs.append(_reader_output([str(tmp_path / "sh"), "-s", "--", path], env))
    assert len(outputs) >= 2
    assert all(out == outputs[0] for out in outputs)
    assert outputs[0][0] == 0


def test_reader_passes_shellcheck() -> None:
    if shutil.which("shellcheck") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("shellcheck is missing in CI (tests/run installs it)")
        pytest.skip("shellcheck is not installed")
    script = REPO / "src" / "eilint" / "loaders" / "remote.sh"
    done = subprocess.run(
        ["shellcheck", "-s", "sh", str(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout


# --- extraction from a hostile stream (no server needed) ----------------------


def _tar(members: list[tuple[tarfile.TarInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return buf.getvalue()


def _member(
    name: str, kind: bytes = tarfile.REGTYPE, link: str = ""
) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


def test_extract_takes_only_announced_regular_files(tmp_path: Path) -> None:
    listing = Listing(
        "conf", (), ("carbon.xml", "registry.xml", "user-mgt.xml"), (), None
    )
    data = _tar(
        [
            (_member("carbon.xml"), b"<Server/>"),
            (_member("../../escape.xml"), b"x"),
            (_member("/etc/evil.xml"), b"x"),
            (_member("registry.xml", tarfile.SYMTYPE, "/etc/passwd"), b""),
            (_member("bps.xml"), b"not announced"),
            (_member("user-mgt.xml", tarfile.FIFOTYPE), b""),
        ]
    )
    dest = tmp_path / "out"
    dest.mkdir()
    vanished = extract(data, listing, dest)
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*")) == [
        "carbon.xml"
    ]
    assert vanished == ("registry.xml", "user-mgt.xml")
    assert not (tmp_path / "escape.xml").exists()


def test_listing_ignores_names_the_loader_never_reads() -> None:
    listing = parse_listing(
        "EILINT 1\nLAYOUT ei-home\nFILE ../../etc/passwd\n"
        f"FILE {PROFILE}/carbon.xml\nFILE {PROFILE}/datasources/a/b.xml\n"
        f"FILE {PROFILE}/datasources/x.xml\nFILE bin/business-process.sh\n"
        "LIB\nJAR a.jar\nJAR ../b.jar\nJAR c.txt\nSKIP denied conf/../x\n"
    )
    assert listing.files == (
        f"{PROFILE}/carbon.xml",
        f"{PROFILE}/datasources/x.xml",
        "bin/business-process.sh",
    )
    assert listing.jars == ("a.jar",)
    assert listing.skipped == ()


def test_listing_error_lines_are_fetch_errors() -> None:
    with pytest.raises(FetchError, match="no such directory"):
        parse_listing("ERR missing\n")
    with pytest.raises(FetchError, match="gave no answer"):
        parse_listing("")
    with pytest.raises(FetchError, match="broker or analytics profile"):
        parse_listing("ERR notcovered\n")


def test_listing_keeps_each_profiles_artifact_limit_apart() -> None:
    listing = parse_listing(
        "EILINT 1\nLAYOUT ei-home\nARTLIMIT integrator more than 20000 files\n"
        "ARTLIMIT nonsense x\nARTH "
        + "a"
        * 64
        + "  repository/deployment/server/x.car\n"
        "ARTH " + "b" * 64 + "  repository/elsewhere/y\n"
        "PLUGIN hazelcast_3.12.2.wso2v1.jar\nPLUGIN axis2_1.6.1.jar\nPLUGIN ../x.jar\n"
    )
    assert listing.artifacts.limits == {"integrator": "more than 20000 files"}
    assert list(listing.artifacts.hashes) == ["repository/deployment/server/x.car"]
    assert listing.plugins == ("hazelcast_3.12.2.wso2v1.jar",)


def test_reader_refuses_a_broker_only_home(tmp_path: Path) -> None:
    from eilint.loaders.remote import fetch
    from eilint.loaders.targets import RemoteTarget

    (tmp_path / "ei" / "wso2" / "broker" / "conf").mkdir(parents=True)
    (tmp_path / "dest").mkdir()
    target = RemoteTarget("ei", None, "", str(tmp_path / "ei"))
    with pytest.raises(FetchError, match="not cover"):
        fetch(target, tmp_path / "dest", RemoteSettings())


def test_a_profiles_artifact_limit_applies_to_that_profile_only(tmp_path: Path) -> None:
    both = tmp_path / "both"
    shutil.copytree(SAMPLES / "good" / "ei-node1", both)
    shutil.copytree(SAMPLES / "integrator-good" / "esb-node2" / "conf", both / "conf")
    take_snapshot([str(both)], tmp_path / "snap", RemoteSettings())
    copy = tmp_path / "snap" / "both"
    record = copy / ".eilint-snapshot.json"
    doc = json.loads(record.read_text())
    doc["artifact-limits"] = {"integrator": "more than 20000 files"}
    record.write_text(json.dumps(doc))

    def limited(profile: str) -> list[str]:
        report = lint(
            LintOptions(nodes=[str(copy)], snapshots=[str(copy)], profile=profile)
        )
        return [f.location.path for f in report.findings if "not compared" in f.message]

    assert limited("integrator") == [f"{copy}/repository"]
    assert limited("business-process") == []
    # A record written before the integrator was read: one limit for the node.
    del doc["artifact-limits"]
    doc["artifact-limit"] = "more than 20000 files"
    record.write_text(json.dumps(doc))
    assert limited("business-process") == [f"{copy}/wso2/business-process/repository"]


# --- against a real sshd --------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sshd_helper.SshServer]:
    """A real sshd on 127.0.0.1 reached through the ssh config alias ``eitest``."""
    why = sshd_helper.available()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no test sshd: {why}")
        pytest.skip(why)
    with sshd_helper.running_sshd(tmp_path_factory.mktemp("sshd")) as srv:
        yield srv


@pytest.fixture
def cluster(tmp_path: Path) -> Path:
    """Three nodes: an EI_HOME (with lib/ and a start script) and two conf dirs."""
    root = tmp_path / "cluster"
    shutil.copytree(SAMPLES / "good" / "ei-node1", root / "home1")
    shutil.copytree(SAMPLES / "good" / "ei-node2", root / "home2")
    bpel = root / "home2" / ARTIFACTS / "bpel"
    (bpel / "OrderApproval-1.0.0.zip").write_bytes(b"a different build")
    (bpel / "only on home2.zip").write_bytes(b"x")
    (bpel / "link.zip").symlink_to("OrderApproval-1.0.0.zip")
    shutil.copytree(SAMPLES / "broken" / "ei-node1", root / "conf1")
    shutil.copytree(SAMPLES / "broken" / "ei-node2", root / "conf2")
    script = root / "home1" / "bin" / "business-process.sh"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\nJAVA_OPTS=-Xmx2g\n")
    (root / "home1" / "conf" / "datasources").mkdir(parents=True)
    shutil.copy(
        root / "home1" / PROFILE / "datasources" / "master-datasources.xml",
        root / "home1" / "conf" / "datasources" / "master-datasources.xml",
    )
    return root


def _settings(server: sshd_helper.SshServer, **kw: object) -> RemoteSettings:
    return RemoteSettings(ssh_config=server.config, **kw)  # type: ignore[arg-type]


def _remote(root: Path, names: list[str]) -> list[str]:
    return [f"{n}={sshd_helper.ALIAS}:{root / n}" for n in names]


def _local(root: Path, names: list[str]) -> list[str]:
    return [f"{n}={root / n}" for n in names]


def _normal(report: Report, roots: dict[str, str]) -> set[tuple[object, ...]]:
    """Findings with each node's root replaced by ``<name>``, for comparison."""

    def strip(text: str) -> str:
        for root, name in sorted(roots.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(root, f"<{name}>")
        return text

    return {
        (
            f.rule_id,
            f.node,
            strip(f.location.path),
            f.location.line,
            strip(f.message),
            tuple((strip(r.path), r.line) for r in f.related),
        )
        for f in report.findings
    }


def _roots(report: Report) -> dict[str, str]:
    return {root: name for name, root in report.roots.items()}


NODES = ["home1", "home2", "conf1", "conf2"]


def test_remote_and_local_runs_give_the_same_findings(
    server: sshd_helper.SshServer, cluster: Path
) -> None:
    local = lint(LintOptions(nodes=_local(cluster, NODES)))
    remote = lint(
        LintOptions(nodes=_remote(cluster, NODES), remote=_settings(server, jobs=3))
    )
    assert remote.node_errors == ()
    assert remote.findings, "the broken nodes must give findings to compare"
    assert {"DEP001", "DEP002"} <= {f.rule_id for f in remote.findings}
    assert _normal(remote, _roots(remote)) == _normal(local, _roots(local))
    paths = {f.location.path for f in remote.findings}
    assert all(p.startswith(f"{sshd_helper.ALIAS}:{cluster}/") for p in paths)
    # Canonical node order (by name), not the order fetches finished or were given.
    assert remote.nodes == tuple(sorted(NODES))


def test_remote_ei_home_reads_lib_scripts_and_home_files(
    server: sshd_helper.SshServer, cluster: Path
) -> None:
    from eilint.loaders import load_cluster
    from eilint.loaders.resolve import resolve_nodes

    resolved = resolve_nodes(_remote(cluster, ["home1"]), _settings(server))
    node = load_cluster(resolved.specs).nodes[0]
    assert node.layout == "ei-home"
    assert node.root == f"{sshd_helper.ALIAS}:{cluster / 'home1'}"
    assert node.lib_jars == ("mysql-connector-java-5.1.49.jar",)
    assert node.texts["bin/business-process.sh"] == ("#!/bin/sh", "JAVA_OPTS=-Xmx2g")
    assert "conf/datasources/master-datasources.xml" in node.extra_xml
    # Only what the loader reads was fetched: no deployment artifacts, no jars.
    fetched = {
        p.relative_to(resolved.specs[0].path).as_posix()
        for p in resolved.specs[0].path.rglob("*")
        if p.is_file()
    }
    assert not any("repository/deployment" in p for p in fetched)
    assert (resolved.specs[0].path / "lib" / node.lib_jars[0]).stat().st_size == 0


def test_remote_artifact_hashes_equal_the_local_scan(
    server: sshd_helper.SshServer, cluster: Path
) -> None:
    from eilint.loaders import load_cluster
    from eilint.loaders.resolve import resolve_nodes

    bpel = cluster / "home2" / ARTIFACTS / "bpel"
    (bpel / "odd \\ name.zip").write_bytes(b"y")
    (bpel / "secret.zip").write_bytes(b"z")
    (bpel / "secret.zip").chmod(0)
    (bpel / "locked").mkdir(mode=0)
    (cluster / "home2" / "wso2/business-process/repository/tenants").symlink_to("/nfs")
    local = load_cluster(
        resolve_nodes(_local(cluster, ["home2"]), RemoteSettings()).specs
    )
    resolved = resolve_nodes(_remote(cluster, ["home2"]), _settings(server))
    remote = load_cluster(resolved.specs)
    # The test runs as root locally; the remote side has no such privilege.
    expected = {
        **local.nodes[0].artifacts,
        f"{ARTIFACTS}/bpel/secret.zip": "unreadable",
    }
    assert remote.nodes[0].artifacts == expected
    assert remote.nodes[0].artifacts[f"{ARTIFACTS}/bpel/link.zip"] == (
        "link:OrderApproval-1.0.0.zip"
    )
    problems = {(p.where.path, p.message) for p in remote.problems}
    shown = f"{sshd_helper.ALIAS}:{cluster / 'home2'}"
    assert (f"{shown}/{ARTIFACTS}/bpel/secret.zip", "artifact permission denied") in (
        problems
    )
    assert (f"{shown}/{ARTIFACTS}/bpel/locked", "artifact permission denied") in (
        problems
    )
    # Only the hashes travelled: no artifact was copied to this machine.
    copied = [p for p in resolved.specs[0].path.rglob("*.zip")]
    assert copied == []


def test_text_report_shows_remote_source_lines(
    server: sshd_helper.SshServer, cluster: Path
) -> None:
    from eilint.report.text import render_text

    report = lint(
        LintOptions(nodes=_remote(cluster, ["conf1"]), remote=_settings(server))
    )
    assert report.findings
    out = io.StringIO()
    render_text(report, out, color=False)
    finding = report.findings[0]
    assert finding.location.line is not None
    local = Path(report.sources[finding.location.path])
    line = local.read_text().splitlines()[finding.location.line - 1].strip()
    assert f"{finding.location.line} | " in out.getvalue()
    assert line[:40] in out.getvalue()
    workdir = local.parents[1]
    del report, finding
    gc.collect()
    assert not workdir.exists(), "the fetched copies outlive their report"


def test_unreadable_files_are_findings_and_the_rest_is_read(
    server: sshd_helper.SshServer, cluster: Path, tmp_path: Path
) -> None:
    secret = cluster / "conf1" / "registry.xml"
    secret.chmod(0)
    (cluster / "conf1" / "user-mgt.xml").unlink()
    (cluster / "conf1" / "user-mgt.xml").symlink_to("/etc/hostname")
    report = lint(
        LintOptions(
            nodes=_remote(cluster, ["conf1"]), remote=_settings(server), select=["EIL"]
        )
    )
    shown = f"{sshd_helper.ALIAS}:{cluster / 'conf1'}"
    got = {(f.rule_id, f.location.path, f.message) for f in report.findings}
    assert ("EIL005", f"{shown}/registry.xml", "file permission denied") in got
    assert (
        "EIL005",
        f"{shown}/user-mgt.xml",
        "file is a symlink to a path outside the node tree; not read",
    ) in got
    assert report.node_errors == ()
    # The snapshot records what it could not copy; offline runs report it too.
    out = tmp_path / "snap"
    take_snapshot(_remote(cluster, ["conf1"]), out, _settings(server))
    copy = [f"conf1={out / 'conf1'}"]
    offline = lint(LintOptions(nodes=copy, select=["EIL"], snapshots=copy))
    assert _normal(offline, _roots(offline)) == _normal(report, _roots(report))


def test_local_fetch_with_progress_needs_no_server(tmp_path: Path) -> None:
    from eilint.loaders.resolve import fetch_all
    from eilint.loaders.snapshot import snapshot_target

    targets = [snapshot_target(f"n{i}={SAMPLES / 'good' / 'ei-node1'}") for i in (1, 2)]
    results = fetch_all(targets, tmp_path, RemoteSettings(jobs=2, progress=True))
    assert [getattr(r, "layout", r) for r in results] == ["ei-home", "ei-home"]


def _tree_state(root: Path) -> dict[str, tuple[int, int, str]]:
    """Mode, mtime and content hash of everything below ``root``."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest = ""
        if stat.S_ISREG(info.st_mode):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        state[path.relative_to(root).as_posix()] = (
            info.st_mode,
            info.st_mtime_ns,
            digest,
        )
    return state


def test_nothing_on_the_remote_side_is_modified(
    server: sshd_helper.SshServer, cluster: Path, tmp_path: Path
) -> None:
    before = _tree_state(cluster)
    lint(LintOptions(nodes=_remote(cluster, NODES), remote=_settings(server)))
    take_snapshot(_remote(cluster, NODES), tmp_path / "snap", _settings(server))
    assert _tree_state(cluster) == before


# --- failures: one line naming the node, the other nodes still checked --------


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections and never says anything."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


def _extra_hosts(server: sshd_helper.SshServer, silent: int) -> Path:
    text = server.config.read_text()
    work = server.workdir
    stranger = work / "stranger_key"
    if not stranger.exists():
        sshd_helper._keygen(stranger)
    extra = (
        f"Host refused\n  HostName 127.0.0.1\n  Port {sshd_helper.free_port()}\n"
        f"Host silent\n  HostName 127.0.0.1\n  Port {silent}\n"
        f"Host stranger\n  HostName 127.0.0.1\n  Port {server.port}\n"
        f"  User {server.user}\n  IdentityFile {stranger}\n"
        f"Host unknownkey\n  HostName 127.0.0.1\n  Port {server.port}\n"
        f"  User {server.user}\n  IdentityFile {work / 'user_key'}\n"
        f"  UserKnownHostsFile {work / 'empty_known_hosts'}\n"
    )
    (work / "empty_known_hosts").write_text("")
    path = work / "ssh_config_failures"
    path.write_text(extra + text)
    return path


FAILURES = [
    ("nosuchhost.invalid:{root}/conf2", "unknown host nosuchhost.invalid"),
    ("refused:{root}/conf2", "connection refused"),
    ("stranger:{root}/conf2", "authentication failed"),
    ("unknownkey:{root}/conf2", "host key verification failed"),
    ("silent:{root}/conf2", "timed out"),
    ("eitest:{root}/nope", "no such directory"),
    ("eitest:{root}/conf2/carbon.xml", "not a directory"),
    ("eitest:{root}/empty", "not an EI tree"),
    ("eitest:{root}/locked", "permission denied"),
]


@pytest.mark.parametrize(("node", "reason"), FAILURES)
def test_each_failure_is_one_line_and_isolated(
    server: sshd_helper.SshServer,
    cluster: Path,
    silent_port: int,
    node: str,
    reason: str,
) -> None:
    (cluster / "empty").mkdir()
    (cluster / "locked").mkdir(mode=0)
    config = _extra_hosts(server, silent_port)
    bad = "bad=" + node.format(root=cluster)
    # The silent host needs a short deadline; the good node then is local, so a
    # slow machine cannot make it miss that deadline too.
    silent = node.startswith("silent")
    good = _local(cluster, ["conf1"]) if silent else _remote(cluster, ["conf1"])
    settings = RemoteSettings(ssh_config=config, timeout=3 if silent else 60)
    report = lint(LintOptions(nodes=[bad, *good], remote=settings))
    assert len(report.node_errors) == 1
    error = report.node_errors[0]
    assert error.startswith("bad (")
    assert reason in error
    assert "\n" not in error
    assert report.nodes == ("conf1",)
    assert any(f.node == "conf1" for f in report.findings)


# --- SARIF and --map ------------------------------------------------------------


def test_sarif_uses_ssh_uris_and_map_matches_the_snapshot(
    server: sshd_helper.SshServer,
    cluster: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.chdir(repo)
    nodes = _remote(cluster, ["conf1", "conf2"])
    live = lint(LintOptions(nodes=nodes, remote=_settings(server)))
    plain = sarif_dict(sarif_view(live, {}), cwd=repo)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in plain["runs"][0]["results"]
    }
    assert uris and all(u.startswith(f"ssh://eitest{cluster}/") for u in uris)

    result = take_snapshot(nodes, repo / "configs", _settings(server))
    assert result.failures == []
    maps = {"conf1": "configs/conf1", "conf2": "configs/conf2"}
    mapped = sarif_dict(sarif_view(live, maps), cwd=repo)
    copies = ["configs/conf1", "configs/conf2"]
    offline = lint(LintOptions(nodes=copies, snapshots=copies))
    expected = sarif_dict(offline, cwd=repo)

    def results(doc: dict) -> list[tuple[object, ...]]:
        # No region: an absent file, located at the node's directory.
        return sorted(
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"].get("region", {}).get("startLine")
                or 0,
                r["partialFingerprints"]["eilintFingerprint/v1"],
            )
            for r in doc["runs"][0]["results"]
        )

    assert results(mapped) == results(expected)


# --- snapshot --------------------------------------------------------------------


def _clean_snapshot(
    server: sshd_helper.SshServer, nodes: list[str], out: Path
) -> SnapshotResult:
    """Snapshot ``nodes`` into ``out``; every node and file must be copied."""
    result = take_snapshot(nodes, out, _settings(server, jobs=2))
    assert result.failures == [] and result.warnings == []
    return result


def test_snapshot_then_offline_gives_the_live_findings(
    server: sshd_helper.SshServer, cluster: Path, tmp_path: Path
) -> None:
    nodes = _remote(cluster, NODES)
    out = tmp_path / "snap"
    result = _clean_snapshot(server, nodes, out)
    assert sorted(name for name, _, _ in result.written) == sorted(NODES)
    live = lint(LintOptions(nodes=nodes, remote=_settings(server)))
    copies = [str(out / n) for n in NODES]
    offline = lint(LintOptions(nodes=copies, snapshots=copies))
    assert _normal(live, _roots(live)) == _normal(offline, _roots(offline))
    copied = {
        p.relative_to(out / "home1").as_posix() for p in (out / "home1").rglob("*")
    }
    assert "lib/mysql-connector-java-5.1.49.jar" in copied
    assert not any("repository" in p for p in copied)
    assert ".eilint-snapshot.json" in copied
    assert not any(p.name.startswith(".eilint-snapshot-") for p in out.iterdir())


def test_snapshot_refuses_to_overwrite_without_force(
    server: sshd_helper.SshServer, cluster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "snap"
    (out / "conf1").mkdir(parents=True)
    (out / "conf1" / "stale.xml").write_text("<x/>")
    nodes = _remote(cluster, ["conf1"])
    with pytest.raises(NodeInputError, match="not empty"):
        take_snapshot(nodes, out, _settings(server))
    take_snapshot(nodes, out, _settings(server), force=True)
    assert not (out / "conf1" / "stale.xml").exists()
    assert (out / "conf1" / "carbon.xml").is_file()


def test_snapshot_of_a_local_tree_matches_the_remote_one(
    server: sshd_helper.SshServer, cluster: Path, tmp_path: Path
) -> None:
    take_snapshot(_remote(cluster, ["home1"]), tmp_path / "a", _settings(server))
    take_snapshot(_local(cluster, ["home1"]), tmp_path / "b", _settings(server))
    a, b = tmp_path / "a" / "home1", tmp_path / "b" / "home1"
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    manifest = Path(".eilint-snapshot.json")
    assert files_a.pop(manifest) != files_b.pop(manifest)  # the sources differ
    assert files_a == files_b


# --- the command line ------------------------------------------------------------


def _eilint(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eilint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})},
    )


def test_cli_failed_node_exits_2_and_the_rest_is_reported(
    server: sshd_helper.SshServer, cluster: Path
) -> None:
    nodes = [f"gone=eitest:{cluster}/nope", *_remote(cluster, ["conf1"])]
    done = _eilint(
        "check", *nodes, "--ssh-config", str(server.config), "-f", "json", cwd=cluster
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"eilint: gone (eitest:{cluster}/nope): no such directory"
    ]
    doc = json.loads(done.stdout)
    paths = {f["location"]["path"] for f in doc["findings"]}
    assert paths and all(p.startswith(f"eitest:{cluster}/conf1/") for p in paths)


def test_cli_removes_its_copy_of_remote_files(
    server: sshd_helper.SshServer, cluster: Path, tmp_path: Path
) -> None:
    # eilint.entry skips interpreter teardown after a local check; the copies
    # of remote files must still be gone when the process ends.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    cfg = str(server.config)
    argv = ["check", *_remote(cluster, ["conf1"]), "--ssh-config", cfg, "-f", "json"]
    done = _eilint(*argv, cwd=cluster, env={"TMPDIR": str(scratch)})
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["findings"]
    assert list(scratch.iterdir()) == []


def test_cli_sarif_map_and_snapshot(
    server: sshd_helper.SshServer, cluster: Path, tmp_path: Path
) -> None:
    cfg = str(server.config)
    nodes = _remote(cluster, ["conf1"])
    snap = _eilint(
        "snapshot", *nodes, "-o", "configs", "--ssh-config", cfg, cwd=tmp_path
    )
    assert snap.returncode == 0, snap.stderr
    assert snap.stdout.startswith("conf1: ")
    again = _eilint(
        "snapshot", *nodes, "-o", "configs", "--ssh-config", cfg, cwd=tmp_path
    )
    assert again.returncode == 2 and "not empty" in again.stderr
    args = ["check", *nodes, "--ssh-config", cfg, "-f", "sarif"]
    done = _eilint(*args, "--map", "conf1=configs/conf1", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    results = json.loads(done.stdout)["runs"][0]["results"]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in results
    }
    assert uris and all(u.startswith("configs/conf1/") for u in uris)
    github = _eilint(*args[:-1], "github", "--map", "conf1=configs/conf1", cwd=tmp_path)
    assert "file=configs/conf1/" in github.stdout
    wrong = _eilint(*args, "--map", "other=configs/x", cwd=tmp_path)
    assert wrong.returncode == 2 and "no node of that name" in wrong.stderr


def test_ctrl_c_stops_the_ssh_children_at_once(
    server: sshd_helper.SshServer, cluster: Path, silent_port: int
) -> None:
    import signal
    import time

    config = _extra_hosts(server, silent_port)
    args = ["check", f"silent:{cluster}/conf1", "--ssh-config", str(config)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "eilint", *args, "--timeout", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    assert proc.poll() is None, proc.communicate()
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 10
    assert proc.returncode != 0
    assert "Traceback" not in err
    left = subprocess.run(
        ["pgrep", "-f", str(config)], capture_output=True, text=True, check=False
    )
    assert left.stdout == ""


def test_manifest_may_list_remote_nodes(
    server: sshd_helper.SshServer, cluster: Path
) -> None:
    (cluster / "eilint.yaml").write_text(
        "cluster: mixed\nnodes:\n"
        "  - {name: conf1, path: conf1}\n"
        f"  - {{name: conf2, path: 'eitest:{cluster}/conf2'}}\n"
    )
    done = _eilint(
        "check", "--ssh-config", str(server.config), "-f", "json", cwd=cluster
    )
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    paths = {f["location"]["path"] for f in doc["findings"]}
    assert any(p.startswith(f"eitest:{cluster}/conf2/") for p in paths)
    assert any(p.startswith("conf1/") for p in paths)
    offline = _eilint("check", "--offline", cwd=cluster)
    assert offline.returncode == 2 and "--offline" in offline.stderr


# --- the integrator profile --------------------------------------------------------

INT_NODES = ["esb1", "esb2", "both"]


@pytest.fixture
def integrator(tmp_path: Path) -> Path:
    """Two integrator EI_HOMEs (message processors, artifacts) and a home of both.

    ``both`` is a business-process EI_HOME that also holds the integrator's conf/
    and repository/ (as a stock EI_HOME does), stating EI 6.5.0 in a plugin name.
    """
    root = tmp_path / "integrator"
    shutil.copytree(SAMPLES / "integrator-broken" / "esb-node1", root / "esb1")
    shutil.copytree(SAMPLES / "integrator-broken" / "esb-node2", root / "esb2")
    deployed = root / "esb2" / "repository" / "deployment" / "server"
    (deployed / "carbonapps").mkdir(parents=True, exist_ok=True)
    (deployed / "carbonapps" / "OrdersCApp_1.0.0.car").write_bytes(b"only here")
    both = root / "both"
    shutil.copytree(SAMPLES / "good" / "ei-node1", both)
    shutil.rmtree(both / "conf", ignore_errors=True)
    shutil.copytree(SAMPLES / "integrator-good" / "esb-node2" / "conf", both / "conf")
    shutil.copytree(
        SAMPLES / "integrator-broken" / "esb-node2" / "repository",
        both / "repository",
    )
    plugins = both / "wso2" / "components" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "hazelcast_3.12.2.wso2v1.jar").write_bytes(b"")
    (plugins / "axis2_1.6.1.wso2v38.jar").write_bytes(b"")
    return root


@pytest.mark.parametrize("profile", [None, "integrator", "business-process"])
def test_remote_integrator_homes_give_the_local_findings(
    server: sshd_helper.SshServer, integrator: Path, profile: str | None
) -> None:
    names = ["esb1", "esb2"] if profile != "business-process" else ["both"]
    if profile == "integrator":
        names = INT_NODES
    local = lint(LintOptions(nodes=_local(integrator, names), profile=profile))
    remote = lint(
        LintOptions(
            nodes=_remote(integrator, names),
            remote=_settings(server, jobs=3),
            profile=profile,
        )
    )
    assert remote.node_errors == () and local.node_errors == ()
    assert remote.findings, "the broken integrator nodes must give findings"
    assert _normal(remote, _roots(remote)) == _normal(local, _roots(local))
    expected = profile or "integrator"
    assert remote.cluster.profile == local.cluster.profile == expected
    assert [n.ei_version for n in remote.cluster.nodes] == [
        n.ei_version for n in local.cluster.nodes
    ]


def test_remote_integrator_home_reads_processors_and_its_artifacts(
    server: sshd_helper.SshServer, integrator: Path
) -> None:
    from eilint.loaders import load_cluster
    from eilint.loaders import profile
    from eilint.loaders.resolve import resolve_nodes

    resolved = resolve_nodes(_remote(integrator, ["esb2", "both"]), _settings(server))
    choice = profile.choose(resolved.specs, "integrator")
    remote = load_cluster(list(choice.specs)).nodes
    local_choice = profile.choose(
        resolve_nodes(_local(integrator, ["esb2", "both"]), RemoteSettings()).specs,
        "integrator",
    )
    local = load_cluster(list(local_choice.specs)).nodes
    for got, want in zip(remote, local, strict=True):
        assert got.conf.endswith("/conf")
        assert got.artifacts == want.artifacts and got.artifacts
        assert all(a.startswith("repository/") for a in got.artifacts)
        assert got.extra_xml.keys() == want.extra_xml.keys()
    assert any("message-processors" in k for k in remote[0].extra_xml)
    # The business-process profile of the same fetched home keeps its own.
    bps = profile.choose(resolved.specs[1:], "business-process").specs
    node = load_cluster(list(bps)).nodes[0]
    assert node.artifacts and all(a.startswith("wso2/") for a in node.artifacts)


def test_snapshot_of_integrator_nodes_round_trips(
    server: sshd_helper.SshServer, integrator: Path, tmp_path: Path
) -> None:
    nodes = _remote(integrator, INT_NODES)
    out = tmp_path / "snap"
    _clean_snapshot(server, nodes, out)
    for profile in ("integrator", None):
        names = INT_NODES if profile else ["esb1", "esb2"]
        live = lint(
            LintOptions(nodes=_remote(integrator, names), remote=_settings(server))
            if profile is None
            else LintOptions(nodes=nodes, remote=_settings(server), profile=profile)
        )
        chosen = [str(out / n) for n in names]
        offline = lint(LintOptions(nodes=chosen, snapshots=chosen, profile=profile))
        assert live.findings
        assert _normal(live, _roots(live)) == _normal(offline, _roots(offline))
        assert live.cluster.profile == offline.cluster.profile == "integrator"
    copied = {p.relative_to(out / "both").as_posix() for p in (out / "both").rglob("*")}
    assert "conf/carbon.xml" in copied and f"{PROFILE}/carbon.xml" in copied
    assert "wso2/components/plugins/hazelcast_3.12.2.wso2v1.jar" in copied
    assert not any(p.startswith("wso2/components/plugins/axis2") for p in copied)
