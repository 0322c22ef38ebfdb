"""A position-recording nginx lexer: every directive with the byte span of its name,
its arguments, its terminator and its block, so a fix rewrites one token."""

from __future__ import annotations

from msgspec import Struct

_SPACE = frozenset(b" \t\r\n")
_SPECIAL = frozenset(b";{}")


class Token(Struct, frozen=True):
    """A word as written (quotes kept in the span), its unquoted text and line."""

    start: int
    end: int
    text: str
    line: int


class NgxDirective(Struct, frozen=True):
    """A directive: ``end`` is after its ``;`` or its block's ``}``."""

    name: Token
    args: tuple[Token, ...]
    term: int  # offset of the ';' or '{'
    end: int
    block: tuple[NgxDirective, ...] | None = None
    close: int | None = None  # offset of the block's '}'

    def walk(self) -> list[NgxDirective]:
        """Return this directive and everything nested in it, in file order."""
        found = [self]
        for child in self.block or ():
            found.extend(child.walk())
        return found


class NgxFile(Struct, frozen=True):
    """One nginx file's bytes, line ending and top-level directives."""

    data: bytes
    newline: str
    directives: tuple[NgxDirective, ...] = ()

    def all(self) -> list[NgxDirective]:
        """Return every directive of the file in order."""
        found: list[NgxDirective] = []
        for d in self.directives:
            found.extend(d.walk())
        return found

    def at(self, line: int, name: str) -> NgxDirective | None:
        """Return the directive ``name`` starting on ``line``."""
        return next(
            (d for d in self.all() if d.name.line == line and d.name.text == name), None
        )

    def indent_of(self, offset: int) -> str:
        """Return the whitespace that starts the line holding ``offset``."""
        start = self.data.rfind(b"\n", 0, offset) + 1
        end = start
        while end < len(self.data) and self.data[end] in (0x20, 0x09):
            end += 1
        return self.data[start:end].decode("ascii")


class NginxSyntax(Exception):
    """The text does not lex into balanced directives."""


def _quoted(data: bytes, at: int) -> int:
    quote = data[at]
    at += 1
    while at < len(data) and data[at] != quote:
        at += 2 if data[at] == 0x5C else 1
    if at >= len(data):
        raise NginxSyntax("unterminated quote")
    return at + 1


def _word_end(data: bytes, at: int) -> int:
    while at < len(data):
        byte = data[at]
        if byte == 0x5C:
            at += 2
            continue
        if byte in _SPACE or byte in {0x3B, 0x7D}:
            break
        if byte == 0x7B and not (at > 0 and data[at - 1] == 0x24):
            break  # '{' opens a block unless it is '${var}'
        if byte == 0x7B:
            at = data.find(b"}", at) + 1 or len(data)
            continue
        at += 1
    return at


def tokens(data: bytes) -> list[Token]:
    """Split nginx text into tokens, comments dropped, ``;{}`` single tokens."""
    found: list[Token] = []
    at, line = 0, 1
    while at < len(data):
        byte = data[at]
        if byte in _SPACE:
            line += byte == 0x0A
            at += 1
        elif byte == 0x23:
            at = data.find(b"\n", at)
            at = len(data) if at < 0 else at
        else:
            if byte in _SPECIAL:
                end = at + 1
            elif byte in (0x22, 0x27):
                end = _quoted(data, at)
            else:
                end = _word_end(data, at)
            raw = data[at:end].decode("utf-8", "replace")
            text = raw[1:-1] if byte in (0x22, 0x27) else raw
            found.append(Token(at, end, text, line))
            line += data.count(b"\n", at, end)
            at = end
    return found


def _is_special(tok: Token, data: bytes) -> bool:
    return tok.end - tok.start == 1 and data[tok.start] in _SPECIAL


def _block(
    toks: list[Token], at: int, data: bytes, depth: int
) -> tuple[tuple[NgxDirective, ...], int]:
    found: list[NgxDirective] = []
    while at < len(toks):
        tok = toks[at]
        if _is_special(tok, data):
            if tok.text == "}" and depth:
                return tuple(found), at
            raise NginxSyntax(f"unexpected {tok.text!r} on line {tok.line}")
        args: list[Token] = []
        at += 1
        while at < len(toks) and not _is_special(toks[at], data):
            args.append(toks[at])
            at += 1
        if at >= len(toks) or toks[at].text == "}":
            raise NginxSyntax(
                f"directive {tok.text!r} on line {tok.line} is not closed"
            )
        term = toks[at].start
        block: tuple[NgxDirective, ...] | None = None
        close = None
        if toks[at].text == "{":
            block, at = _block(toks, at + 1, data, depth + 1)
            if at >= len(toks):
                raise NginxSyntax(
                    f"block {tok.text!r} on line {tok.line} is not closed"
                )
            close = toks[at].start
        found.append(NgxDirective(tok, tuple(args), term, toks[at].end, block, close))
        at += 1
    if depth:
        raise NginxSyntax("unbalanced braces")
    return tuple(found), at


def parse_nginx(data: bytes) -> NgxFile:
    """Lex one nginx file; raise NginxSyntax when it is not well balanced."""
    directives, _ = _block(tokens(data), 0, data, 0)
    newline = "\r\n" if b"\r\n" in data else "\n"
    return NgxFile(data, newline, directives)
