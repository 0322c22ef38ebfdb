"""Loader facts: positions, safety, includes, properties lines."""

from __future__ import annotations

from pathlib import Path

from eilint.loaders.files import SourceFile
from eilint.loaders.nginx import load_nginx
from eilint.loaders.properties import parse_properties
from eilint.loaders.xml import parse_xml
from eilint.model.nginx import walk


def _xml(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "f.xml"
    path.write_text(text)
    return parse_xml(SourceFile(path, "f.xml"), "n1")


def test_multiline_start_tag_reports_the_tag_and_attribute_lines(
    tmp_path: Path,
) -> None:
    doc, _, problems = _xml(
        tmp_path,
        '<axisconfig>\n  <clustering class="x"\n              enable="true">\n'
        "  </clustering>\n</axisconfig>\n",
    )
    assert problems == []
    clustering = doc.root.find("clustering")
    # libxml2 reports the line of the closing '>'; the loader finds '<clustering'.
    assert clustering.where.line == 2
    assert clustering.attr_where("enable").line == 3
    assert clustering.attr_where("class").line == 2


def test_element_keys_are_logical(tmp_path: Path) -> None:
    doc, _, _ = _xml(
        tmp_path,
        '<a>\n<parameter name="x">1</parameter>\n<m/>\n<m>\n<p>2</p>\n</m>\n</a>\n',
    )
    keys = [e.where.key for e in doc.root.iter()]
    assert keys == [
        "/a",
        "/a/parameter[@name='x']",
        "/a/m[1]",
        "/a/m[2]",
        "/a/m[2]/p[1]",
    ]


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    doc, _, problems = _xml(
        tmp_path,
        f'<!DOCTYPE a [<!ENTITY x SYSTEM "file://{secret}">]>\n<a><b>&x;</b></a>\n',
    )
    assert [p.rule_id for p in problems] == ["EIL004"]
    b = doc.root.find("b")
    assert b.unresolved and "TOP-SECRET" not in (b.text or "")


def test_billion_laughs_stays_unexpanded(tmp_path: Path) -> None:
    lol = "".join(
        f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">'
        for i in range(1, 10)
    )
    doc, _, problems = _xml(
        tmp_path, f'<!DOCTYPE a [<!ENTITY l0 "lol">{lol}]>\n<a>&l9;</a>\n'
    )
    # libxml2 refuses the entity bomb outright: no document, one EIL004 finding.
    assert doc is None
    assert [p.rule_id for p in problems] == ["EIL004"]


def test_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    _, _, problems = _xml(tmp_path, "<a>\n  <b>\n</a>\n")
    assert problems[0].rule_id == "EIL001"
    assert (problems[0].where.line, problems[0].where.column) == (3, 5)


def test_properties_lines_with_continuations(tmp_path: Path) -> None:
    path = tmp_path / "x.properties"
    path.write_text("# c\na=1\nb=x\\\n  y\n\nc : \\u0041\na=2\n")
    props, problems = parse_properties(SourceFile(path, "x.properties"), "n1")
    assert problems == []
    assert [(e.key, e.value, e.where.line) for e in props.entries] == [
        ("a", "1", 2),
        ("b", "xy", 3),
        ("c", "A", 6),
        ("a", "2", 7),
    ]
    assert props.get("a").value == "2" and len(props.all("a")) == 2


def test_nginx_directives_keep_their_own_file_after_an_include(tmp_path: Path) -> None:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "nginx.conf").write_text(
        "events {}\nhttp {\n    include conf.d/*.conf;\n    server {\n"
        "        listen 80;\n    }\n}\n"
    )
    (tmp_path / "conf.d" / "a.conf").write_text(
        "upstream u {\n    server 10.0.0.1:9445;\n}\n"
    )
    config, problems = load_nginx(tmp_path)
    assert problems == []
    where = {
        d.name: (Path(d.where.path).name, d.where.line)
        for _, d in walk(config.directives)
    }
    assert where["upstream"] == ("a.conf", 1)
    assert where["server"] == ("nginx.conf", 4)  # crossplane PR #95's case
    assert where["listen"] == ("nginx.conf", 5)


def test_nginx_include_cycle_terminates(tmp_path: Path) -> None:
    (tmp_path / "nginx.conf").write_text("include nginx.conf;\nevents {}\n")
    config, problems = load_nginx(tmp_path)
    assert [p.rule_id for p in problems] == ["EIL006"]
    assert config.files


def test_vhost_directory_without_nginx_conf(tmp_path: Path) -> None:
    (tmp_path / "ei.https.conf").write_text(
        "upstream u {\n    server 10.0.0.1:9445;\n}\n"
    )
    config, problems = load_nginx(tmp_path)
    assert problems == []
    assert [d.name for d in config.top()] == ["http"]
    assert [d.name for _, d in walk(config.directives)][1:3] == ["upstream", "server"]
