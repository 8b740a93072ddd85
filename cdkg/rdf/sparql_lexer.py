r"""SPARQL text split into code, string literals, comments and IRIs.

Whoever looks for keywords, braces or variables in a query (to find its form, rewrite
it, refuse ``SERVICE``) must skip what is not code, exactly as the SPARQL 1.1 grammar
(§19.8) reads the text, left to right; :func:`tokens` does that once for all of them.

Strings
    ``"…"`` and ``'…'`` end at the next unescaped quote of their kind, ``'''…'''`` and
    its double-quoted form at the next unescaped three. A backslash escapes the
    character after it, a backslash too: ``'''x\\'''`` is one complete string. A
    ``\uXXXX`` escape is an escape like any other, never decoded here: ``"\u0022"`` is
    one complete string of eight characters, as Oxigraph reads it (a caller that must
    also read a text with such escapes decoded first, as SPARQL 1.1 §19.2 allows,
    decodes it before lexing). A short string cannot hold a line break: an unterminated
    one ends at the end of its line, an unterminated long one at the end of the text.
Comments
    ``#`` to the end of the line (a line ends at ``\n`` or ``\r``), except inside a
    string or an IRI (``<…#frag>``) or escaped in a prefixed name (``ex:a\#b``).
IRIs
    ``<`` followed by the characters an ``IRIREF`` may hold and ``>``; any other ``<`` is
    the less-than operator, code. (Tokens are the longest that match, so ``?a<?b&&?c>``
    is an IRI by the grammar; a parser that reads it as two comparisons, as Oxigraph's
    does, sees code there.)
Code
    Everything else. A backslash in code (an escape in a prefixed name, ``ex:it\'s``)
    keeps the character after it in the code.

The pieces cover the text without gaps, so each caller can blank, drop or keep each
kind and still map positions back to the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Kind = Literal["code", "string", "comment", "iri"]

#: Where something other than plain code may begin.
_SPECIAL = re.compile(r"[#\"'<\\]")
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_LINE_END = re.compile(r"[\r\n]")
#: The body of a long string: anything but its closing quotes (a backslash escapes the
#: character after it; a quote not followed by two more is content).
_LONG_BODY = {q: re.compile(rf"(?:[^{q}\\]|\\[\s\S]?|{q}(?!{q}{q}))*") for q in ('"', "'")}
#: The body of a short string: no line break, no unescaped quote of its kind.
_SHORT_BODY = {q: re.compile(rf"(?:[^{q}\\\r\n]|\\[^\r\n]?)*") for q in ('"', "'")}


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of a SPARQL text: ``text[start:end]`` is of kind ``kind``."""

    kind: Kind
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    """The pieces of ``text`` in order, covering it: runs of code, strings (their quotes
    included), comments (without the line break) and IRIs (their brackets included)."""
    n = len(text)
    code_start = i = 0
    while True:
        found = _SPECIAL.search(text, i)
        if found is None:
            break
        at = found.start()
        c = text[at]
        kind: Kind
        if c == "\\":
            i = at + 2
            continue
        if c == "#":
            kind = "comment"
            line_end = _LINE_END.search(text, at)
            end = n if line_end is None else line_end.start()
        elif c == "<":
            iri = _IRI.match(text, at)
            if iri is None:
                i = at + 1
                continue
            kind, end = "iri", iri.end()
        else:
            kind = "string"
            if text.startswith(c * 3, at):
                body = _LONG_BODY[c].match(text, at + 3)
                assert body is not None  # the pattern matches the empty string
                end = body.end()
                end = end + 3 if text.startswith(c * 3, end) else n
            else:
                body = _SHORT_BODY[c].match(text, at + 1)
                assert body is not None
                end = body.end()
                if end < n and text[end] == c:
                    end += 1
        if at > code_start:
            yield Token("code", code_start, at)
        yield Token(kind, at, end)
        code_start = i = end
    if code_start < n:
        yield Token("code", code_start, n)


def mask_sparql(text: str) -> str:
    """``text`` with comments, string literals and IRIs blanked out (same length, so a
    position in the result is the same position in ``text``)."""
    return "".join(
        text[t.start : t.end] if t.kind == "code" else " " * (t.end - t.start) for t in tokens(text)
    )
