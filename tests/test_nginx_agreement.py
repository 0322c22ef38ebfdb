"""Real ``nginx -t`` and eilint agree on every nginx tree of the test suite.

For each tree (rule fixtures, the sample configs, tests/nginx_layouts/ and their
planted nginx defects, the bad-input corpus) eilint's verdict — does it report
something nginx refuses (a parse error, an unreadable or missing include, a
duplicate upstream, a missing certificate, an invalid directive, a proxy_pass
host nobody resolves) — must equal nginx's own exit status. Trees where the two
differ by design are listed in ``DISAGREE`` with the reason; corpus trees nginx
must not be run on are listed in ``NOT_RUN`` and must still be refused by eilint.

nginx runs as root in a private mount namespace (``unshare -m``): a copy of the
tree is bind-mounted on /etc/nginx (so absolute includes, links and certificate
paths resolve as on the load balancer), temporary directories on /var/log/nginx
and /run, and an /etc/hosts mapping the tests' ``*.internal`` names to
127.0.0.x with an nsswitch.conf that never asks DNS. Nothing outside the
namespace changes and no packet leaves the machine: ``nginx -t`` resolves
upstream names but opens no socket.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from eilint.api import LintOptions
from eilint.api import lint
from eilint.loaders.nginx import http_files
from eilint.loaders.nginx import is_main_file
from eilint.loaders.nginx import load_nginx
from eilint.model.nginx import CERT_DIRECTIVES
from eilint.model.nginx import walk
from tests.conftest import FIXTURES
from tests.conftest import REPO
from tests.conftest import TESTS
from tests.conftest import node_args
from tests.keygen import materialise as with_keys
from tests.test_corpus import materialise as corpus_tree
from tests.test_nginx_real import _tool
from tests.test_nginx_real import cert_pair  # noqa: F401 (a fixture)

CORPUS = TESTS / "corpus"
LAYOUTS = TESTS / "nginx_layouts"
SAMPLES = REPO / "sample-configs"
# Findings that mean "nginx -t refuses this tree".
REFUSES = ["EIL003", "EIL005", "EIL006", "NGX001", "NGX004", "NGX007", "EDG006"]
_INTERNAL = re.compile(r"\b[a-z0-9-]+\.internal\b")

# tree id -> (eilint accepts, nginx accepts, why they differ)
DISAGREE: dict[str, tuple[bool, bool, str]] = {
    "NGX006/pass_sticky_nginx_plus": (
        True,
        False,
        "sticky is an NGINX Plus directive: eilint's directive table (crossplane's) "
        "knows it, since the load balancer may run Plus; community nginx does not",
    ),
    "NGX004/pass_tree_holds_certificate": (
        True,
        False,
        "the fixture's certificate and key are placeholders (no key material is "
        "committed): eilint checks that they exist, nginx also reads them",
    ),
}
# Corpus trees nginx is never run on; eilint must refuse them all the same.
NOT_RUN = {
    "nginx_include_special_files": "nginx would read /dev/zero and a FIFO forever",
    "nginx_include_outside_tree": "nginx would open /etc/passwd and files beside it",
    "nginx_include_fanout": "10^8 inlined files: nginx would run for hours",
    "nginx_deep_nesting": "5,000 nested blocks: a test of eilint's stack bound only",
}


class Tree:
    """One nginx tree: its id, the case directory (nodes) and the --nginx path."""

    def __init__(self, ident: str, case: Path, nginx: Path, **extra: Any) -> None:
        self.ident, self.case, self.nginx = ident, case, nginx
        self.extra = extra

    def __repr__(self) -> str:
        return self.ident


def _yaml(path: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text()) or {}


def _layout_trees() -> list[Tree]:
    trees = []
    for layout in sorted(p for p in LAYOUTS.iterdir() if (p / "case.yaml").is_file()):
        case = _yaml(layout / "case.yaml")
        nginx = layout / case.get("nginx", "nginx")
        extra = {"addresses": case.get("addresses", {})}
        trees.append(Tree(f"layout/{layout.name}", layout, nginx, **extra))
        for defect in case.get("defects", []):
            if defect["file"].startswith("nginx/"):
                ident = f"layout/{layout.name}/{defect['about']}"
                trees.append(Tree(ident, layout, nginx, defect=defect, **extra))
    return trees


def _corpus_trees() -> list[Tree]:
    return [
        Tree(f"corpus/{case.name}", case, case / "nginx", corpus=True)
        for case in sorted(CORPUS.glob("nginx_*"))
        if case.name not in NOT_RUN
    ]


def _trees() -> list[Tree]:
    fixtures = [
        Tree(f"{p.parent.parent.name}/{p.parent.name}", p.parent, p)
        for p in sorted(FIXTURES.glob("*/*/nginx"))
    ]
    samples = [Tree(f"sample/{n}", SAMPLES / n, SAMPLES / n / "nginx")
               for n in ("good", "broken")]  # fmt: skip
    return [*fixtures, *samples, *_layout_trees(), *_corpus_trees()]


def _materialise(tree: Tree, tmp: Path) -> tuple[Path, Path]:
    """Return (case, nginx path) as eilint and nginx both see them, made on disk."""
    if tree.extra.get("corpus"):
        tmp.mkdir(parents=True, exist_ok=True)
        case = corpus_tree(tree.case, _yaml(tree.case / "case.yaml"), tmp)
        return case, case / "nginx"
    case = with_keys(tree.case, tmp)
    defect = tree.extra.get("defect")
    if defect is not None:
        copy = tmp / "case"
        shutil.copytree(case, copy, symlinks=True)
        target = copy / defect["file"]
        old, new = defect["replace"]
        target.write_text(target.read_text().replace(old, new, 1))
        case = copy
    return case, case / tree.nginx.relative_to(tree.case)


def _eilint_accepts(tree: Tree, case: Path, nginx: Path) -> tuple[bool, list[str]]:
    report = lint(
        LintOptions(
            nodes=node_args(case),
            nginx=nginx,
            select=REFUSES,
            addresses=tree.extra.get("addresses", {}),
        )
    )
    found = [f"{f.rule_id} {f.location.label()}: {f.message}" for f in report.findings]
    return not found, found


def _etc_nginx(nginx: Path, tmp: Path, pair: tuple[bytes, bytes]) -> tuple[Path, str]:
    """Copy the tree to what becomes /etc/nginx; return it and the main file's name."""
    root = tmp / "etc-nginx"
    source = nginx if nginx.is_dir() else nginx.parent
    shutil.copytree(source, root, symlinks=True)
    if nginx.is_dir() and (nginx / "nginx.conf").is_file():
        name = "nginx.conf"
    elif nginx.is_file() and is_main_file(nginx):
        name = nginx.name
    else:
        # No nginx.conf: nginx's stock one includes these files in http {}.
        files = http_files(nginx)[0] if nginx.is_dir() else [nginx]
        includes = "".join(
            f"    include /etc/nginx/{f.relative_to(source).as_posix()};\n"
            for f in files
        )
        name = ".eilint-test.conf"
        (root / name).write_text(f"events {{}}\nhttp {{\n{includes}}}\n")
    _certificates(nginx, root, pair)
    return root, name


def _certificates(nginx: Path, root: Path, pair: tuple[bytes, bytes]) -> None:
    """Give nginx the certificates the tree leaves to the machine.

    Where the tree holds the certificate's directory, the tree decides (NGX004);
    elsewhere a throw-away pair is written. Paths outside /etc/nginx are moved
    under it in the copy's text, so nothing is written outside tmp.
    """
    config, _ = load_nginx(nginx)
    paths = {
        d.args[0]
        for _, d in walk(config.directives)
        if d.name in CERT_DIRECTIVES and d.args and "$" not in d.args[0]
    }
    for written in sorted(p for p in paths if p not in config.referenced):
        path = written
        if path.startswith("/") and not path.startswith("/etc/nginx/"):
            _move_path(root, path)
            path = f"/etc/nginx/.abs{path}"
        rel = path.removeprefix("/etc/nginx/")
        target = root / rel
        assert target.resolve().is_relative_to(root.resolve()), target
        target.parent.mkdir(parents=True, exist_ok=True)
        key = any(path.endswith(s) for s in (".key", "_key", "key.pem"))
        target.write_bytes(pair[1] if key else pair[0])


def _move_path(root: Path, path: str) -> None:
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    for file in files:
        text = file.read_text(errors="replace")
        if path in text:
            file.write_text(text.replace(path, f"/etc/nginx/.abs{path}"))


def _namespace_files(tmp: Path, trees: list[Path]) -> None:
    names = sorted(
        {
            name
            for tree in trees
            for file in tree.rglob("*")
            if file.is_file()
            for name in _INTERNAL.findall(file.read_text(errors="replace"))
        }
    )
    hosts = "127.0.0.1 localhost\n" + "".join(
        f"127.0.0.{10 + i} {name}\n" for i, name in enumerate(names)
    )
    (tmp / "hosts").write_text(hosts)
    (tmp / "nsswitch.conf").write_text("hosts: files\n")
    (tmp / "logs").mkdir()
    (tmp / "run").mkdir()


def _nginx_accepts(root: Path, main: str, tmp: Path) -> tuple[bool, str]:
    nginx = _tool("nginx")
    unshare = _tool("unshare")
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx -t in a mount namespace needs root (CI=true)")
        pytest.skip("nginx -t in a mount namespace needs root")
    mounts = [
        (root, "/etc/nginx"),
        (tmp / "logs", "/var/log/nginx"),
        (tmp / "run", "/run"),
        (tmp / "hosts", "/etc/hosts"),
        (tmp / "nsswitch.conf", "/etc/nsswitch.conf"),
    ]
    script = "".join(f'mount --bind "{src}" "{dst}" && ' for src, dst in mounts)
    script += (
        f'exec "{nginx}" -t -q -p /etc/nginx/ -c "/etc/nginx/{main}" '
        "-e /var/log/nginx/error.log"
    )
    done = subprocess.run(
        [unshare, "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=60,
        check=False,
    )
    return done.returncode == 0, done.stderr


@pytest.mark.parametrize("tree", _trees(), ids=repr)
def test_eilint_and_nginx_t_agree(
    tree: Tree,
    tmp_path: Path,
    cert_pair: tuple[bytes, bytes],  # noqa: F811
) -> None:
    for path in ("/etc/nginx", "/var/log/nginx"):
        if not Path(path).is_dir():
            pytest.skip(f"{path} is missing: nginx is not installed as a package")
    case, nginx = _materialise(tree, tmp_path / "in")
    eilint_ok, findings = _eilint_accepts(tree, case, nginx)
    root, main = _etc_nginx(nginx, tmp_path, cert_pair)
    _namespace_files(tmp_path, [root])
    nginx_ok, stderr = _nginx_accepts(root, main, tmp_path)
    expected = DISAGREE.get(tree.ident)
    if expected is not None:
        assert (eilint_ok, nginx_ok) == expected[:2], (findings, stderr)
    else:
        verdict = f"eilint: {findings or 'accepts'}; nginx -t: {stderr or 'accepts'}"
        assert eilint_ok == nginx_ok, verdict


@pytest.mark.parametrize("name", sorted(NOT_RUN))
def test_trees_nginx_is_not_run_on_are_refused_by_eilint(
    name: str, tmp_path: Path
) -> None:
    tree = Tree(f"corpus/{name}", CORPUS / name, CORPUS / name / "nginx", corpus=True)
    case, nginx = _materialise(tree, tmp_path)
    eilint_ok, _ = _eilint_accepts(tree, case, nginx)
    assert not eilint_ok


def test_every_disagreement_is_a_tree_of_the_suite() -> None:
    idents = {t.ident for t in _trees()}
    assert set(DISAGREE) <= idents
    assert {f"corpus/{n}" for n in NOT_RUN}.isdisjoint(idents)
    assert all((CORPUS / n).is_dir() for n in NOT_RUN)
