"""Reading Oxigraph's SPARQL 1.1 TSV results into Query Results JSON rows.

A large answer (a million rows) read as Oxigraph's JSON document costs far more than
the same answer as TSV: the JSON repeats ``"type"``, ``"value"`` and ``"datatype"`` for
every term, and decoding it makes a new dictionary for each. In TSV each term is
written once per row in Turtle syntax; :func:`read` turns each distinct term text into
its binding once and gives every row that holds it that same binding, so rows must be
read, not changed in place (as the rest of cdkg does).

Only what Oxigraph writes is read: IRIs, blank nodes, quoted literals (N-Triples
escapes) with a language or a datatype, and the bare forms it uses for canonical
booleans, integers, decimals and doubles (their text is the literal's value, as in
its JSON). Anything else (a triple term, a base direction, an unknown escape) makes
:func:`read` answer ``None``, and the caller asks for JSON instead.
"""

from __future__ import annotations

import re
from typing import Any

from cdkg.store.base import Binding, Results

_XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE = [
    (re.compile(r"true|false"), _XSD + "boolean"),
    (re.compile(r"[+-]?[0-9]+"), _XSD + "integer"),
    (re.compile(r"[+-]?[0-9]*\.[0-9]+"), _XSD + "decimal"),
    (re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+"), _XSD + "double"),
]
_LANGUAGE = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
#: A quoted literal's text: no bare quote or backslash, only N-Triples escapes.
_QUOTED = re.compile(r"(?:[^\"\\]|\\(?:[tbnrf\"'\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*", re.S)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class _Unreadable(ValueError):
    """A term this reader does not know how to read."""


def _unescape(match: re.Match[str]) -> str:
    code = match[1] or match[2]
    return chr(int(code, 16)) if code else _ECHAR[match[3]]


def _string(quoted: str) -> str:
    if "\\" not in quoted and '"' not in quoted:
        return quoted
    if not _QUOTED.fullmatch(quoted):
        raise _Unreadable(quoted)
    return _ESCAPE.sub(_unescape, quoted)


def _term(text: str) -> Binding | None:
    """The binding a TSV cell stands for (``None`` for an empty cell: unbound)."""
    if not text:
        return None
    first = text[0]
    if first == "<" and text[-1] == ">" and not text.startswith("<<"):
        return {"type": "uri", "value": text[1:-1]}
    if first == "_" and text.startswith("_:"):
        return {"type": "bnode", "value": text[2:]}
    if first == '"':
        end = text.rfind('"')
        if end < 1:
            raise _Unreadable(text)
        value, rest = _string(text[1:end]), text[end + 1 :]
        if not rest:
            return {"type": "literal", "value": value}
        suffix = _suffix(rest)
        if suffix is None:
            raise _Unreadable(text)
        return {"type": "literal", "value": value, suffix[0]: suffix[1]}
    for pattern, datatype in _BARE:
        if pattern.fullmatch(text):
            return {"type": "literal", "value": text, "datatype": datatype}
    raise _Unreadable(text)


class _Terms(dict[str, Binding | None]):
    """Each distinct cell text read once (IRIs and quoted literals without escapes, the
    most frequent, without a further call; the few languages and datatypes checked
    once each)."""

    def __init__(self) -> None:
        super().__init__({"": None})
        self.suffixes: dict[str, tuple[str, str] | None] = {}

    def __missing__(self, text: str) -> Binding | None:
        binding: Binding | None
        first = text[0]
        if first == "<" and text[-1] == ">" and text[1] != "<":
            binding = {"type": "uri", "value": text[1:-1]}
        elif first == '"' and "\\" not in text:
            end = text.rfind('"')
            rest = text[end + 1 :]
            if not rest and end > 0:
                binding = {"type": "literal", "value": text[1:end]}
            else:
                if rest in self.suffixes:
                    suffix = self.suffixes[rest]
                else:
                    suffix = self.suffixes[rest] = _suffix(rest)
                if suffix is None or end < 1:
                    binding = _term(text)
                else:
                    binding = {"type": "literal", "value": text[1:end], suffix[0]: suffix[1]}
        else:
            binding = _term(text)
        self[text] = binding
        return binding


def _suffix(rest: str) -> tuple[str, str] | None:
    """``("xml:lang", tag)`` or ``("datatype", iri)`` for what follows a literal's
    closing quote, or ``None``."""
    if rest[:1] == "@" and _LANGUAGE.fullmatch(rest, 1):
        return ("xml:lang", rest[1:])
    if rest.startswith("^^<") and rest[-1] == ">" and '"' not in rest and "<" not in rest[3:]:
        return ("datatype", rest[3:-1])
    return None


def read(data: bytes) -> Results | None:
    """The rows of Oxigraph's TSV answer ``data``, or ``None`` if it holds a term this
    reader does not know (ask for JSON then)."""
    lines = data.decode("utf-8").split("\n")
    if len(lines) < 2 or lines[-1]:
        return None
    header = lines[0]
    variables = [v[1:] for v in header.split("\t")] if header else []
    if any(not v for v in variables):
        return None
    width = len(variables)
    terms = _Terms()
    lookup = terms.__getitem__
    rows: list[dict[str, Any]] = []
    append = rows.append
    try:
        for line in lines[1:-1]:
            cells = line.split("\t") if width else []
            if len(cells) != width:
                return None
            if "" in cells:
                append(
                    {
                        v: b
                        for v, b in zip(variables, map(lookup, cells), strict=True)
                        if b is not None
                    }
                )
            else:
                append(dict(zip(variables, map(lookup, cells), strict=True)))
    except _Unreadable:
        return None
    return Results(variables, rows)
