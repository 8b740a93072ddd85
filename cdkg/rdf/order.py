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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from cdkg.rdf.sparql_lexer import mask_sparql

Binding = dict[str, str]
Row = dict[str, Binding]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = _XSD + "string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_I64 = 2**63
_KEY = re.compile(
    r"\s*(?:(?P<dir>ASC|DESC)\s*\(\s*[?$](?P<wrapped>\w+)\s*\)|[?$](?P<var>\w+))", re.I
)
_SLICE = re.compile(r"\s*(?P<kw>LIMIT|OFFSET)\s+(?P<n>\d+)", re.I)
_ORDER = re.compile(r"\bORDER\s+BY\b", re.I)


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


def _column_ranks(
    rows: list[Row], name: str, *, ranked: bool = True
) -> tuple[list[Any], int] | None:
    """Each row's rank in the order of the column ``name`` (terms that compare equal share
    a rank) and the number of ranks; or ``None`` for terms not ordered here. Unless
    ``ranked``, a column of strings (all bound) comes back as its strings (and 0).

    Each distinct term is keyed and compared once, and the rows are then sorted on
    integers. A column of IRIs, or of strings of one datatype or language (what most
    sort keys are), is ordered by the terms' text alone. Rows read by the embedded
    store share one binding per distinct term: then each binding is ranked once."""
    terms = [row.get(name) for row in rows]
    ids = list(map(id, terms))
    shared = dict(zip(ids, terms, strict=True))
    if 2 * len(shared) <= len(terms):
        found = _ranks(list(shared.values()), ranked=True)
        if found is None:
            return None
        rank_of = dict(zip(shared, found[0], strict=True))
        return list(map(rank_of.__getitem__, ids)), found[1]
    return _ranks(terms, ranked=ranked)


def _ranks(terms: list[Binding | None], *, ranked: bool) -> tuple[list[Any], int] | None:
    """:func:`_column_ranks` of the terms themselves."""
    complete = None not in terms
    present = cast(list[Binding], terms) if complete else [t for t in terms if t is not None]
    template = _uniform(present)
    idents: list[Any]
    if template is None:
        idents = [
            None
            if t is None
            else (t["type"], t["value"], t.get("datatype"), t.get("xml:lang"), len(t))
            for t in terms
        ]
    else:
        idents = (
            [t["value"] for t in present]
            if complete
            else [None if t is None else t["value"] for t in terms]
        )
        sample = _literal_key({**template, "value": ""}) if template["type"] == "literal" else None
        if template["type"] != "literal" or (sample is not None and sample[0] == "text"):
            # ordered by their text (unbound first)
            if complete and not ranked:
                return idents, 0
            texts = set(idents)
            texts.discard(None)
            first = 0 if complete else 1
            rank_of: dict[Any, int] = {text: first + i for i, text in enumerate(sorted(texts))}
            if not complete:
                rank_of[None] = 0
            return list(map(rank_of.__getitem__, idents)), len(rank_of)
    keys: dict[Any, _Key] = {}
    kinds: set[str] = set()
    for ident in set(idents):
        if ident is None:
            keys[ident] = _UNBOUND
            continue
        term = {**template, "value": ident} if template is not None else _term(ident)
        key = _term_key(term)
        if key is None:
            return None
        if key[0] == 3:
            kinds.add(key[1])
            key = (3, key[2])
        keys[ident] = key
    if len(kinds) > 1 and not any(kinds <= group for group in _COMPATIBLE):
        return None
    if "double" in kinds:
        keys = {i: (3, float(k[1])) if k[0] == 3 else k for i, k in keys.items()}
    ranks = {key: rank for rank, key in enumerate(sorted(set(keys.values())))}
    rank_of = {ident: ranks[key] for ident, key in keys.items()}
    return list(map(rank_of.__getitem__, idents)), len(ranks)


def _uniform(terms: list[Binding]) -> Binding | None:
    """The one kind of term ``terms`` all are (its type, datatype and language, without a
    value): IRIs, blank nodes, or literals of one datatype or language; else ``None``."""
    types = {t["type"] for t in terms}
    if len(types) != 1:
        return None
    kind = next(iter(types))
    if kind == "uri" or kind == "bnode":
        return {"type": kind}
    if kind != "literal" and kind != "typed-literal":
        return None
    if max(len(t) for t in terms) > 3:  # e.g. a base direction: keyed one by one
        return None
    datatypes = {t.get("datatype") for t in terms}
    languages = {t.get("xml:lang") for t in terms}
    if len(datatypes) != 1 or len(languages) != 1:
        return None
    template = {"type": "literal"}
    datatype, language = next(iter(datatypes)), next(iter(languages))
    if datatype is not None:
        template["datatype"] = datatype
    if language is not None:
        template["xml:lang"] = language
    return template


def _term(ident: tuple[str, str, str | None, str | None, int]) -> Binding | None:
    """The term a general column identifier stands for (``None``: a literal with more
    keys, e.g. a base direction)."""
    kind, value, datatype, language, size = ident
    term = {"type": kind, "value": value}
    if kind == "uri" or kind == "bnode":
        return term
    if datatype is not None:
        term["datatype"] = datatype
    if language is not None:
        term["xml:lang"] = language
    return term if len(term) == size else None


def _term_key(term: Binding | None) -> tuple[Any, ...] | None:
    """``(1, text)`` for a blank node, ``(2, text)`` for an IRI, ``(3, kind, value)`` for
    a literal ordered here; ``None`` for anything else."""
    if term is None:
        return None
    kind = term["type"]
    if kind == "uri":
        return (2, term["value"])
    if kind == "bnode":
        return (1, term["value"])
    if kind == "literal" or kind == "typed-literal":
        found = _literal_key(term)
        return None if found is None else (3, *found)
    return None


def sort_rows(
    rows: list[Row], variables: Sequence[str], keys: Sequence[tuple[str, bool]]
) -> list[Row] | None:
    """``rows`` ordered by ``keys`` (a stable sort), or ``None`` if not exactly possible."""
    if any(name not in variables for name, _ in keys):
        return None
    # Every key becomes the rank of the row's term in its column (reversed for DESC);
    # the ranks of all keys make one integer per row, most significant key first.
    if len(keys) == 1:
        name, descending = keys[0]
        single = _column_ranks(rows, name, ranked=False)
        if single is None:
            return None
        order = sorted(range(len(rows)), key=single[0].__getitem__, reverse=descending)
        return [rows[i] for i in order]
    combined: list[int] | None = None
    for name, descending in keys:
        column = _column_ranks(rows, name)
        if column is None:
            return None
        ranks, size = column
        if descending:
            top = size - 1
            ranks = [top - rank for rank in ranks]
        if combined is None:
            combined = ranks
        else:
            combined = [high * size + rank for high, rank in zip(combined, ranks, strict=True)]
    if combined is None:
        return list(rows)
    order = sorted(range(len(rows)), key=combined.__getitem__)
    return [rows[i] for i in order]
