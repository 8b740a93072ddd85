"""What a SPARQL request would do, read from its parse tree (not from its text).

The server decides whether a request may run from the request as a SPARQL parser reads
it (rdflib's grammar of SPARQL 1.1): which services a query or an update would call
(``SERVICE``), which documents it would fetch (``LOAD``), and which graphs an update
would write. Two readings of one text must not differ, so a request that holds a
``\\uXXXX`` or ``\\UXXXXXXXX`` escape is not checked (SPARQL lets a parser decode such
escapes before parsing, and Oxigraph decodes them only inside strings and IRIs: the two
could see different requests); nor is one the parser cannot read, or one too deeply
nested for it. Those are :class:`Unchecked`: the caller refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


class Unchecked(ValueError):
    """A request that cannot be checked, with the reason in words; ``kind`` says why:
    ``escape`` (a ``\\u`` escape), ``syntax`` (the parser cannot read it, e.g. SPARQL 1.2
    syntax) or ``size`` (too deeply nested for the parser)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Effects:
    """What a request would do."""

    #: The services (IRIs or ``?variables``) a SERVICE clause would call.
    services: list[str] = field(default_factory=list)
    #: The documents LOAD would fetch.
    loads: list[str] = field(default_factory=list)
    #: The graphs an update would write: IRIs, or ``DEFAULT``, ``ALL``, ``NAMED``, or a
    #: ``?variable`` (a template writing whatever graph its solutions name).
    written: list[str] = field(default_factory=list)


def _parsed(text: str, parse: Any) -> Any:
    if _ESCAPE.search(text):
        raise Unchecked(
            "\\u escapes are not accepted: write the character itself (the request is "
            "checked as it is written)",
            "escape",
        )
    try:
        return parse(text)
    except ParseException as exc:
        raise Unchecked(
            f"not valid SPARQL 1.1 (line {exc.lineno}, column {exc.col})", "syntax"
        ) from None
    except RecursionError:
        raise Unchecked(
            "too long or too deeply nested to be checked: split it (for many triples, send "
            "the document with the Graph Store Protocol, PUT or POST /graph-store)",
            "size",
        ) from None


def _nodes(tree: Any) -> Iterator[CompValue]:
    """Every node of a parse tree, depth first, without recursion."""
    todo = [tree]
    while todo:
        item = todo.pop()
        if isinstance(item, CompValue):
            yield item
            todo.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())


def _get(node: Any, key: str) -> Any:
    """A part of a parse-tree node, or None (``CompValue.get`` answers a missing key
    with the key itself)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _all(value: Any) -> list[Any]:
    """One node or a list of them, as a list."""
    if value is None:
        return []
    if isinstance(value, CompValue):
        return [value]
    return list(value)


def _name(term: Any) -> str:
    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, URIRef):
        return str(term)
    return str(term).upper()


def query_effects(text: str) -> Effects:
    """What the query ``text`` would do (only SERVICE calls: a query writes nothing)."""
    effects = Effects()
    for node in _nodes(_parsed(text, parseQuery)):
        if node.name == "ServiceGraphPattern":
            effects.services.append(_name(_get(node, "term")))
    return effects


def _quad_graphs(quads: Any, default: str) -> list[str]:
    """The graphs the quads of an INSERT/DELETE template or data block name."""
    if quads is None:
        return []
    out = []
    if _get(quads, "triples"):
        out.append(default)
    for block in _all(_get(quads, "quadsNotTriples")):
        out.append(_name(_get(block, "term")))
    return out


def update_effects(text: str) -> Effects:
    """What the update ``text`` would do: services, loads and the graphs written."""
    effects = Effects()
    tree = _parsed(text, parseUpdate)
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            effects.services.append(_name(_get(node, "term")))
        elif node.name == "Load":
            effects.loads.append(_name(_get(node, "iri")))
            target = _get(node, "graphiri")
            effects.written.append(_name(target) if target is not None else "DEFAULT")
    for op in _all(_get(tree, "request")):
        name = op.name
        if name in ("InsertData", "DeleteData", "DeleteWhere"):
            effects.written += _quad_graphs(_get(op, "quads"), "DEFAULT")
        elif name == "Modify":
            target = _get(op, "withClause")
            default = _name(target) if target is not None else "DEFAULT"
            for clause in ("insert", "delete"):
                part = _get(op, clause)
                if part is not None:
                    effects.written += _quad_graphs(_get(part, "quads"), default)
        elif name in ("Clear", "Drop", "Create"):
            effects.written.append(_name(_get(op, "graphiri")))
        elif name in ("Add", "Copy", "Move"):
            source, target = [*(_get(op, "graph") or []), "DEFAULT", "DEFAULT"][:2]
            effects.written.append(_name(target))
            if name == "Move":
                effects.written.append(_name(source))
    return effects
