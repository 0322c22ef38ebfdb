"""Hide secrets in anything shown from a config file (source lines, excerpts)."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

MASK = "********"
_SECRET_WORDS = (
    r"(?:password|passwd|passphrase|secret|keypass|storepass|credential"
    r"|private[_.-]?key)"
)
# An element or closing tag name holding a secret word, namespace prefix and all.
_SECRET_NAME = rf"(?:[\w.-]+:)?[\w.-]*{_SECRET_WORDS}[\w.-]*"
_XML_ELEMENT = re.compile(
    rf"(<{_SECRET_NAME}(?:\s[^>]*)?>)([^<]*)",
    re.IGNORECASE,
)
# Unquoted values are not XML, but a broken file is exactly what gets shown.
_XML_ATTR = re.compile(
    rf"(\b[\w.:-]*{_SECRET_WORDS}[\w.:-]*\s*=\s*)(\"[^\"]*\"?|'[^']*'?|[^\s>\"']+)",
    re.IGNORECASE,
)
# Text before a secret-named closing tag: the opening tag may be the broken part.
# (Starts only after '>' or at the start: a long run without tags stays linear.)
_XML_CLOSING = re.compile(rf"(?:(?<=>)|^)([^>]*?)(</{_SECRET_NAME}\s*>)", re.IGNORECASE)
_KEY_VALUE = re.compile(
    rf"^(\s*[\w.-]*{_SECRET_WORDS}[\w.-]*\s*[=:\s]\s*)(\S.*)$", re.IGNORECASE
)
# <Property name="ConnectionPassword">, <parameter name="keyPassword">, ...
_NAMED_PROPERTY = re.compile(
    rf"(<[\w.:-]+\s+(?:[^>]*\s)?name\s*=\s*[\"'][^\"']*{_SECRET_WORDS}[^\"']*[\"'][^>]*>)"
    r"([^<]*)",
    re.IGNORECASE,
)
# nginx: proxy_set_header Authorization "Basic ..."; also HTTP-style lines.
_AUTH_HEADER = re.compile(
    r"(\b(?:proxy-)?authorization[\"']?\s*[:\s]\s*)(\"[^\"]*\"?|'[^']*'?|[^\s;]+)",
    re.IGNORECASE,
)
# key=value inside a message: a quoted config value that swallowed the next
# line (a vertical tab is no line break for java.util.Properties).
_INLINE_KEY_VALUE = re.compile(
    rf"([\w.-]*{_SECRET_WORDS}[\w.-]*\s*[=:]\s*)([^\s'\",;]+)", re.IGNORECASE
)
_URL_CREDENTIALS = re.compile(r"(://[^:/@\s]+:)([^@\s/]+)(@)")
_PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*", re.DOTALL)
_PEM_BLOCK = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)",
    re.DOTALL,
)
# C0 controls but tab and newline, DEL and C1: a hostile file must not drive the
# terminal (or a CI log) that shows its lines or names.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_SPACE = re.compile(r"\S+")
_WORD = re.compile(r"[^\s<>=\"'&;/]+")
# A line of nothing but base64 is key or certificate material (a PEM body line
# whose BEGIN header is out of sight): never worth showing.
_BASE64_LINE = re.compile(r"^\s*[A-Za-z0-9+/]{40,}={0,2}\s*$")


# A tag whose every attribute value is quoted and closed, and whose '>' is on
# the line; a comment or CDATA start/end. Whatever '<' or quote is left once
# these are taken out is a broken (or line-spanning) construct.
_WHOLE_TAG = re.compile(
    r"<[/?]?[\w.:-]*(?:\s+[\w.:-]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*[/?]?>"
    r"|<!--|-->|<!\[CDATA\[|\]\]>|<![A-Z][^<>]*>"
)
# Where a secret-named tag or attribute ends: everything after it on a broken
# line may be its value (an unterminated quote swallows the rest of the line).
_SECRET_START = re.compile(
    rf"</?{_SECRET_NAME}"
    rf"|\b[\w.:-]*{_SECRET_WORDS}[\w.:-]*\s*="
    rf"|\bname\s*=\s*[\"']?[^\"'<>]*{_SECRET_WORDS}[^\"'<>]*[\"']?",
    re.IGNORECASE,
)


def malformed(line: str) -> bool:
    """Say whether an XML line holds a tag or quote that does not close on it."""
    rest = _WHOLE_TAG.sub(" ", line)
    return "<" in rest or (
        "=" in rest
        and ('"' in rest or "'" in rest)
        and _SECRET_WORD.search(rest) is not None
    )


def mask_after_secret(line: str) -> str:
    """Mask everything after the first secret-named tag or attribute on ``line``.

    For a line known to be broken (the one an XML error names, or one whose
    tag or quote never closes): its value cannot be told from what follows.
    """
    found = _SECRET_START.search(line)
    if found is None or not line[found.end() :].strip():
        return line
    return f"{line[: found.end()]} {MASK}"


def redact_parser_message(message: str, line: str) -> str:
    """Mask what a parser's message quotes from a broken line that holds a secret.

    libxml2 names entities, attributes and prefixes taken from the document
    ("Entity 'hunter2' not defined"): every word of the message that the line
    holds only where ``redact_broken`` masks it is masked.
    """
    if not may_hold_secret(line):
        return message
    kept = set(_WORD.findall(redact_broken(line)))
    hidden = set(_WORD.findall(line)) - kept
    if not hidden:
        return message
    return _WORD.sub(lambda m: MASK if m.group(0) in hidden else m.group(0), message)


def redact_broken(line: str) -> str:
    """Return ``redact(line)`` for a line an XML parser rejected."""
    return redact(mask_after_secret(printable(line)))


def printable(text: str) -> str:
    """Replace control characters (escape sequences, NUL, bell) with U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def _mask_lines(text: str) -> str:
    # Mask every non-blank run but keep the newlines: line numbers stay right.
    return _NOT_SPACE.sub(MASK, text)


def redact_text(text: str) -> str:
    """Redact a whole file first, for secrets spanning lines (``<password>`` on
    one line, the value on the next; a PEM key body), keeping line numbers."""
    text = _PEM_BLOCK.sub(lambda m: _mask_lines(m.group(0)), text)
    if not text.isascii():
        return _mask_xml_values(text)
    # The same as _mask_xml_values, but trying the tag patterns only at the '<'
    # before a secret word: _XML_CLOSING alone tries a lazy IGNORECASE scan
    # after every '>', ~150 us per 2 kB window of the text report.
    return _mask_element_text(_mask_before_closing_tags(text))


def _mask_xml_values(text: str) -> str:
    # Kept for non-ASCII text, where str.lower() is no re.IGNORECASE (a long s
    # matches s; a dotted capital I lowers to two characters).
    text = _XML_CLOSING.sub(lambda m: _mask_lines(m.group(1)) + m.group(2), text)
    return _XML_ELEMENT.sub(lambda m: m.group(1) + _mask_lines(m.group(2)), text)


# In ASCII text a lowercase pattern matched case-sensitively against str.lower()
# tests every character as re.IGNORECASE does (\w, \s and [^<>] hold a letter
# in either case), so it matches the same spans, at half the cost.
_LOWER_CLOSING_TAG = re.compile(rf"</{_SECRET_NAME}\s*>")
_LOWER_ELEMENT = re.compile(_XML_ELEMENT.pattern)
# Every alternative of _SECRET_WORDS holds one of these (keypass holds pass,
# private[_.-]?key holds private), so a secret tag name puts one after the
# tag's '<' with no other '<' in between.
_WORD_CORES = ("pass", "secret", "credential", "private")


def _secret_tag_starts(lower: str) -> list[int]:
    """Return, in order, every '<' where a secret-named tag may start (or more)."""
    starts: set[int] = set()
    for core in _WORD_CORES:
        at = lower.find(core)
        while at >= 0:
            starts.add(lower.rfind("<", 0, at))
            at = lower.find(core, at + 1)
    starts.discard(-1)
    return sorted(starts)


def _mask_before_closing_tags(text: str) -> str:
    """Return ``_XML_CLOSING.sub`` of ASCII ``text``.

    An _XML_CLOSING match holds no '>' but its last character, its closing tag
    no '<' but its first: the tag starts at the last '<' of a '>'-delimited
    piece, the lazy group is the rest of that piece (from just after the '>'
    before the tag), and no two such tags overlap.
    """
    lower = text.lower()
    parts: list[str] = []
    done = 0
    for at in _secret_tag_starts(lower):
        tag = _LOWER_CLOSING_TAG.match(lower, at)
        if tag is not None:
            start = lower.rfind(">", 0, at) + 1
            parts += (text[done:start], _mask_lines(text[start:at]))
            done = at
    parts.append(text[done:])
    return "".join(parts)


def _mask_element_text(text: str) -> str:
    """Return ``_XML_ELEMENT.sub`` of ASCII ``text``.

    A match's '[^>]*' may swallow a later '<': the starts inside the previous
    match are skipped, as re.sub skips them.
    """
    lower = text.lower()
    parts: list[str] = []
    done = 0
    for at in _secret_tag_starts(lower):
        element = _LOWER_ELEMENT.match(lower, at) if at >= done else None
        if element is not None:
            value = element.start(2)
            parts += (text[done:value], _mask_lines(text[value : element.end()]))
            done = element.end()
    parts.append(text[done:])
    return "".join(parts)


# Every pattern redact_text applies needs one of these words (or a PEM header)
# somewhere in its match; str.lower() equals re.IGNORECASE for ASCII text.
_WORD_LITERALS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "keypass",
    "storepass",
    "credential",
    "private",
)
_SECRET_WORD = re.compile(_SECRET_WORDS, re.IGNORECASE)


def may_hold_secret(line: str) -> bool:
    """Say whether redact_text could match anything that starts on ``line``."""
    if "-----BEGIN" in line:
        return True
    if line.isascii():
        lower = line.lower()
        return any(word in lower for word in _WORD_LITERALS)
    # Unicode case folding (a long s matches s): ask the regex itself.
    return _SECRET_WORD.search(line) is not None


def secret_flags(lines: list[str]) -> list[bool]:
    """Return ``may_hold_secret`` for every line (or more lines: never fewer).

    One C-level search per word over the whole lowered file instead of eight
    per line: 20,000 lines of the 20-node benchmark took 80 ms the other way.
    """
    text = "\n".join(lines)
    if not text.isascii():
        return [may_hold_secret(line) for line in lines]
    lower = text.lower()
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    flags = [False] * len(lines)
    for needle in (*_WORD_LITERALS, "-----begin"):
        at = lower.find(needle)
        while at >= 0:
            flags[bisect_right(starts, at) - 1] = True
            at = lower.find(needle, at + 1)
    return flags


def redact_last_line(window: list[str], flags: list[bool]) -> str:
    """Return the last line of ``redact_text`` over ``window``, cheaply.

    ``flags[i]`` is ``may_hold_secret(window[i])``, or True (starting earlier
    than the first secret-bearing line changes nothing either). Every match of
    redact_text holds a secret word or PEM header, and a tag name never spans
    lines, so the lines before the first flagged one change nothing on the last
    line: they are left out (redact_text's cost grows with the text).
    """
    try:
        first = flags.index(True)
    except ValueError:
        return window[-1]
    return redact_text("\n".join(window[first:])).rpartition("\n")[2]


def continues_secret_tag(window: list[str], flags: list[bool]) -> bool:
    """Say whether the last line of ``window`` continues a secret-named tag.

    ``<Property name="Password"`` on one line and ``value="..."`` on the next
    (or a broken quote there): the tag, opened above and not closed before
    this line, names a secret, so this line's values are the secret's.
    ``flags`` as for ``redact_last_line``.
    """
    if True not in flags[:-1]:
        return False
    text = "\n".join(window[flags.index(True) : -1])
    start = text.rfind("<")
    return start >= 0 and ">" not in text[start:] and may_hold_secret(text[start:])


def mask_line(line: str) -> str:
    """Mask every non-blank run of ``line``, keeping its indentation."""
    return _mask_lines(line)


def redact(line: str) -> str:
    """Return ``line`` with anything that may be a secret replaced by a mask."""
    line = printable(line)
    if _BASE64_LINE.match(line):
        return MASK
    if _PEM.search(line):
        return _PEM.sub(MASK, line)
    if "<" in line and may_hold_secret(line) and malformed(line):
        line = mask_after_secret(line)
    line = _XML_ELEMENT.sub(
        lambda m: m.group(1) + (MASK if m.group(2).strip() else m.group(2)), line
    )
    line = _XML_CLOSING.sub(
        lambda m: (MASK if m.group(1).strip() else m.group(1)) + m.group(2), line
    )
    line = _NAMED_PROPERTY.sub(lambda m: m.group(1) + MASK, line)
    line = _XML_ATTR.sub(lambda m: m.group(1) + '"' + MASK + '"', line)
    line = _URL_CREDENTIALS.sub(lambda m: m.group(1) + MASK + m.group(3), line)
    line = _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, line)
    # key=value (properties) lines; XML lines are handled above.
    if not line.lstrip().startswith("<"):
        line = _KEY_VALUE.sub(lambda m: m.group(1) + MASK, line)
    return line


def redact_message(text: str) -> str:
    """Mask credentials embedded in URLs quoted by a message; drop control chars."""
    text = printable(text)
    # Each pattern needs a secret word or '://': most messages have neither, and
    # the IGNORECASE scan cost ~90 us per message, twice per finding shown.
    if may_hold_secret(text):
        text = _INLINE_KEY_VALUE.sub(lambda m: m.group(1) + MASK, text)
    if "://" in text:
        text = _URL_CREDENTIALS.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    return text
