"""Hide secrets in anything shown from a config file (source lines, excerpts)."""

from __future__ import annotations

import re

MASK = "********"
_SECRET_WORDS = (
    r"(?:password|passwd|passphrase|secret|keypass|storepass|credential"
    r"|private[_.-]?key)"
)
_XML_ELEMENT = re.compile(
    rf"(<(?:[\w.-]+:)?[\w.-]*{_SECRET_WORDS}[\w.-]*(?:\s[^>]*)?>)([^<]*)",
    re.IGNORECASE,
)
_XML_ATTR = re.compile(
    rf"(\b[\w.:-]*{_SECRET_WORDS}[\w.:-]*\s*=\s*)(\"[^\"]*\"|'[^']*')", re.IGNORECASE
)
_KEY_VALUE = re.compile(
    rf"^(\s*[\w.-]*{_SECRET_WORDS}[\w.-]*\s*[=:\s]\s*)(\S.*)$", re.IGNORECASE
)
_NAMED_PROPERTY = re.compile(
    rf"(<Property\s+name=\"[^\"]*{_SECRET_WORDS}[^\"]*\"[^>]*>)([^<]*)", re.IGNORECASE
)
_URL_CREDENTIALS = re.compile(r"(://[^:/@\s]+:)([^@\s/]+)(@)")
_PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*", re.DOTALL)


def redact(line: str) -> str:
    """Return ``line`` with anything that may be a secret replaced by a mask."""
    if _PEM.search(line):
        return _PEM.sub(MASK, line)
    line = _XML_ELEMENT.sub(
        lambda m: m.group(1) + (MASK if m.group(2).strip() else m.group(2)), line
    )
    line = _NAMED_PROPERTY.sub(lambda m: m.group(1) + MASK, line)
    line = _XML_ATTR.sub(lambda m: m.group(1) + '"' + MASK + '"', line)
    line = _URL_CREDENTIALS.sub(lambda m: m.group(1) + MASK + m.group(3), line)
    if "<" not in line:
        line = _KEY_VALUE.sub(lambda m: m.group(1) + MASK, line)
    return line


def redact_message(text: str) -> str:
    """Mask credentials embedded in URLs quoted by a message."""
    return _URL_CREDENTIALS.sub(lambda m: m.group(1) + MASK + m.group(3), text)
