"""SPARQL text helpers for the fast engine: terms, SHACL paths and pre-bound queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib import RDF, SH
from rdflib.collection import Collection
from rdflib.term import BNode, Literal, Node, URIRef

from cdkg.rdf.sparql_lexer import mask_sparql, tokens


class Unsupported(Exception):
    """A shape uses something the fast engine does not compile (it falls back)."""


def term(node: Node) -> str:
    """``node`` in SPARQL syntax (IRIs and literals; blank nodes cannot be written)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"a blank node ({node}) where the fast engine needs a constant")


_EMPTY = ox.Store()


@lru_cache(maxsize=4096)
def _stored_form(text: str) -> tuple[str, str]:
    """The lexical form and datatype Oxigraph keeps for the literal ``text``."""
    rows = _EMPTY.query(f"SELECT ?x WHERE {{ VALUES ?x {{ {text} }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    stored = next(iter(rows))["x"]
    assert isinstance(stored, ox.Literal)
    return stored.value, stored.datatype.value


def constant(node: Node) -> str:
    """``node`` as a constant compared term by term (``sameTerm``, ``VALUES``, patterns).

    Oxigraph keeps many typed literals only by value ("4.0"^^xsd:decimal as "4",
    "1"^^xsd:boolean as "true", "5"^^xsd:int as "5"^^xsd:integer), so such a constant
    would match terms that SHACL tells apart, or be reported in another form: refused.
    """
    text = term(node)
    if isinstance(node, Literal) and node.datatype is not None:
        try:
            value, datatype = _stored_form(text)
        except SyntaxError as exc:
            raise Unsupported(f"the literal {text} is not valid SPARQL") from exc
        if (value, datatype) != (str(node), str(node.datatype)):
            raise Unsupported(f"the store keeps the literal {text} only as {value!r}^^{datatype}")
    return text


def path(graph: rdflib.Graph, node: Node) -> str:
    """A SHACL property path as a SPARQL 1.1 property path."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if not isinstance(node, BNode):
        raise Unsupported(f"not a SHACL path: {node!r}")
    if (node, RDF.first, None) in graph:
        items = [path(graph, n) for n in Collection(graph, node)]
        if len(items) < 2:
            raise Unsupported("a sequence path needs at least two members")
        return "(" + "/".join(items) + ")"
    for prop, fmt in (
        (SH.inversePath, "^({})"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = graph.value(node, prop)
        if inner is not None:
            return fmt.format(path(graph, inner))
    alt = graph.value(node, SH.alternativePath)
    if alt is not None:
        items = [path(graph, n) for n in Collection(graph, alt)]
        if len(items) < 2:
            raise Unsupported("an alternative path needs at least two members")
        return "(" + "|".join(items) + ")"
    raise Unsupported(f"unknown SHACL path form at {node}")


_THIS = re.compile(r"[$?]this\b")
_FORBIDDEN = re.compile(
    r"(?<![\w:$?])(MINUS|SERVICE|VALUES)\b|[$?](shapesGraph|currentShape)\b", re.IGNORECASE
)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_CONSTRUCT = re.compile(r"\bCONSTRUCT\b", re.IGNORECASE)


def _strip_strings(text: str) -> str:
    """``text`` with string literals, IRIs and comments blanked out (same length): a
    string keeps its first and last character (its quotes), an IRI its brackets."""
    out: list[str] = []
    for t in tokens(text):
        size = t.end - t.start
        if t.kind == "code":
            out.append(text[t.start : t.end])
        elif t.kind != "comment" and size >= 2:
            out.append(text[t.start] + " " * (size - 2) + text[t.end - 1])
        else:
            out.append(" " * size)
    return "".join(out)


def _matching_brace(code: str, start: int) -> int:
    depth = 0
    for i in range(start, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise Unsupported("unbalanced braces in a SPARQL query")


def check_prebindable(text: str) -> None:
    """Refuse what SHACL forbids in pre-bound queries or what substitution would change."""
    code = _strip_strings(text)
    found = _FORBIDDEN.search(code)
    if found:
        raise Unsupported(f"the query uses {found.group(0)}")
    if len(_SELECT.findall(code)) + len(_CONSTRUCT.findall(code)) > 1:
        raise Unsupported("the query has a sub-select")


_EXISTS = re.compile(r"\bFILTER\s*(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
_FILTER = re.compile(r"\bFILTER\b", re.IGNORECASE)
_NOT_SIMPLE = re.compile(
    r"[{}]|\b(OPTIONAL|UNION|VALUES|GRAPH|MINUS|SERVICE|SELECT|EXISTS)\b", re.IGNORECASE
)
_VAR = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _depths(code: str) -> list[int]:
    depth, out = 0, []
    for ch in code:
        if ch == "{":
            depth += 1
        out.append(depth)
        if ch == "}":
            depth -= 1
    return out


def _without_filters(code: str) -> str:
    """``code`` (strings blanked, no EXISTS left) without its FILTER expressions."""
    out, i = [], 0
    for m in _FILTER.finditer(code):
        if m.start() < i:
            continue
        out.append(code[i : m.start()])
        j = m.end()
        while j < len(code) and code[j].isspace():
            j += 1
        while j < len(code) and (code[j].isalnum() or code[j] in ":_-"):
            j += 1
        if j < len(code) and code[j] == "(":
            depth = 0
            for k in range(j, len(code)):
                depth += {"(": 1, ")": -1}.get(code[k], 0)
                if depth == 0:
                    j = k + 1
                    break
        i = j
    out.append(code[i:])
    return "".join(out)


def decorrelate(body: str, bound: frozenset[str] = frozenset()) -> str:
    """Rewrite correlated ``FILTER [NOT] EXISTS`` in a group into joins (and ``MINUS``).

    ``FILTER EXISTS { P }`` whose only link to the rest of the group is the variables V
    (bound there by triple patterns or BIND, or in ``bound``) holds exactly for the
    solutions whose V values are among those ``P`` yields on its own; so it becomes a join
    with ``{ SELECT DISTINCT V WHERE { P } }`` (``NOT EXISTS``: ``MINUS``), evaluated once
    instead of once per solution. Groups that are not plain triple patterns, BINDs and
    FILTERs are left as written (correct, only slower).
    """
    code = _strip_strings(body)
    depth = _depths(code)
    spans: list[tuple[int, int, bool, str]] = []
    for m in _EXISTS.finditer(code):
        if depth[m.start()] != 0 or (spans and m.start() < spans[-1][1]):
            continue
        open_ = m.end() - 1
        close = _matching_brace(code, open_)
        spans.append((m.start(), close + 1, bool(m.group(1)), body[open_ + 1 : close]))
    if not spans:
        return body
    rest, rest_code, last = [], [], 0
    for start, end, _neg, _inner in spans:
        rest.append(body[last:start])
        rest_code.append(code[last:start])
        last = end
    rest.append(body[last:])
    rest_code.append(code[last:])
    plain = _without_filters("".join(rest_code))
    if _NOT_SIMPLE.search(plain):
        return body
    outer_vars = set(_VAR.findall(plain)) | bound
    parts = ["".join(rest)]
    for start, end, negated, inner in spans:
        inner_code = _strip_strings(inner)
        inner_plain = _without_filters(_EXISTS.sub("", inner_code))
        shared = sorted(set(_VAR.findall(inner_code)) & outer_vars)
        binds_all = all(re.search(r"[?$]" + v + r"\b", inner_plain) for v in shared)
        if not shared or not binds_all:
            parts.append(body[start:end])
            continue
        sub = decorrelate(inner)
        proj = " ".join("?" + v for v in shared)
        select = f"{{ SELECT DISTINCT {proj} WHERE {{ {sub} }} }}"
        parts.append(f"MINUS {select}" if negated else select)
    return "\n".join(parts)


_BIND = re.compile(r"\bBIND\b", re.IGNORECASE)
_THIS_VAR = re.compile(r"[?$]this\b")


def _own_text(code: str, open_: int, close: int) -> str:
    """The text of the group ``code[open_:close+1]`` without its nested groups."""
    out, depth = [], 0
    for ch in code[open_ + 1 : close]:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def check_nested_this(body: str) -> None:
    """Refuse ``$this`` in a filter or BIND of a nested group that does not bind it.

    Pre-binding makes ``$this`` bound in *every* group; the rewrite binds it by a join in
    the outermost group only, so a FILTER or BIND inside a plain nested group, a UNION
    branch or a GRAPH block would read it unbound. (OPTIONAL filters see the outer
    solution and EXISTS is evaluated per solution, so those are fine.)
    """
    code = _strip_strings(body)
    for i, ch in enumerate(code):
        if ch != "{":
            continue
        before = re.search(r"([A-Za-z]+)\s*$", code[:i])
        if before and before.group(1).upper() in ("OPTIONAL", "EXISTS"):
            continue
        own = _own_text(code, i, _matching_brace(code, i))
        if not _THIS_VAR.search(own):
            continue
        patterns = _without_filters(_BIND.sub("FILTER", own))
        if not _THIS_VAR.search(patterns):
            raise Unsupported("$this in a filter of a nested group (not pre-bound there)")


def prebind_select(text: str, focus: str, bindings: dict[str, str] | None = None) -> str:
    """Rewrite a ``SELECT`` with ``$this`` into one over every focus node at once.

    ``focus`` is a group pattern binding ``?this`` (targets, or ``VALUES``). It is joined
    first in the outermost group, so ``$this`` is bound wherever the original query reads
    it, which is what pre-binding means for the queries SHACL allows (no sub-selects,
    ``MINUS``, ``SERVICE`` or ``VALUES``). ``?this`` is added to the projection.
    """
    check_prebindable(text)
    for name, value in (bindings or {}).items():
        text = re.sub(r"[$?]" + re.escape(name) + r"\b", value.replace("\\", "\\\\"), text)
    text = _THIS.sub("?this", text)
    code = _strip_strings(text)
    m = _SELECT.search(code)
    if not m:
        raise Unsupported("not a SELECT query")
    brace = code.find("{", m.end())
    if brace < 0:
        raise Unsupported("no WHERE clause")
    projection = code[m.end() : brace]
    head = text[: m.end()]
    proj_text = text[m.end() : brace]
    star = re.match(r"\s*((DISTINCT|REDUCED)\s+)?\*", projection, re.IGNORECASE)
    if not star and not re.search(r"\?this\b", projection):
        mod = re.match(r"\s*(DISTINCT|REDUCED)\b", proj_text, re.IGNORECASE)
        cut = mod.end() if mod else 0
        proj_text = proj_text[:cut] + " ?this " + proj_text[cut:]
    close = _matching_brace(code, brace)
    check_nested_this(text[brace + 1 : close])
    body = decorrelate(text[brace + 1 : close], frozenset({"this"}))
    return head + proj_text + "{\n" + focus + "\n" + body + "\n}" + text[close + 1 :]


def split_construct(text: str) -> tuple[str, str, str]:
    """``(prologue, template, where-and-modifiers)`` of a CONSTRUCT query."""
    code = _strip_strings(text)
    m = _CONSTRUCT.search(code)
    if not m:
        raise Unsupported("not a CONSTRUCT query")
    open_ = code.find("{", m.end())
    close = _matching_brace(code, open_)
    return text[: m.start()], text[open_ + 1 : close], text[close + 1 :]


def prefixes_text(prefixes: dict[str, str]) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


_TYPE_STEP = (
    r"(?P<s>[?$][A-Za-z_]\w*)\s+"
    r"(?P<t>rdf:type|a|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)"
    r"/(?P<p>\([^()<>\"']*\)\*|<[^<>\s]+>\*|[A-Za-z][\w-]*:[\w-]+\*)\s+"
)
_CONSTANT = r"(?:[A-Za-z][\w-]*:[\w-]*|<[^<>\s]+>)"
_CLASS_PATH = re.compile(_TYPE_STEP + rf"(?P<c>{_CONSTANT})" + r"(?P<end>\s*\.|(?=\s*\}))")
#: ``?x rdf:type/P* ?v . FILTER (?v IN (C1, C2, ...))``
_CLASSES_PATH = re.compile(
    _TYPE_STEP
    + r"\?(?P<v>[A-Za-z_]\w*)\s*\.\s*"
    + r"(?P<filter>(?i:FILTER)\s*\(\s*\?(?P=v)\s+(?i:IN)\s*\("
    + rf"(?P<list>\s*{_CONSTANT}(?:\s*,\s*{_CONSTANT})*\s*)\)\s*\))"
)
_SELECT_ALL = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.IGNORECASE)


def class_paths(text: str) -> str:
    """``text`` with each ``?x rdf:type/P* C .`` (C a constant class) written as
    ``?x rdf:type ?k . { SELECT DISTINCT ?k WHERE { ?k P* C } }``, and each
    ``?x rdf:type/P* ?v . FILTER (?v IN (C1, ...))`` as
    ``?x rdf:type ?k . { SELECT DISTINCT ?k ?v WHERE { VALUES ?v { C1 ... } ?k P* ?v } }``
    with the filter kept.

    Each pair has the same solutions: the sequence path joins the types of ``?x`` with the
    classes that reach C (or a C of the list), once per such type (and C). Written this
    way, the few classes are found first and the instances looked up by class, where
    Oxigraph would otherwise walk the path from every typed node (or, for ``?v``, from
    every node of the graph). Left as it is: a query with ``SELECT *`` (the new variable
    would show), or one that already uses the variable names.
    """
    if "cdkg_class_" in text:
        return text
    code = mask_sparql(text)
    if _SELECT_ALL.search(code):
        return text
    count = 0

    def in_code(m: re.Match[str], *groups: str) -> bool:
        """Whether the match is code (not inside a comment, a string or an IRI)."""
        return (
            code[m.start("s")] == text[m.start("s")]
            and code[m.start("p") - 1] == "/"
            and all(code[m.start(g)] == text[m.start(g)] for g in groups)
        )

    def rewrite(pattern: re.Pattern[str], replace: Callable[[re.Match[str], str], str]) -> None:
        nonlocal text, code, count
        out: list[str] = []
        last = 0
        for m in pattern.finditer(text):
            if not in_code(m, *(["filter"] if "filter" in pattern.groupindex else [])):
                continue
            count += 1
            out += [text[last : m.start()], replace(m, f"?cdkg_class_{count}")]
            last = m.end()
        out.append(text[last:])
        text = "".join(out)
        code = mask_sparql(text)

    def with_list(m: re.Match[str], k: str) -> str:
        values = " ".join(c.strip() for c in m["list"].split(","))
        v = f"?{m['v']}"
        sub = (
            f"{{ SELECT DISTINCT {k} {v} WHERE {{ VALUES {v} {{ {values} }} {k} {m['p']} {v} }} }}"
        )
        return f"{m['s']} {m['t']} {k} . {sub} . {m['filter']}"

    def with_class(m: re.Match[str], k: str) -> str:
        sub = f"{{ SELECT DISTINCT {k} WHERE {{ {k} {m['p']} {m['c']} }} }}"
        return f"{m['s']} {m['t']} {k} . {sub} ."

    rewrite(_CLASSES_PATH, with_list)
    rewrite(_CLASS_PATH, with_class)
    return text
