"""SPARQL 1.1 result ordering done in Python, exactly as the store would do it.

Oxigraph evaluates ``ORDER BY`` by decoding the terms it compares from its on-disk
dictionary at every comparison, which costs far more than listing the rows. For the
library's form of query — a top-level ``ORDER BY`` of plain variables, ASC or DESC,
optionally followed by ``LIMIT``/``OFFSET`` — :func:`plan` splits the query into its body
(sent to the store unsorted) and the ordering, which :meth:`OrderPlan.apply` performs on
the rows with SPARQL 1.1's ordering (§15.1): unbound < blank nodes < IRIs < literals;
IRIs and blank nodes by their text; literals of one kind by value (numbers, booleans),
strings by their text then datatype then language (Oxigraph's order for them). A column
mixing kinds of literal that the store compares in its own way (say numbers and strings,
or ``xsd:float``, dates, other datatypes) cannot be sorted exactly here:
:meth:`OrderPlan.apply` then says so (``None``) and the caller leaves the query to the store.

Only solution order is changed: which rows there are is the body's business, and
``ORDER BY`` never changes that (``DISTINCT``, grouping and projection commute with it
when every sort variable is projected, which :meth:`OrderPlan.apply` checks).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

Binding = dict[str, str]
Row = dict[str, Binding]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = _XSD + "string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_I64 = 2**63
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_KEY = re.compile(
    r"\s*(?:(?P<dir>ASC|DESC)\s*\(\s*[?$](?P<wrapped>\w+)\s*\)|[?$](?P<var>\w+))", re.I
)
_SLICE = re.compile(r"\s*(?P<kw>LIMIT|OFFSET)\s+(?P<n>\d+)", re.I)
_ORDER = re.compile(r"\bORDER\s+BY\b", re.I)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: reading or sorting a large answer allocates
    a container per row and term, and each collection would walk all of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def mask_sparql(text: str) -> str:
    """``text`` with comments, string literals and IRIs blanked out (same length)."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        start = i
        if c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "\"'":
            long = text.startswith(c * 3, i)
            end = c * 3 if long else c
            i += len(end)
            while i < n and not text.startswith(end, i):
                i += 2 if text[i] == "\\" else 1
            i += len(end)
        elif c == "<" and (m := _IRI.match(text, i)) is not None:
            i = m.end()
        else:
            i += 1
            continue
        out[start:i] = " " * (min(i, n) - start)
    return "".join(out)


@dataclass(frozen=True)
class OrderPlan:
    """A SELECT query split into its unsorted body and its top-level ordering."""

    #: The query without its ORDER BY, LIMIT and OFFSET clauses.
    body: str
    #: ``(variable, descending)`` pairs, most significant first.
    keys: tuple[tuple[str, bool], ...]
    #: The ORDER BY clause as written (``ORDER BY ?a DESC(?b)``).
    clause: str
    offset: int = 0
    limit: int | None = None

    def top_text(self) -> str:
        """The query ordered by the store, returning its first ``offset + limit`` rows:
        what each registry must send for a merged answer to be sliced exactly."""
        text = f"{self.body.rstrip()}\n{self.clause}"
        if self.limit is not None:
            text += f"\nLIMIT {self.offset + self.limit}"
        return text + "\n"

    def apply(self, variables: Sequence[str], rows: list[Row]) -> list[Row] | None:
        """``rows`` in this plan's order and sliced, or ``None`` if that cannot be done
        exactly (a sort variable not projected, or literals the store compares its way)."""
        ordered = sort_rows(rows, variables, self.keys)
        if ordered is None:
            return None
        end = None if self.limit is None else self.offset + self.limit
        return ordered[self.offset : end] if self.offset or end is not None else ordered


def plan(sparql: str) -> OrderPlan | None:
    """The ordering of ``sparql`` if it is a SELECT query whose solution modifiers end in
    ``ORDER BY`` of plain variables (and optionally ``LIMIT``/``OFFSET``); else ``None``."""
    masked = mask_sparql(sparql)
    head = masked[: masked.find("{")] if "{" in masked else masked
    if not re.search(r"\bSELECT\b", head, re.I) or re.search(
        r"\b(ASK|CONSTRUCT|DESCRIBE)\b", head, re.I
    ):
        return None
    found = list(_ORDER.finditer(masked))
    if not found:
        return None
    order = found[-1]
    before = masked[: order.start()]
    if before.count("{") != before.count("}") or before.count("(") != before.count(")"):
        return None
    keys: list[tuple[str, bool]] = []
    at = order.end()
    while (m := _KEY.match(masked, at)) is not None:
        keys.append((m["wrapped"] or m["var"], (m["dir"] or "").upper() == "DESC"))
        at = m.end()
    clause_end = at
    slices: dict[str, int] = {}
    while (m := _SLICE.match(masked, at)) is not None:
        kw = m["kw"].upper()
        if kw in slices:
            return None
        slices[kw] = int(m["n"])
        at = m.end()
    if not keys or masked[at:].strip():
        return None
    return OrderPlan(
        body=sparql[: order.start()].rstrip() + "\n",
        keys=tuple(keys),
        clause=" ".join(sparql[order.start() : clause_end].split()),
        offset=slices.get("OFFSET", 0),
        limit=slices.get("LIMIT"),
    )


# ------------------------------------------------------------------ term order

_Key = tuple[Any, ...]
_UNBOUND: _Key = (0,)


def _integer(value: str) -> int | None:
    if not re.fullmatch(r"[+-]?\d+", value):
        return None
    number = int(value)
    return number if -_I64 <= number < _I64 else None


def _decimal(value: str) -> Decimal | None:
    m = re.fullmatch(r"[+-]?(\d*)(?:\.(\d*))?", value)
    if m is None or not (m[1] or m[2]) or len(m[2] or "") > 18:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None
    return number if abs(number) < Decimal(10) ** 20 else None


def _double(value: str) -> float | None:
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF", value):
        return None
    return float(value)


def _literal_key(term: Binding) -> tuple[str, Any] | None:
    """(kind, sort value) of a literal, or ``None`` for one not ordered here."""
    if len(term) > 3:  # more than type, value and datatype or language (a base direction)
        return None
    value = term["value"]
    if "xml:lang" in term:
        return "text", (value, _LANG_STRING, term["xml:lang"])
    datatype = term.get("datatype", _STRING)
    if datatype == _STRING:
        return "text", (value, _STRING, "")
    number: int | Decimal | float | None
    if datatype == _XSD + "boolean":
        if value in ("true", "1"):
            return "boolean", True
        if value in ("false", "0"):
            return "boolean", False
        return None
    if datatype == _XSD + "integer":
        number = _integer(value)
        return None if number is None else ("integer", number)
    if datatype == _XSD + "decimal":
        number = _decimal(value)
        return None if number is None else ("decimal", number)
    if datatype == _XSD + "double":
        number = _double(value)
        return None if number is None else ("double", number)
    return None


#: Kinds of literal that may share a column: Oxigraph compares them with each other by
#: value (integers and decimals exactly; integers and doubles as doubles).
_COMPATIBLE = [{"text"}, {"boolean"}, {"integer", "decimal"}, {"integer", "double"}]


def _column_keys(rows: list[Row], name: str) -> list[_Key] | None:
    keys: list[_Key] = []
    kinds: set[str] = set()
    #: A column has few distinct literals (levels, ranks, counts): each is read once.
    literals: dict[tuple[str, str | None, str | None], _Key] = {}
    append = keys.append
    for row in rows:
        term = row.get(name)
        if term is None:
            append(_UNBOUND)
            continue
        kind = term["type"]
        if kind == "uri":
            append((2, term["value"]))
        elif kind == "literal" or kind == "typed-literal":
            seen = (term["value"], term.get("datatype"), term.get("xml:lang"))
            key = literals.get(seen)
            if key is None:
                found = _literal_key(term)
                if found is None:
                    return None
                kinds.add(found[0])
                key = literals[seen] = (3, found[1])
            append(key)
        elif kind == "bnode":
            append((1, term["value"]))
        else:
            return None
    if len(kinds) > 1 and not any(kinds <= group for group in _COMPATIBLE):
        return None
    if "double" in kinds:
        keys = [(3, float(k[1])) if k[0] == 3 else k for k in keys]
    return keys


def sort_rows(
    rows: list[Row], variables: Sequence[str], keys: Sequence[tuple[str, bool]]
) -> list[Row] | None:
    """``rows`` ordered by ``keys`` (a stable sort), or ``None`` if not exactly possible."""
    if any(name not in variables for name, _ in keys):
        return None
    columns: list[tuple[list[_Key], bool]] = []
    for name, descending in keys:
        column = _column_keys(rows, name)
        if column is None:
            return None
        columns.append((column, descending))
    order = list(range(len(rows)))
    # Runs of keys in one direction are one sort on tuples; runs are sorted least
    # significant first, each stable sort keeping the order of the ones after it.
    runs: list[tuple[list[list[_Key]], bool]] = []
    for column, descending in columns:
        if runs and runs[-1][1] == descending:
            runs[-1][0].append(column)
        else:
            runs.append(([column], descending))
    for run, descending in reversed(runs):
        key: Callable[[int], Any]
        if len(run) == 1:
            key = run[0].__getitem__
        else:
            combined = list(zip(*run, strict=True))
            key = combined.__getitem__
        order.sort(key=key, reverse=descending)
    return [rows[i] for i in order]
