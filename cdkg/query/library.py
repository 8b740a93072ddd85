"""The SPARQL query library, safe parameter binding, and queries across registries.

Each question lives in ``queries/NAME.rq``; its header comment says what it answers::

    # title: Citizen-data initiatives by SDG
    # description: Citizen-data initiatives addressing a goal, target or indicator,
    #   or anything narrower than it in the SDG hierarchy.
    # param: sdg (sdg, optional): an SDG goal, target or indicator

A parameter is a variable of the query. A value given for it is checked against the
parameter's type, turned into one RDF term by pyoxigraph (which escapes it) and bound
with a ``VALUES`` block placed first in the query's ``WHERE`` clause — user text is
never pasted into the query. A parameter left out stays unbound, so the query answers
for every value (e.g. the participation profile of every initiative).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from cdkg.errors import InputError
from cdkg.model.namespaces import PREFIXES, SDG, VOCAB_BASE
from cdkg.model.resources import data_files
from cdkg.rdf.order import plan as order_plan
from cdkg.rdf.sparql_lexer import mask_sparql
from cdkg.store import Results, Row, Store, StoreError

COUNTRY_BASE = "http://publications.europa.eu/resource/authority/country/"
PARAM_TYPES = ("iri", "sdg", "country", "string", "integer", "boolean")
REGISTRY_VARIABLE = "registry"


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    description: str
    #: For ``concept:SCHEME`` parameters, the scheme whose codes are accepted.
    scheme: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    parameters: tuple[Parameter, ...] = ()
    source: str = ""


_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*\((?P<type>[\w:-]+)(?:\s*,\s*(?P<req>required|optional))?\)"
    r"\s*[:—-]?\s*(?P<desc>.*)$"
)


def parse_query(text: str, name: str, source: str = "") -> NamedQuery:
    """Read the header comment (``# key: value`` lines, indented continuation lines)."""
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped[1:]
        key, sep, value = body.strip().partition(":")
        if sep and re.fullmatch(r"[a-z]+", key) and not body.startswith("   "):
            fields.setdefault(key, []).append(value.strip())
            last = key
        elif last is not None and body.strip():
            fields[last][-1] += " " + body.strip()
    params = []
    for raw in fields.get("param", []):
        m = _PARAM.match(raw)
        if m is None:
            raise InputError.single(
                source or name,
                f"bad parameter line {raw!r}",
                hint="write '# param: NAME (TYPE[, required]): description'",
            )
        kind, scheme = m["type"], None
        if kind.startswith("concept:"):
            kind, scheme = "concept", kind.split(":", 1)[1]
        elif kind not in PARAM_TYPES:
            raise InputError.single(
                source or name,
                f"parameter {m['name']!r} has unknown type {kind!r}",
                hint="use one of " + ", ".join((*PARAM_TYPES, "concept:SCHEME")),
            )
        params.append(Parameter(m["name"], kind, m["req"] == "required", m["desc"], scheme))
    return NamedQuery(
        name=name,
        text=text,
        title=" ".join(fields.get("title", [])),
        description=" ".join(fields.get("description", [])),
        parameters=tuple(params),
        source=source,
    )


def library() -> dict[str, NamedQuery]:
    """Every shipped query, by name."""
    out = {}
    for entry in data_files("queries", ".rq"):
        name = entry.name[: -len(".rq")]
        out[name] = parse_query(entry.read_text(encoding="utf-8"), name, f"queries/{entry.name}")
    return out


def find(name_or_file: str) -> NamedQuery:
    """A shipped query by name, or a ``.rq`` file."""
    shipped = library()
    if name_or_file in shipped:
        return shipped[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError.single(name_or_file, f"cannot read: {exc.strerror or exc}") from None
        return parse_query(text, path.stem, name_or_file)
    raise InputError.single(
        name_or_file,
        "no such query",
        hint="'cdkg query --list' shows the library; or give a .rq file",
    )


# ------------------------------------------------------------------ parameters


def _iri(value: str) -> ox.NamedNode:
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    return ox.NamedNode(value)


def _sdg(value: str) -> ox.NamedNode:
    """``5``, ``5.2``, ``5.a``, ``5.2.1`` (→ permanent code ``C050201``), ``C050201``, an IRI."""
    if re.fullmatch(r"\d{1,2}(\.[0-9a-z]{1,2})?", value):
        return ox.NamedNode(f"{SDG}{value}")
    m = re.fullmatch(r"(\d{1,2})\.([0-9a-z]{1,2})\.(\d{1,2})", value)
    if m:
        goal, target, number = m.groups()
        target_code = f"{int(target):02d}" if target.isdigit() else f"0{target}"
        return ox.NamedNode(f"{SDG}C{int(goal):02d}{target_code}{int(number):02d}")
    if re.fullmatch(r"C\d{2}[0-9a-z]{2}\d{2}", value):
        return ox.NamedNode(f"{SDG}{value}")
    return _iri(value)


def term_for(param: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term ``value`` stands for, or :class:`InputError` saying what is expected."""
    try:
        if param.type == "iri":
            return _iri(value)
        if param.type == "sdg":
            return _sdg(value)
        if param.type == "country":
            if re.fullmatch(r"[A-Za-z]{3}", value):
                return ox.NamedNode(COUNTRY_BASE + value.upper())
            return _iri(value)
        if param.type == "concept":
            if re.fullmatch(r"[\w.-]+", value):
                return ox.NamedNode(f"{VOCAB_BASE}{param.scheme}/{value}")
            return _iri(value)
        if param.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
        if param.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return ox.Literal(value.lower(), datatype=ox.NamedNode(_XSD + "boolean"))
        return ox.Literal(value)
    except ValueError as exc:
        raise InputError.single(
            f"--param {param.name}={value}",
            f"not a valid {param.type} value ({exc})",
            hint=param.description or None,
        ) from None


_XSD = "http://www.w3.org/2001/XMLSchema#"


def parse_params(query: NamedQuery, pairs: Sequence[str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """``["k=v", ...]`` → bound terms, checked against the query's declared parameters."""
    declared = {p.name: p for p in query.parameters}
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError.single(f"--param {pair}", "expected NAME=VALUE")
        if key not in declared:
            known = ", ".join(declared) or "none"
            raise InputError.single(
                f"--param {pair}",
                f"the query {query.name} has no parameter {key!r}",
                hint=f"its parameters: {known}",
            )
        out[key] = term_for(declared[key], value)
    missing = [p.name for p in query.parameters if p.required and p.name not in out]
    if missing:
        raise InputError.single(
            query.name,
            f"missing parameter(s) {', '.join(missing)}",
            hint=" ".join(f"--param {m}=VALUE" for m in missing),
        )
    return out


def _where_brace(text: str) -> int:
    """Index of the ``{`` opening the outermost group pattern (comments, strings, IRIs skipped)."""
    at = mask_sparql(text).find("{")
    if at < 0:
        raise InputError.single("<query>", "the query has no WHERE clause")
    return at


#: ``VALUES ?NAME { UNDEF }``: a query's mark for where a parameter may also be bound.
_MARK = re.compile(r"VALUES\s+[?$]([A-Za-z_][A-Za-z0-9_]*)\s*\{\s*UNDEF\s*\}", re.IGNORECASE)


def bind(text: str, values: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with ``values`` bound by a ``VALUES`` block at the start of its WHERE clause.

    A query may also mark sub-selects with ``VALUES ?NAME { UNDEF }``, a block that
    restricts nothing; with the parameter ``NAME`` bound, each such block gets the value
    too, so that the sub-select reads only the rows of that value (Oxigraph does not
    carry a binding from outside into a sub-select). Only blocks in the query itself
    are filled, not text in comments or strings.
    """
    if not values:
        return text
    marks = [m for m in _MARK.finditer(mask_sparql(text)) if m.group(1) in values]
    for m in reversed(marks):
        name = m.group(1)
        text = f"{text[: m.start()]}VALUES ?{name} {{ {values[name]} }}{text[m.end() :]}"
    at = _where_brace(text) + 1
    names = " ".join(f"?{k}" for k in values)
    terms = " ".join(str(v) for v in values.values())
    return f"{text[:at]}\n  VALUES ({names}) {{ ({terms}) }}{text[at:]}"


# ------------------------------------------------------------------ across registries


@dataclass(frozen=True)
class Failure:
    registry: str
    reason: str


@dataclass
class Answer:
    """Merged results, and the registries that could not answer."""

    results: Results
    failures: list[Failure] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)


Opener = Callable[[], Store]


def _ask(name: str, opener: Opener, sparql: str, timeout: float | None) -> Results:
    store = opener()
    try:
        return store.query(sparql, timeout=timeout)
    finally:
        store.close()


def run_across(
    registries: Sequence[tuple[str, Opener]], sparql: str, *, timeout: float | None = None
) -> Answer:
    """Run ``sparql`` on every registry in parallel; merge with a ``registry`` variable.

    With one registry its results come back unchanged and a failure raises
    :class:`StoreError`. With several, a registry that fails or does not answer within
    ``timeout`` seconds is listed in :attr:`Answer.failures` and the others still answer.
    When the query ends in ``ORDER BY`` of plain variables (the library's form), the
    merged rows are ONE answer in that order (rows that tie keep the registries' order),
    and ``LIMIT``/``OFFSET`` apply to the merged answer: each registry is asked for its
    first ``OFFSET + LIMIT`` rows, and the merged, ordered rows are sliced.
    """
    if len(registries) == 1:
        name, opener = registries[0]
        return Answer(_ask(name, opener, sparql, timeout), answered=[name])
    ordering = order_plan(sparql)
    asked = sparql
    if ordering is not None and (ordering.limit is not None or ordering.offset):
        asked = ordering.top_text()
    slots: list[Results | BaseException | None] = [None] * len(registries)

    def work(index: int, name: str, opener: Opener) -> None:
        try:
            slots[index] = _ask(name, opener, asked, timeout)
        except BaseException as exc:
            slots[index] = exc

    threads = [
        threading.Thread(target=work, args=(i, name, opener), daemon=True, name=f"cdkg-{name}")
        for i, (name, opener) in enumerate(registries)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(None if timeout is None else timeout + 1)
    answer = Answer(Results(variables=[REGISTRY_VARIABLE]))
    for (name, _opener), slot, thread in zip(registries, slots, threads, strict=True):
        if thread.is_alive() or slot is None:
            answer.failures.append(Failure(name, f"no answer within {timeout:g} s (timed out)"))
        elif isinstance(slot, StoreError):
            answer.failures.append(Failure(name, slot.message))
        elif isinstance(slot, BaseException):
            answer.failures.append(Failure(name, f"{type(slot).__name__}: {slot}"))
        else:
            _merge(answer, name, slot)
    if ordering is not None:
        merged = answer.results
        rows = ordering.apply(merged.variables, merged.rows)
        if rows is None:  # values the store compares its own way: registries' order kept
            end = None if ordering.limit is None else ordering.offset + ordering.limit
            rows = merged.rows[ordering.offset : end]
        merged.rows = rows
    return answer


def _merge(answer: Answer, name: str, results: Results) -> None:
    merged = answer.results
    if results.boolean is not None:
        results = Results(["boolean"], [{"boolean": _boolean(results.boolean)}])
    for var in results.variables:
        if var not in merged.variables:
            merged.variables.append(var)
    label = {"type": "literal", "value": name}
    merged.rows.extend({REGISTRY_VARIABLE: label, **row} for row in results.rows)
    answer.answered.append(name)


def _boolean(value: bool) -> dict[str, str]:
    return {"type": "literal", "value": str(value).lower(), "datatype": _XSD + "boolean"}


def run(
    store: Store, query: NamedQuery, params: dict[str, ox.NamedNode | ox.Literal] | None = None
) -> list[Row]:
    """Rows of ``query`` on one store (library use and tests)."""
    return store.query(bind(query.text, params or {})).rows
