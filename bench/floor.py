"""The floor: parse the files eilint reads with the same parsers, and nothing else.

Usage: ``python bench/floor.py CLUSTER_DIR`` where CLUSTER_DIR holds ``nodes/*``
(EI_HOMEs) and ``nginx/nginx.conf``. XML goes through lxml with eilint's parser
settings, nginx through crossplane (includes followed, as eilint does); the
``.properties`` files are read and split into lines (neither parser reads them,
and a floor must not be slower than necessary). No model, no rules, no report:
whatever eilint spends beyond this is its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import crossplane
from lxml import etree

PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=False,
    remove_pis=True,
)
CONF = "wso2/business-process/conf"


def node_files(home: Path) -> tuple[list[Path], list[Path]]:
    """Return the XML and properties files of one EI_HOME that eilint reads."""
    conf = home / CONF
    xml = sorted(conf.rglob("*.xml")) + sorted((home / "conf").rglob("*.xml"))
    return xml, sorted(conf.glob("*.properties"))


def parse_node(home: Path) -> int:
    """Parse one node's files; return the number of XML elements seen."""
    xml, props = node_files(home)
    count = 0
    for path in xml:
        count += sum(1 for _ in etree.fromstring(path.read_bytes(), PARSER).iter())
    for path in props:
        count += len(path.read_bytes().decode("latin-1").splitlines())
    return count


def parse_nginx(main: Path) -> int:
    """Parse the nginx tree with crossplane; return the number of files read."""
    payload = crossplane.parse(
        str(main.resolve()),
        catch_errors=True,
        comments=True,
        check_ctx=False,
        check_args=False,
    )
    return len(payload["config"])


def main(argv: list[str]) -> int:
    """Parse every node and the nginx tree of one generated cluster."""
    root = Path(argv[0])
    elements = sum(parse_node(home) for home in sorted((root / "nodes").iterdir()))
    files = parse_nginx(root / "nginx" / "nginx.conf")
    print(f"{elements} items, {files} nginx files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
