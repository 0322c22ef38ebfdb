"""The fix machinery: spans, formatting kept (CRLF, BOM, encodings, comments),
the diff real git/patch take, all-or-nothing writes, the parse check, the round
limit, and the command line (--fix, --diff, --show-fixes, remote refusal)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from eilint.findings import Finding
from eilint.findings import Location
from eilint.findings import Severity
from eilint.fix import apply
from eilint.fix.edits import Applicability
from eilint.fix.edits import Edit
from eilint.fix.edits import Fix
from eilint.fix.nginxspans import parse_nginx
from eilint.fix.xmlspans import parse_spans
from tests.fixhelp import FIX_FIXTURES
from tests.fixhelp import run_fix
from tests.fixhelp import tree_bytes
from tests.test_nginx_real import _loadable
from tests.test_nginx_real import _nginx_t
from tests.test_nginx_real import cert_pair  # noqa: F401 - a pytest fixture

ROOT = Path(__file__).resolve().parent.parent
DSR_CASE = FIX_FIXTURES / "DSR001" / "fail_autocommit_false"
NGX_CASE = FIX_FIXTURES / "NGX002" / "fail_ssl_on"
DS_REL = "node1/datasources/bps-datasources.xml"


def test_xml_spans_of_text_and_attributes() -> None:
    data = b"\xef\xbb\xbf<a x='1' y = \"2\">\r\n  <b>t</b><c/>\r\n</a>"
    doc = parse_spans(data)
    assert doc is not None and doc.newline == "\r\n"
    b = doc.by_key["/a/b[1]"]
    assert data[slice(*doc.text_span(b))] == b"t"
    assert doc.by_key["/a/c[1]"].close_start is None
    y = doc.root.attrs["y"]
    assert data[y.value_start : y.value_end] == b"2"


def test_xml_spans_refuse_what_they_cannot_place() -> None:
    assert parse_spans("<a/>".encode("utf-16")) is None
    assert parse_spans(b"<!DOCTYPE a><a/>") is None
    assert parse_spans(b"<a><b></a>") is None


def test_latin1_file_keeps_its_encoding(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(DSR_CASE / "before", tree)
    path = tree / DS_REL
    text = path.read_bytes().replace(
        b"<datasources-configuration",
        b"<!-- caf\xe9 -->\n<datasources-configuration",
    )
    path.write_bytes(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + text)
    before = path.read_bytes()
    run_fix(DSR_CASE, tree, ["DSR001"])
    assert path.read_bytes() == before.replace(b">false<", b">true<")


def test_nginx_lexer_spans() -> None:
    data = b'http { server { listen 443; # c\n ssl "on"; } }\n'
    ngx = parse_nginx(data)
    ssl = ngx.at(2, "ssl")
    assert ssl is not None and ssl.args[0].text == "on"
    assert data[ssl.args[0].start : ssl.args[0].end] == b'"on"'


# No '-': "--" may not appear inside an XML comment.
_COMMENT = st.text(alphabet="abcdefgh ijk_.", min_size=0, max_size=20).map(
    lambda t: f"<!-- {t} -->"
)
_PAD = st.sampled_from(["", " ", "\t", "  "])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    comments=st.lists(st.tuples(_COMMENT, _PAD), min_size=1, max_size=8),
    crlf=st.booleans(),
    bom=st.booleans(),
    seed=st.randoms(use_true_random=False),
)
def test_comments_and_whitespace_around_a_fixable_defect_survive(
    comments: list[tuple[str, str]], crlf: bool, bom: bool, seed: object
) -> None:
    lines = (DSR_CASE / "before" / DS_REL).read_text().splitlines()
    for comment, pad in comments:
        at = seed.randint(1, len(lines))  # type: ignore[attr-defined]
        lines.insert(at, f"{pad}{comment}{pad}")
    target = next(i for i, ln in enumerate(lines) if "defaultAutoCommit" in ln)
    lines[target] += comments[0][0]  # a comment on the defect's own line
    newline = "\r\n" if crlf else "\n"
    data = ("\ufeff" if bom else "") + newline.join(lines) + newline
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(DSR_CASE / "before", tree)
        path = tree / DS_REL
        path.write_bytes(data.encode("utf-8"))
        outcome = run_fix(DSR_CASE, tree, ["DSR001"])
        assert len(outcome.applied) == 1
        expected = data.replace(">false<", ">true<").encode("utf-8")
        assert path.read_bytes() == expected


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    comment=st.text(alphabet="abcdefgh ijk-_.;{}", max_size=20),
    pad=st.sampled_from(["", " ", "\t"]),
    crlf=st.booleans(),
)
def test_nginx_comments_around_ssl_on_survive(
    comment: str, pad: str, crlf: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(NGX_CASE / "before", tree)
        conf = next((tree / "nginx" / "conf.d").glob("*.conf"))
        text = conf.read_text().replace(
            "    ssl on;", f"    # {comment}\n{pad}ssl   on ;{pad}# {comment}", 1
        )
        if crlf:
            text = text.replace("\n", "\r\n")
        conf.write_bytes(text.encode())
        run_fix(NGX_CASE, tree, ["NGX002"])
        out = conf.read_bytes().decode()
        assert out.count(f"# {comment}") >= 2  # both comments kept
        assert "ssl   on" not in out and "ssl on;" not in out
        assert out.count("listen 443 ssl;") == 2
        bare_lf = out.replace("\r\n", "").count("\n")
        assert bare_lf == (0 if crlf else out.count("\n"))


def _finding(path: Path, fix: Fix, rule: str = "DSR001") -> Finding:
    return Finding(rule, "x", Severity.ERROR, "m", "h", Location(str(path), 1), fix=fix)


def test_a_fix_that_breaks_the_file_is_dropped_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a><b>x</b></a>")
    broken = Fix("t", Applicability.SAFE, (Edit(str(path), 3, 6, "<c>"),))
    planned = apply.plan([_finding(path, broken)])
    assert planned.contents == {} and planned.applied == ()
    assert "unparseable" in planned.errors[0]


def test_a_cross_file_fix_is_dropped_whole_when_one_file_would_break(
    tmp_path: Path,
) -> None:
    good, bad = tmp_path / "a.xml", tmp_path / "b.xml"
    good.write_bytes(b"<a><b>x</b></a>")
    bad.write_bytes(b"<a><b>x</b></a>")
    both = Fix(
        "t",
        Applicability.UNSAFE,
        (Edit(str(good), 6, 7, "y"), Edit(str(bad), 3, 6, "<c>")),
    )
    other = Fix("u", Applicability.SAFE, (Edit(str(good), 11, 11, "<d/>"),))
    planned = apply.plan([_finding(good, both), _finding(good, other, "DSR002")])
    assert [f.rule_id for f in planned.applied] == ["DSR002"]
    assert planned.contents == {str(good): b"<a><b>x</b><d/></a>"}


def test_overlapping_fixes_keep_the_first_in_position_order(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a><b>x</b></a>")
    one = Fix("1", Applicability.SAFE, (Edit(str(path), 6, 7, "y"),))
    two = Fix("2", Applicability.SAFE, (Edit(str(path), 6, 7, "z"),))
    planned = apply.plan([_finding(path, two), _finding(path, one)])
    assert len(planned.applied) == 1
    assert next(iter(planned.contents.values())) in (
        b"<a><b>y</b></a>",
        b"<a><b>z</b></a>",
    )


def test_writes_are_all_or_nothing(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    first.write_bytes(b"<a/>")
    second.mkdir()  # replacing a directory by a file fails after the first file
    originals: dict[str, bytes | None] = {str(first): b"<a/>", str(second): b""}
    with pytest.raises(OSError):
        apply.write_all({str(first): b"<b/>", str(second): b"<c/>"}, originals)
    assert first.read_bytes() == b"<a/>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml", "b.xml"]


def test_fixes_that_never_settle_fail_to_converge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eilint.fix import registry

    tree = tmp_path / "tree"
    shutil.copytree(DSR_CASE / "before", tree)
    path = tree / DS_REL

    def flip(finding: Finding, ctx: object) -> Fix:
        data = path.read_bytes()
        at = data.index(b"<maxIdle>") + len(b"<maxIdle>")
        new = "21" if data[at : at + 2] == b"20" else "20"
        return Fix("flip", Applicability.SAFE, (Edit(str(path), at, at + 2, new),))

    monkeypatch.setitem(registry.producers(), "DSR001", flip)
    outcome = run_fix(DSR_CASE, tree, ["DSR001"])
    assert not outcome.converged
    assert len(outcome.applied) == 10


def _eilint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "eilint"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def _git_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "cluster"
    shutil.copytree(ROOT / "sample-configs" / "broken", tree)
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    return tree


def test_diff_is_taken_by_git_apply_and_patch_and_writes_nothing(
    tmp_path: Path,
) -> None:
    tree = _git_tree(tmp_path)
    before = tree_bytes(tree / "ei-node1")
    result = _eilint("check", "--diff", "--unsafe-fixes", cwd=tree)
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/")
    assert tree_bytes(tree / "ei-node1") == before
    assert "password" not in result.stdout.lower()
    (tmp_path / "p.diff").write_text(result.stdout)
    subprocess.run(
        ["git", "apply", "--check", str(tmp_path / "p.diff")], cwd=tree, check=True
    )
    subprocess.run(
        ["patch", "-p1", "--dry-run", "-i", str(tmp_path / "p.diff")],
        cwd=tree,
        check=True,
        capture_output=True,
    )
    # --diff shows every round: once applied, nothing is left, as after --fix.
    subprocess.run(["git", "apply", str(tmp_path / "p.diff")], cwd=tree, check=True)
    again = _eilint("check", "--diff", "--unsafe-fixes", cwd=tree)
    assert again.returncode == 0 and again.stdout == ""
    fixed = _git_tree(tmp_path / "f")
    _eilint("check", "--fix", "--unsafe-fixes", cwd=fixed)
    assert "not shown in the diff" not in result.stderr  # no hunk withheld here
    for node in ("ei-node1", "ei-node2", "nginx"):
        assert tree_bytes(tree / node) == tree_bytes(fixed / node)


def test_fix_show_fixes_and_the_report_after(tmp_path: Path) -> None:
    tree = _git_tree(tmp_path)
    result = _eilint("check", "--fix", "--show-fixes", "-f", "json", cwd=tree)
    assert "eilint: fixed " in result.stderr
    assert "DSR001 fixed (safe): set defaultAutoCommit to true" in result.stderr
    assert "REG001" not in result.stderr  # unsafe: not without --unsafe-fixes
    report = json.loads(result.stdout)
    assert not any(f["rule"] == "DSR001" for f in report["findings"])
    writer = [f for f in report["findings"] if f["rule"] == "REG001"]
    assert writer and writer[0]["fix"]["applicability"] == "unsafe"


def test_manifest_unfixable_keeps_a_rule_out(tmp_path: Path) -> None:
    tree = _git_tree(tmp_path)
    manifest = tree / "eilint.yaml"
    manifest.write_text(manifest.read_text() + "unfixable: [DSR001]\n")
    before = (tree / "ei-node2" / "datasources" / "bps-datasources.xml").read_bytes()
    _eilint("check", "--fix", cwd=tree)
    after = (tree / "ei-node2" / "datasources" / "bps-datasources.xml").read_bytes()
    assert after == before


def test_fix_refuses_remote_nodes_in_one_line(tmp_path: Path) -> None:
    result = _eilint("check", "node9:/opt/ei", "--fix", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "remote node" in lines[0] and "--fix" in lines[0]


def test_sarif_fixes_validate_against_the_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from tests.conftest import SARIF_SCHEMA

    if not SARIF_SCHEMA.is_file():
        pytest.skip("SARIF schema not available")
    tree = _git_tree(tmp_path)
    result = _eilint("check", "-f", "sarif", cwd=tree)
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    fixed = [r for r in log["runs"][0]["results"] if "fixes" in r]
    assert fixed
    change = fixed[0]["fixes"][0]["artifactChanges"][0]
    assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(
        change["replacements"][0]["deletedRegion"]
    )


def test_only_files_inside_the_local_trees_are_editable(tmp_path: Path) -> None:
    from eilint.api import LintOptions
    from eilint.fix.context import FixContext
    from eilint.loaders import load_cluster
    from eilint.loaders.resolve import resolve_nodes
    from eilint.loaders.targets import RemoteSettings

    tree = tmp_path / "tree"
    shutil.copytree(NGX_CASE / "before", tree)
    (tree / "node1" / "outside.xml").symlink_to(tmp_path / "elsewhere.xml")
    (tmp_path / "elsewhere.xml").write_text("<a/>")
    dump = tmp_path / "nginx-T.txt"
    conf = (tree / "nginx" / "nginx.conf").read_text()
    dump.write_text(
        "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
        f"# configuration file /etc/nginx/nginx.conf:\n{conf}"
    )
    options = LintOptions(nodes=[f"node1={tree / 'node1'}"])
    for nginx, editable in ((tree / "nginx", True), (dump, False)):
        specs = resolve_nodes(options.nodes, RemoteSettings()).specs
        ctx = FixContext(load_cluster(specs, nginx), {})
        assert ctx.editable(str(tree / "node1" / "bps.xml"))
        assert ctx.editable(str(tree / "nginx" / "nginx.conf")) is editable
        assert not ctx.editable("/etc/nginx/nginx.conf")
        assert not ctx.editable("node2:/opt/ei/conf/bps.xml")
        assert not ctx.editable(str(tree / "node1" / "outside.xml"))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    comments=st.lists(st.text(alphabet="abc =:#!xyz", max_size=15), max_size=5),
    sep=st.sampled_from(["=", " = ", ":", " ", "\t=\t"]),
    crlf=st.booleans(),
)
def test_properties_comments_and_separators_survive(
    comments: list[str], sep: str, crlf: bool
) -> None:
    case = FIX_FIXTURES / "CLU016" / "fail_hook_true"
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(case / "before", tree)
        path = next(tree.rglob("hazelcast.properties"))
        lines = [f"# {c}" for c in comments]
        lines += [
            f"hazelcast.shutdownhook.enabled{sep}true",
            *[f"! {c}" for c in comments],
        ]
        lines.append("hazelcast.logging.type=log4j")
        newline = "\r\n" if crlf else "\n"
        data = newline.join(lines) + newline
        path.write_bytes(data.encode())
        run_fix(case, tree, ["CLU016"])
        want = data.replace(f"enabled{sep}true", f"enabled{sep}false")
        assert path.read_bytes() == want.encode()


def _fixed_nginx_trees() -> list[Path]:
    return sorted(
        p / "after" / "nginx"
        for p in FIX_FIXTURES.glob("*/*")
        if (p / "after" / "nginx").is_dir()
    )


@pytest.mark.parametrize(
    "tree",
    _fixed_nginx_trees(),
    ids=lambda p: f"{p.parent.parent.parent.name}/{p.parent.parent.name}",
)
def test_real_nginx_accepts_every_fixed_tree(
    tree: Path,
    tmp_path: Path,
    cert_pair: tuple[bytes, bytes],  # noqa: F811 - the imported fixture
) -> None:
    result = _nginx_t(_loadable(tree, tmp_path, cert_pair), tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_symlinked_file_keeps_its_link(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(DSR_CASE / "before", tree)
    link = tree / DS_REL
    real = tree / "node1" / "shared" / "bps-ds.xml"
    real.parent.mkdir()
    link.rename(real)
    link.symlink_to(Path("..") / "shared" / "bps-ds.xml")
    before = real.read_bytes()
    outcome = run_fix(DSR_CASE, tree, ["DSR001"])
    assert len(outcome.applied) == 1
    assert link.is_symlink()
    assert real.read_bytes() == before.replace(b">false<", b">true<")


@pytest.mark.parametrize(
    "case", ["CLU014/fail_two_nodes_one_port", "PRT001/fail_same_host_same_offset"]
)
def test_a_collision_fix_cascades_to_a_clean_cluster(case: str, tmp_path: Path) -> None:
    """Moving a node's port is followed, in later rounds, by the WKA lists."""
    from eilint.api import lint
    from tests.fixhelp import case_options

    source = FIX_FIXTURES / case
    tree = tmp_path / "tree"
    shutil.copytree(source / "before", tree)
    outcome = run_fix(source, tree, [])
    assert outcome.converged
    left = lint(case_options(source, tree, [])).findings
    # The fixture trees hold only the files of the case: their absent key
    # files (EIL030) are no finding a fix could clear.
    assert [f for f in left if f.rule_id != "EIL030"] == []


def test_an_unwritable_tree_is_a_usage_error_and_no_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eilint.api import UsageError

    tree = tmp_path / "tree"
    shutil.copytree(DSR_CASE / "before", tree)
    before = (tree / DS_REL).read_bytes()

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tree / "node1"))

    # root may write anywhere: refuse the temporary file as a read-only tree would.
    monkeypatch.setattr(apply.tempfile, "mkstemp", refuse)
    with pytest.raises(
        UsageError, match=r"cannot write the fixes \(permission denied\)"
    ):
        run_fix(DSR_CASE, tree, ["DSR001"])
    assert (tree / DS_REL).read_bytes() == before


_SPACE = st.sampled_from([" ", "  ", "\n                   ", "\t", "\r\n  "])


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    quotes=st.lists(st.sampled_from(['"', "'"]), min_size=3, max_size=3),
    gaps=st.lists(_SPACE, min_size=4, max_size=4),
    closing=st.sampled_from(["/>", " />", "></Connector>"]),
)
def test_attribute_layout_of_a_start_tag_survives(
    quotes: list[str], gaps: list[str], closing: str
) -> None:
    case = FIX_FIXTURES / "EDG007" / "fail_no_proxy_port"
    q1, q2, q3 = quotes
    tag = (
        f"<Connector{gaps[0]}protocol={q1}org.apache.coyote.http11.Http11NioProtocol{q1}"
        f"{gaps[1]}port={q2}9763{q2}{gaps[2]}URIEncoding={q3}UTF-8{q3}{closing}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(case / "before", tree)
        paths = [tree / "node2" / "tomcat" / "catalina-server.xml"]  # the failing one
        for path in paths:
            text = path.read_text()
            start = text.index("<Connector")
            end = text.index(">", start) + 1
            path.write_text(text[:start] + tag + text[end:])
        originals = [p.read_bytes() for p in paths]
        run_fix(case, tree, ["EDG007"])
        for path, old in zip(paths, originals, strict=True):
            new = path.read_bytes()
            anchor = f"UTF-8{q3}".encode()
            at = old.index(anchor) + len(anchor)
            assert new == old[:at] + b' proxyPort="80"' + old[at:].replace(
                b'SSLEnabled="true"/>', b'SSLEnabled="true" proxyPort="443"/>', 1
            )
