"""Inline suppressions: ``eilint: disable=ID reason`` comments, matched to findings.

Pure: works on the model's comments only (XmlDoc.comments with the line of the
element each precedes, PropertiesFile.comments, nginx ``#`` directives).

Syntax, in any comment of an XML, nginx or .properties file::

    eilint: disable=REG001[,NAME...] why this is fine here
    eilint: disable-file=REG001 why this whole file is exempt

``disable`` covers the next element (with everything inside it), the next nginx
directive (with its block) or the next property, plus anything on the comment's
own line. A suppression without a reason, or naming an unknown rule, is reported
(EIL021) and not honoured; one that suppresses nothing is reported (EIL020).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator

from msgspec import Struct

from eilint.catalog import Catalog
from eilint.findings import Finding
from eilint.findings import Hit
from eilint.findings import Location
from eilint.model.cluster import Cluster
from eilint.model.nginx import Directive
from eilint.model.nginx import walk
from eilint.model.properties import PropertiesFile
from eilint.model.xml import XmlDoc
from eilint.model.xml import XmlElement

UNUSED = "EIL020"
INVALID = "EIL021"
# Findings about suppressions themselves cannot be suppressed inline.
UNSUPPRESSIBLE = frozenset({UNUSED, INVALID})
_HEAD = re.compile(r"^\s*eilint\s*:\s*(?P<verb>[\w-]*)\s*(?P<rest>.*)$", re.DOTALL)
# ``REG001,CLU001`` or ``REG001, CLU001``: a comma joins ids across spaces.
_BODY = re.compile(
    r"^=\s*(?P<rules>[^\s,]+(?:\s*,\s*[^\s,]+)*)\s*(?P<reason>.*)$", re.DOTALL
)
VERBS = ("disable", "disable-file")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_END = 10**9


class Suppression(Struct, frozen=True):
    """One honoured suppression: which rules, where it is, what it covers."""

    where: Location
    rules: tuple[str, ...]
    reason: str
    first: int
    last: int
    key: str | None = None

    def covers(self, finding: Finding) -> bool:
        """Return True when any place the finding involves is in this scope.

        Primary or related: a cross-node finding's primary location is chosen by
        canonical node order, so a comment next to any of its places must do.
        """
        if finding.rule_id not in self.rules:
            return False
        return any(self._covers(loc) for loc in (finding.location, *finding.related))

    def _covers(self, loc: Location) -> bool:
        if loc.path != self.where.path:
            return False
        if loc.line is not None and (
            loc.line == self.where.line or self.first <= loc.line <= self.last
        ):
            return True
        return bool(self.key and loc.key and (loc.key + "/").startswith(self.key + "/"))


class _Comment(Struct, frozen=True):
    text: str
    where: Location
    first: int | None
    last: int | None
    key: str | None = None


def collect(cluster: Cluster, catalog: Catalog) -> tuple[list[Suppression], list[Hit]]:
    """Return the valid suppressions of every file and EIL021 hits for bad ones."""
    found: list[Suppression] = []
    problems: list[Hit] = []
    for comment in _comments(cluster):
        parsed = _parse(comment, catalog)
        if isinstance(parsed, Hit):
            problems.append(parsed)
        elif parsed is not None:
            found.append(parsed)
    return found, problems


def _parse(comment: _Comment, catalog: Catalog) -> Suppression | Hit | None:
    head = _HEAD.match(comment.text)
    if head is None:
        return None
    verb = head["verb"]
    body = _BODY.match(head["rest"].strip())
    if verb not in VERBS or body is None:
        # The comment's text is not quoted: it is free text and may hold anything.
        message = "cannot read this suppression; write 'eilint: disable=RULE reason'"
        return Hit(message, comment.where)
    rules: list[str] = []
    for token in filter(None, (t.strip() for t in body["rules"].split(","))):
        meta = catalog.get(token)
        if meta is None:
            shown = repr(token) if _TOKEN.match(token) else "an unknown rule"
            return Hit(f"suppression names unknown rule {shown}", comment.where)
        rules.append(meta.id)
    reason = " ".join(body["reason"].split()).removesuffix("-->").strip()
    if not reason:
        message = f"suppression of {', '.join(rules)} gives no reason; it is ignored"
        return Hit(message, comment.where)
    if verb == "disable-file":
        return Suppression(comment.where, tuple(rules), reason, 0, _END)
    first = comment.first if comment.first is not None else -1
    last = comment.last if comment.last is not None else -1
    return Suppression(comment.where, tuple(rules), reason, first, last, comment.key)


def _comments(cluster: Cluster) -> Iterator[_Comment]:
    for node in cluster.nodes:
        for doc in (*node.xml.values(), *node.extra_xml.values()):
            yield from _xml_comments(doc)
        for props in node.props.values():
            yield from _properties_comments(props)
    if cluster.nginx is not None:
        yield from _nginx_comments(cluster.nginx.directives)


def _xml_comments(doc: XmlDoc) -> Iterator[_Comment]:
    if not doc.comments:
        return  # the usual case: skip indexing every element of the file
    by_line: dict[int, XmlElement] = {}
    for element in doc.root.iter():
        if element.where.line is not None:
            by_line.setdefault(element.where.line, element)
    for comment in doc.comments:
        target = by_line.get(comment.next_line or -1)
        if target is None:
            yield _Comment(comment.text, comment.where, None, None)
            continue
        lines = [e.where.line for e in target.iter() if e.where.line is not None]
        yield _Comment(
            comment.text, comment.where, min(lines), max(lines), target.where.key
        )


def _properties_comments(props: PropertiesFile) -> Iterator[_Comment]:
    for line, text in props.comments:
        if "eilint" not in text:
            continue  # _HEAD needs it; skips the scan of later entries per comment
        where = Location(props.path, line, None, _node_of(props))
        following = [e.where.line for e in props.entries if (e.where.line or 0) > line]
        first = min((n for n in following if n is not None), default=None)
        yield _Comment(text, where, first, first)


def _node_of(props: PropertiesFile) -> str | None:
    return props.entries[0].where.node if props.entries else None


def _nginx_comments(directives: tuple[Directive, ...]) -> Iterator[_Comment]:
    flat = [d for _, d in walk(directives)]
    for comment in (d for d in flat if d.name == "#"):
        text = comment.args[0] if comment.args else ""
        if "eilint" not in text:
            continue  # not a suppression; skip the scan of every directive
        line = comment.where.line or 0
        later = [
            d
            for d in flat
            if d.name != "#"
            and d.where.path == comment.where.path
            and (d.where.line or 0) > line
        ]
        target = min(later, key=lambda d: d.where.line or 0, default=None)
        if target is None:
            yield _Comment(text, comment.where, None, None)
            continue
        lines = [d.where.line for _, d in walk((target,)) if d.where.line is not None]
        yield _Comment(text, comment.where, target.where.line, max(lines))


class Applied(Struct, frozen=True):
    """Findings split by the suppressions, and which (suppression, rule) were used."""

    kept: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    used: frozenset[tuple[int, str]]
    # For each suppressed finding, the (first) suppression that covers it.
    by: tuple[Suppression, ...] = ()


def apply(findings: Iterable[Finding], suppressions: list[Suppression]) -> Applied:
    """Drop the findings a suppression covers; remember which ones were needed."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    by: list[Suppression] = []
    used: set[tuple[int, str]] = set()
    for finding in findings:
        hits = [
            i
            for i, s in enumerate(suppressions)
            if finding.rule_id not in UNSUPPRESSIBLE and s.covers(finding)
        ]
        used.update((i, finding.rule_id) for i in hits)
        if hits:
            suppressed.append(finding)
            by.append(suppressions[hits[0]])
        else:
            kept.append(finding)
    return Applied(tuple(kept), tuple(suppressed), frozenset(used), tuple(by))


def unused(
    suppressions: list[Suppression], used: Iterable[tuple[int, str]]
) -> list[Hit]:
    """Return an EIL020 hit for each rule of a suppression that matched nothing."""
    done = set(used)
    hits = []
    for i, sup in enumerate(suppressions):
        for rule in sup.rules:
            if (i, rule) not in done:
                message = f"suppression of {rule} matches no finding; remove it"
                hits.append(Hit(message, sup.where))
    return hits
