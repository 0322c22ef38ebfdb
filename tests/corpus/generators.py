"""Inputs too big to commit, made at test time (case.yaml ``generate:``)."""

from __future__ import annotations

from collections.abc import Callable


def quadratic_blowup() -> bytes:
    """One 20 kB internal entity referenced 20,000 times (400 MB expanded)."""
    entity = "A" * 20_000
    refs = "&big;" * 20_000
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE wso2registry [<!ENTITY big "{entity}">]>\n'
        f"<wso2registry><currentDBConfig>{refs}</currentDBConfig></wso2registry>\n"
    ).encode()


def _axis2_with_comment(size: int) -> bytes:
    line = "x" * 99 + "\n"
    body = line * (size // len(line))
    return (
        '<axisconfig name="AxisJava2.0">\n<!--\n'
        + body
        + '-->\n    <clustering class="x" enable="false"/>\n</axisconfig>\n'
    ).encode()


def huge_valid() -> bytes:
    """A well-formed 3.5 MB axis2.xml: under the 4 MiB limit."""
    return _axis2_with_comment(3_500_000)


def over_size_limit() -> bytes:
    """A well-formed 5 MB axis2.xml: over the 4 MiB limit."""
    return _axis2_with_comment(5_000_000)


def many_elements() -> bytes:
    """60,000 tiny elements in 300 kB: over the 10,000-node limit."""
    return ("<axisconfig>\n" + "<p/>\n" * 60_000 + "</axisconfig>\n").encode()


def many_attributes() -> bytes:
    """One element with 350,000 attributes (4 MB): lxml reads them back in O(n^2)."""
    attrs = " ".join(f'a{i}="x"' for i in range(350_000))
    return f"<wso2registry {attrs}/>".encode()


def deep_nesting() -> bytes:
    """100,000 nested elements on one line."""
    return ("<wso2registry>" + "<a>" * 100_000 + "</a>" * 100_000).encode()


def long_line() -> bytes:
    """A valid registry.xml of a single 2 MB line."""
    return (
        "<wso2registry><currentDBConfig>wso2registry</currentDBConfig><!-- "
        + "y" * 2_000_000
        + " --></wso2registry>"
    ).encode()


def _nginx_nesting(depth: int) -> bytes:
    return ("http {\n" + "location / {\n" * depth + "}\n" * (depth + 1)).encode()


def nginx_deep_nesting() -> bytes:
    """5,000 nested nginx blocks (past Python's recursion limit in crossplane)."""
    return _nginx_nesting(5000)


def nginx_nesting_600() -> bytes:
    """600 nested blocks: crossplane copes, a recursive inliner would not."""
    return _nginx_nesting(600)


def nginx_include_chain() -> dict[str, bytes]:
    """nginx.conf includes c1.conf includes c2.conf ... 400 files deep."""
    files = {"nginx.conf": b"http {\n    include c1.conf;\n}\n"}
    for i in range(1, 400):
        files[f"c{i}.conf"] = f"include c{i + 1}.conf;\n".encode()
    files["c400.conf"] = b"server_tokens off;\n"
    return files


GENERATORS: dict[str, Callable[[], bytes | dict[str, bytes]]] = {
    "quadratic_blowup": quadratic_blowup,
    "huge_valid": huge_valid,
    "over_size_limit": over_size_limit,
    "many_elements": many_elements,
    "deep_nesting": deep_nesting,
    "many_attributes": many_attributes,
    "long_line": long_line,
    "nginx_deep_nesting": nginx_deep_nesting,
    "nginx_nesting_600": nginx_nesting_600,
    "nginx_include_chain": nginx_include_chain,
}
