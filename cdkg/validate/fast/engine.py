"""Run compiled shapes over a store: RDFS entailment, SHACL-AF rules, then constraints.

The steps mirror the reference engine (owlrl RDFS closure, pySHACL rules, pySHACL
validation) so that the verdicts are the same:

1. **RDFS** — the entailments that can change a verdict are materialised into a scratch
   graph until nothing new follows: ``rdfs:subPropertyOf`` (rdfs7), ``rdfs:domain``
   (rdfs2) and ``rdfs:range`` (rdfs3). Subclass entailment (rdfs9) is not materialised:
   every class test compiles to ``rdf:type/rdfs:subClassOf*``, which gives the same
   answer over the un-closed graph.
2. **Rules** — SPARQL rules run in the order pySHACL uses (shapes by ``sh:order``, then
   rules by ``sh:order``), each once, each over the graph its predecessors left; what
   they construct goes into a second scratch graph (not RDFS-closed, as in pySHACL).
   Sub-selects that several rule queries contain are computed once where the store
   allows it (:mod:`cdkg.validate.fast.shared`).
3. **Constraints** — one query per constraint over every focus node; a shape's focus
   nodes are listed once in the store when several of its queries read them.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

import pyoxigraph as ox
from rdflib import OWL, RDFS, SH
from rdflib.term import BNode, Literal, Node, URIRef, Variable

from cdkg.rdf.terms import to_ox, to_rdflib
from cdkg.validate.fast import shared
from cdkg.validate.fast.backend import Backend, OxigraphBackend, Row, Term
from cdkg.validate.fast.compile import Check, Compiler, F, Rule, Shape
from cdkg.validate.fast.depends import Reads, depends, writes
from cdkg.validate.fast.readcache import cached_reads
from cdkg.validate.fast.sparql_text import Unsupported, class_paths
from cdkg.validate.report import ValidationResult, term_text

T = TypeVar("T")
SCRATCH = "urn:cdkg:fast:"
#: At most this many failing nodes are listed (VALUES) in the query of a constraint that
#: checks values against nested shapes; with more, every value is read and looked up.
MAX_VALUES = 500
#: A focus block that this many constraint queries read is listed once (see
#: :meth:`Engine._focus_sets`): writing the list costs one to three readings of the block.
FOCUS_USES = 3
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDFS_QUERIES = (
    f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  ?q <{RDFS.subPropertyOf}>+ ?p . ?s ?q ?o .
  MINUS {{ ?s ?p ?o }}
}}""",
    f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  {{ SELECT DISTINCT ?s ?o WHERE {{ ?q <{RDFS.domain}> ?o . ?s ?q ?any . }} }}
  BIND ({_TYPE} AS ?p)
  MINUS {{ ?s {_TYPE} ?o }}
}}""",
    f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  {{ SELECT DISTINCT ?s ?o WHERE {{
    ?q <{RDFS.range}> ?o . ?any ?q ?s . FILTER (!isLiteral(?s))
  }} }}
  BIND ({_TYPE} AS ?p)
  MINUS {{ ?s {_TYPE} ?o }}
}}""",
)
_SUBPROPERTY_PAIRS = f"SELECT DISTINCT ?q ?p WHERE {{ ?q <{RDFS.subPropertyOf}>+ ?p }}"
_SUPERCLASSES = f"""SELECT DISTINCT ?k WHERE {{
  CLASS (<{RDFS.subClassOf}>|<{OWL.equivalentClass}>|^<{OWL.equivalentClass}>)* ?k
}}"""
#: Properties whose new triples can entail more (the loop goes on only if some is new).
_SCHEMA_QUERY = f"""SELECT DISTINCT ?p WHERE {{
  {{ ?p <{RDFS.subPropertyOf}> ?x }} UNION {{ ?p <{RDFS.domain}> ?x }}
  UNION {{ ?p <{RDFS.range}> ?x }}
}}"""
#: Written by a rule, these change the class closure :func:`depends` relies on.
_HIERARCHY = {str(RDFS.subClassOf), str(OWL.equivalentClass), str(RDFS.subPropertyOf)}


class NeedsFallback(Exception):
    """A shape reached during a run cannot be evaluated by the fast engine."""

    def __init__(self, shape: Node, reason: str) -> None:
        super().__init__(f"{shape}: {reason}")
        self.shape = shape
        self.reason = reason


TermTriple = tuple[Term, Term, Term]
#: A result as a query found it: the shape, the constraint and the solution row.
Found = tuple[Shape, Check, Row]


@dataclass
class Outcome:
    #: Results as the queries found them; :attr:`results` turns them into
    #: :class:`ValidationResult` objects on first use (a caller that only wants the
    #: classification never pays for that).
    found: list[Found] = field(default_factory=list)
    #: Top-level shapes left to the reference engine, with the reason.
    fallback: dict[Node, str] = field(default_factory=dict)
    #: Triples the rules constructed (Oxigraph terms, in the order the rules made them).
    inferred_terms: list[TermTriple] = field(default_factory=list)
    #: Triples RDFS entailment added (Oxigraph terms).
    entailed_terms: list[TermTriple] = field(default_factory=list)
    queries: int = 0
    build: Callable[[Found], ValidationResult] | None = field(default=None, repr=False)
    _results: set[ValidationResult] | None = field(default=None, repr=False)

    @property
    def results(self) -> set[ValidationResult]:
        """The validation results (each distinct result once)."""
        if self._results is None:
            build = self.build
            self._results = {build(f) for f in self.found} if build is not None else set()
        return self._results

    @property
    def inferred(self) -> list[tuple[Node, Node, Node]]:
        """Triples the rules constructed, as rdflib terms."""
        return _rdflib_triples(self.inferred_terms)

    @property
    def entailed(self) -> list[tuple[Node, Node, Node]]:
        """Triples RDFS entailment added, as rdflib terms."""
        return _rdflib_triples(self.entailed_terms)


def _rdflib_triples(triples: Sequence[TermTriple]) -> list[tuple[Node, Node, Node]]:
    convert = _Converter()
    return [(convert(s), convert(p), convert(o)) for s, p, o in triples]


class _Converter:
    """Oxigraph → rdflib terms, remembering conversions (focus nodes recur many times)."""

    def __init__(self) -> None:
        self._seen: dict[Term, Node] = {}

    def __call__(self, t: Term) -> Node:
        node = self._seen.get(t)
        if node is None:
            node = self._seen[t] = to_rdflib(t)
        return node


def default_workers() -> int:
    """Queries run in parallel on up to two threads (Oxigraph releases the GIL)."""
    return max(1, min(2, os.cpu_count() or 1))


def _focus_block(targets: list[str]) -> str:
    union = " UNION ".join("{ " + t + " }" for t in targets)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


class Engine:
    """One run of the compiled shapes over a backend.

    Independent queries (the RDFS rules of one round, the top-level shapes) run on
    ``workers`` threads; rules run one after the other, as each sees its predecessors'
    conclusions.
    """

    def __init__(self, compiler: Compiler, backend: Backend, *, workers: int | None = None) -> None:
        self.c = compiler
        self.b = backend
        self.run_id = uuid.uuid4().hex
        self.rdfs_graph = f"{SCRATCH}rdfs:{self.run_id}"
        self.rules_graph = f"{SCRATCH}rules:{self.run_id}"
        #: Where the markers of shared sub-selects go (see :mod:`cdkg.validate.fast.shared`).
        self.shared_graph = f"{SCRATCH}shared:{self.run_id}"
        #: Whether :meth:`apply_rules` may compute shared sub-selects once, and
        #: :meth:`validate` list focus nodes once: on an Oxigraph store only, which
        #: computes them without a round trip through Python (where a SPARQL endpoint
        #: would also lose the blank nodes among them).
        self._ox = backend if isinstance(backend, OxigraphBackend) else None
        self.share = self._ox is not None
        self._shared_written = False
        #: Where the focus nodes of constraints are listed once (see :meth:`_focus_sets`).
        self.focus_graph = f"{SCRATCH}focus:{self.run_id}"
        self._supers: dict[str, set[str]] = {}
        self.workers = workers or default_workers()
        self._failing: dict[tuple[Node, str], Future[set[Term]]] = {}
        self._lock = threading.Lock()
        self._term = _Converter()
        self._messages: dict[tuple[int, int], str | None] = {}
        #: Whether :meth:`entail` left out triples no query reads.
        self.pruned = False

    def _parallel(self, jobs: Sequence[Callable[[], T]]) -> list[T]:
        """Run ``jobs`` on the worker threads; their results in order (first error raised)."""
        if self.workers == 1 or len(jobs) < 2:
            return [job() for job in jobs]
        with ThreadPoolExecutor(self.workers, thread_name_prefix="cdkg-fast") as pool:
            futures = [pool.submit(job) for job in jobs]
            return [f.result() for f in futures]

    # ------------------------------------------------------------------ steps

    def entail(self, out: Outcome, *, read_only: bool = False) -> None:
        """rdfs7, rdfs2 and rdfs3 until nothing new follows.

        With ``read_only``, rdfs7 adds only triples whose predicate some query of the
        run reads (see :func:`read_predicates`) or that can entail more (it has a
        domain, range or super-property): the others cannot change a result or a
        conclusion. :attr:`pruned` says whether any was left out.
        """
        wanted = read_predicates(self.c) if read_only else None
        while True:
            schema = {r["p"] for r in self.b.select(_SCHEMA_QUERY)}
            new_predicates: set[Term] = set()
            queries = list(_RDFS_QUERIES)
            if wanted is not None:
                queries[0] = self._read_subproperty_query(wanted, schema)
            # the three rules read the same graph; what one adds, the next round sees
            answers = self._parallel([_select_job(self.b, q) for q in queries if q])
            new: set[TermTriple] = set()
            for rows in answers:
                new.update((r["s"], r["p"], r["o"]) for r in rows)
            if new:
                self.b.insert([ox.Triple(*t) for t in new], self.rdfs_graph)  # type: ignore[arg-type]
                out.entailed_terms += new
                new_predicates = {p for _s, p, _o in new}
            # another round only if a new triple's predicate has a schema statement
            if not new_predicates & schema:
                return

    def _read_subproperty_query(self, wanted: set[str], schema: set[Term]) -> str:
        """rdfs7 for the super-properties in ``wanted`` or ``schema`` only ("" if none
        has a sub-property); the (sub, super) pairs are looked up first, so the query
        reads only the sub-properties' triples."""
        pairs = [(r["q"], r["p"]) for r in self.b.select(_SUBPROPERTY_PAIRS)]
        if any(isinstance(t, ox.BlankNode) for pair in pairs for t in pair):
            return _RDFS_QUERIES[0]  # VALUES cannot name blank nodes
        kept = [(q, p) for q, p in pairs if p.value in wanted or p in schema]
        if len(kept) < len(pairs):
            self.pruned = True
        if not kept:
            return ""
        values = " ".join(f"({q} {p})" for q, p in kept)
        return f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES (?q ?p) {{ {values} }} ?s ?q ?o .
  MINUS {{ ?s ?p ?o }}
}}"""

    def complete_entailment(self, out: Outcome) -> None:
        """Add to ``out`` the rdfs7 triples a pruned :meth:`entail` left out (they
        entail nothing further: their predicates have no domain, range or
        super-property), for a reference-engine fallback that reads the whole graph."""
        if not self.pruned:
            return
        have = set(out.entailed_terms)
        rows = self.b.select(_RDFS_QUERIES[0])
        out.entailed_terms += [t for r in rows if (t := (r["s"], r["p"], r["o"])) not in have]
        self.pruned = False

    def apply_rules(self, out: Outcome) -> None:
        rules = sorted(self.c.rules, key=lambda r: (r.shape_order, str(r.shape), r.order))
        batches = self._rule_batches(rules)
        focus = {id(r): _focus_block(self.c.shapes[r.shape].targets) for r in rules}
        texts = [[self.c.rule_query(r).replace(F, focus[id(r)]) for r in b] for b in batches]
        plan = self._shared_plan(batches, texts)
        for i, batch in enumerate(batches):
            self._compute_shared(plan, plan.compute.get(i, []))
            queries = [class_paths(plan.rewrite(i, text)) for text in texts[i]]
            answers = self._parallel([_select_job(self.b, q) for q in queries])
            triples: list[TermTriple] = []
            for rule, rows in zip(batch, answers, strict=True):
                for cond in rule.conditions:
                    failing = self.failing(cond, focus[id(rule)])
                    rows = [r for r in rows if r.get("this") not in failing]
                triples += [t for row in rows for t in _instantiate(rule, row)]
            if triples:
                self.b.insert([ox.Triple(s, p, o) for s, p, o in triples], self.rules_graph)  # type: ignore[arg-type]
                out.inferred_terms += triples
        self._unshare()

    def _shared_plan(
        self, batches: Sequence[Sequence[Rule]], texts: list[list[str]]
    ) -> shared.Plan:
        """Which sub-selects to compute once (:mod:`cdkg.validate.fast.shared`); none when a marker
        could be seen or the analysis could go stale."""
        rules = [r for batch in batches for r in batch]
        made = [[writes(r.template) for r in batch] for batch in batches]
        if (
            not self.share
            or any(r.conditions for r in rules)
            or any(w.everything or w.predicates & _HIERARCHY for b in made for w in b)
            or any(_reads(t, False).everything for b in texts for t in b)
        ):
            return shared.Plan()
        return shared.plan(
            texts,
            made,
            lambda key: _reads(shared.group_query(key), False),
            self._superclasses,
            f"<{self.shared_graph}>",
            lambda n: f"{self.shared_graph}:{n}",
        )

    def _compute_shared(self, plan: shared.Plan, todo: list[tuple[shared.Key, str]]) -> None:
        """Compute the groups of ``todo`` as marker triples (or drop them from ``plan``)."""
        for (prologue, group), marker in todo:
            # an unbound ?this is written as the marker IRI itself (a marker cannot say
            # "any node"): then the group is read as written
            where = f"{class_paths(group)} BIND (COALESCE(?this, <{marker}>) AS ?cdkg_shared)"
            template = f"<{self.shared_graph}> <{marker}> ?cdkg_shared"
            assert self._ox is not None
            self._shared_written = True
            if not self._ox.insert_where(
                template, where, self.shared_graph, prologue
            ) or self.b.select(f"SELECT * WHERE {{ <{self.shared_graph}> <{marker}> <{marker}> }}"):
                plan.discard(marker)

    def _unshare(self) -> None:
        """Remove the marker triples (before validation, and on an error midway)."""
        if self._shared_written:
            assert self._ox is not None
            self._ox.delete_where(f"<{self.shared_graph}> ?p ?o", self.shared_graph)
            self._ox.drop(self.shared_graph)
            self._shared_written = False

    def _superclasses(self, c: str) -> set[str]:
        """``c`` and the classes above it (subclass and equivalent class), from the store."""
        if c not in self._supers:
            rows = self.b.select(_SUPERCLASSES.replace("CLASS", f"<{c}>"))
            self._supers[c] = {r["k"].value for r in rows} | {c}
        return self._supers[c]

    def _rule_batches(self, rules: Sequence[Rule]) -> list[list[Rule]]:
        """``rules`` in order, cut where a rule may read what an earlier one of its batch
        writes (see :mod:`cdkg.validate.fast.depends`); a rule with conditions runs alone."""
        batches: list[list[Rule]] = []
        for rule in rules:
            if (
                batches
                and not rule.conditions
                and self._independent(rule, batches[-1], self._superclasses)
            ):
                batches[-1].append(rule)
            else:
                batches.append([rule])
        return batches

    def _independent(
        self, rule: Rule, batch: Sequence[Rule], superclasses: Callable[[str], set[str]]
    ) -> bool:
        if any(r.conditions for r in batch):
            return False
        shape = self.c.shapes[rule.shape]
        body = _reads(self.c.rule_query(rule).replace(F, "{ }"), False)
        for earlier in batch:
            made = writes(earlier.template)
            focus = _reads(
                f"SELECT * WHERE {_focus_block(shape.targets)}",
                earlier.shape == rule.shape and made.only_this,
            )
            if depends(body, made, superclasses) or depends(focus, made, superclasses):
                return False
        return True

    def validate(self, out: Outcome) -> None:
        self._failing.clear()
        out.build = self.result
        out._results = None
        shapes = list(self.c.targeted())
        try:
            focus = self._focus_sets(shapes)
            done = self._parallel([self._shape_job(s, focus[s.node]) for s in shapes])
        finally:
            self._unlist_focus()
        for shape, (found, problem) in zip(shapes, done, strict=True):
            if problem is not None:
                out.fallback[shape.node] = f"{problem.shape}: {problem.reason}"
            else:
                out.found += found

    def _shape_job(
        self, shape: Shape, focus: str
    ) -> Callable[[], tuple[list[Found], NeedsFallback | None]]:
        def job() -> tuple[list[Found], NeedsFallback | None]:
            results: list[Found] = []
            try:
                self.run_shape(shape, focus, results)
            except NeedsFallback as exc:
                return [], exc
            return results, None

        return job

    def _focus_sets(self, shapes: Sequence[Shape]) -> dict[Node, str]:
        """The focus block each targeted shape's constraints join.

        Every constraint query of a shape (and of its property shapes and nested shapes)
        evaluates the shape's focus block again: at 100,000 initiatives, 18 queries list
        the same initiatives. A focus block that :data:`FOCUS_USES` or more queries read
        is computed once, inside the store, as triples ``<G> <G:N> ?this`` in a graph
        ``G`` of their own, and the queries join ``{ GRAPH <G> { <G> <G:N> ?this } }``
        instead: the same focus nodes (a set, as ``SELECT DISTINCT`` gives them; targets
        always bind ``?this``), with blank nodes and literals as they are.

        Nothing else reads that graph: queries read the default graph (a working copy)
        or the data's graphs, and no compiled constraint names a graph (when a SPARQL
        constraint does, nothing is computed). A union default graph, which would read
        it, and a SPARQL endpoint get the focus blocks as written.
        """
        blocks = {s.node: _focus_block(s.targets) for s in shapes}
        if not self.share or self._ox is None or self._names_graphs():
            return blocks
        uses: dict[str, int] = {}
        for s in shapes:
            uses[blocks[s.node]] = uses.get(blocks[s.node], 0) + self._query_count(s, set())
        listed: dict[str, str] = {}
        for n, block in enumerate(b for b, count in uses.items() if count >= FOCUS_USES):
            g, marker = self.focus_graph, f"{self.focus_graph}:{n}"
            if not self._ox.insert_apart(f"<{g}> <{marker}> ?this", class_paths(block), g):
                break
            listed[block] = f"{{ GRAPH <{g}> {{ <{g}> <{marker}> ?this }} }}"
        return {node: listed.get(block, block) for node, block in blocks.items()}

    def _names_graphs(self) -> bool:
        """Whether a compiled SPARQL constraint names a graph (it could read any graph)."""
        return any(
            shared.names_graphs(check.template)
            for shape in self.c.shapes.values()
            for check in shape.checks
            if check.template is not None
        )

    def _query_count(self, shape: Shape, seen: set[Node]) -> int:
        """How many constraint queries a run of ``shape`` sends (nested shapes aside)."""
        if shape.node in seen or shape.deactivated or shape.unsupported:
            return 0
        seen.add(shape.node)
        children = [self.c.shapes.get(p) for p in shape.properties]
        return len(shape.checks) + sum(self._query_count(c, seen) for c in children if c)

    def _unlist_focus(self) -> None:
        if self._ox is not None:
            self._ox.remove_apart(self.focus_graph)

    def cleanup(self) -> None:
        self._unshare()
        self._unlist_focus()
        self.b.drop(self.rdfs_graph)
        self.b.drop(self.rules_graph)

    # ------------------------------------------------------------------ shapes

    def run_shape(self, shape: Shape, focus: str, sink: list[Found]) -> None:
        if shape.deactivated:
            return
        if shape.unsupported:
            raise NeedsFallback(shape.node, shape.unsupported)
        for check in shape.checks:
            self.run_check(shape, check, focus, sink)
        for child in shape.properties:
            child_shape = self.c.shapes.get(child)
            if child_shape is None:
                raise NeedsFallback(child, "not a shape the compiler read")
            self.run_shape(child_shape, focus, sink)

    def failing(self, node: Node, focus: str) -> set[Term]:
        """The focus nodes (of ``focus``) that do not conform to shape ``node``.

        Computed once per run, whichever thread asks first; the others wait for it.
        """
        key = (node, focus)
        with self._lock:
            future = self._failing.get(key)
            owner = future is None
            if future is None:
                future = self._failing[key] = Future()
        if owner:
            try:
                shape = self.c.shapes.get(node)
                if shape is None:
                    raise NeedsFallback(node, "not a shape the compiler read")
                sink: list[Found] = []
                self.run_shape(shape, focus, sink)
                future.set_result({row["this"] for _s, _c, row in sink})
            except BaseException as exc:
                future.set_exception(exc)
                raise
        return future.result()

    def run_check(self, shape: Shape, check: Check, focus: str, sink: list[Found]) -> None:
        if check.kind == "query":
            assert check.template is not None
            try:
                rows = self.b.select(class_paths(check.template.replace(F, focus)))
            except (SyntaxError, OSError, ValueError) as exc:
                raise NeedsFallback(shape.node, f"query failed: {exc}") from exc
            for row in rows:
                sink.append((shape, check, row))
            return
        values = f"SELECT DISTINCT ?this ?value WHERE {{\n{focus}\n{shape.value_pattern()}\n}}"
        candidates = (
            "{ SELECT DISTINCT ?this WHERE { { SELECT (?this AS ?f0) WHERE { "
            + focus
            + " } } "
            + shape.value_pattern("?f0", "?this")
            + " } }"
        )
        fails = [self.failing(n, candidates) for n in check.nested]
        if fails and check.kind in ("node", "and", "or"):
            # only a value in some (node, and) or every (or) failing set can be a hit
            # (with no nested shape at all, sh:or () fails every value: read them all)
            hits = set().union(*fails) if check.kind != "or" else set.intersection(*fails)
            if not hits:
                return
            if len(hits) <= MAX_VALUES and not any(isinstance(t, ox.BlankNode) for t in hits):
                listed = " ".join(sorted(str(t) for t in hits))
                values = values[: values.rindex("}")] + f"VALUES ?value {{ {listed} }}\n}}"
        for row in self.b.select(class_paths(values)):
            v = row["value"]
            bad = [v in f for f in fails]
            if check.kind == "node" or check.kind == "and":
                hit = any(bad)
            elif check.kind == "or":
                hit = all(bad)
            elif check.kind == "not":
                hit = not bad[0]
            else:  # xone
                hit = sum(1 for b in bad if not b) != 1
            if hit:
                sink.append((shape, check, row))

    def result(self, found: Found) -> ValidationResult:
        """The :class:`ValidationResult` of a found (shape, constraint, row)."""
        shape, check, row = found
        focus = self._term(row["this"])
        value: Node | None
        if check.has_value and "value" in row:
            value = self._term(row["value"])
        elif check.kind == "query" and check.has_value and not shape.is_property:
            value = focus
        else:
            value = None
        path_term = row.get("path")
        if (path_term is not None and check.source_constraint is not None) or (
            path_term is not None and check.component == SH.ClosedConstraintComponent
        ):
            result_path: str | None = term_text(to_rdflib(path_term)) if path_term else None
        elif shape.is_property and isinstance(shape.path_node, URIRef):
            result_path = str(shape.path_node)
        else:
            result_path = None
        if path_term is not None and not isinstance(to_rdflib(path_term), URIRef):
            result_path = None
        return ValidationResult(
            severity=str(shape.severity),
            focus_node=term_text(focus) or "",
            result_path=result_path,
            source_shape=term_text(shape.node) or "",
            source_constraint_component=str(check.component),
            value=term_text(value),
            message=self._message(shape, check, row),
            focus_term=focus,
            value_term=value,
        )

    def _message(self, shape: Shape, check: Check, row: Row) -> str:
        key = (id(shape), id(check))
        if key not in self._messages:
            self._messages[key] = _message_template(shape, check)
        chosen = self._messages[key]
        if chosen is None:
            local = str(check.component).rsplit("#", 1)[-1].replace("ConstraintComponent", "")
            return f"{local} constraint of {shape.node} is not met"
        if "{" not in chosen:
            return chosen
        for name, value in row.items():
            text = value.value
            chosen = chosen.replace("{?" + name + "}", text).replace("{$" + name + "}", text)
        return chosen


def _select_job(backend: Backend, query: str) -> Callable[[], list[Row]]:
    return lambda: backend.select(query)


def _message_template(shape: Shape, check: Check) -> str | None:
    """The message a result of ``check`` carries: English, else untagged, else the first."""
    candidates = list(check.messages) + list(shape.messages)
    chosen: str | None = None
    for wanted in ("en", None):
        for m in candidates:
            if m.language == wanted:
                chosen = str(m)
                break
        if chosen is not None:
            break
    if chosen is None and candidates:
        chosen = str(candidates[0])
    return chosen


def read_predicates(compiler: Compiler) -> set[str] | None:
    """Every predicate a run of ``compiler``'s shapes and rules can read: in targets,
    constraint queries, value patterns of nested shapes and rule queries (None: any,
    e.g. for a variable predicate or a query the analysis cannot read)."""
    texts = []
    for shape in compiler.shapes.values():
        if shape.targets:
            texts.append(f"SELECT * WHERE {_focus_block(shape.targets)}")
        texts.append(f"SELECT * WHERE {{ {shape.value_pattern()} }}")
        texts += [c.template.replace(F, "{ }") for c in shape.checks if c.template]
    texts += [compiler.rule_query(r).replace(F, "{ }") for r in compiler.rules]
    texts.append(_SCHEMA_QUERY)
    found: set[str] = set()
    for text in texts:
        seen = _reads(text, False)
        if seen.everything:
            return None
        found |= seen.predicates
    return found


@lru_cache(maxsize=256)
def _reads(query: str, skip_this_subject: bool) -> Reads:
    return cached_reads(query, skip_this_subject)


@lru_cache(maxsize=4096)
def _constant(t: Node) -> Term:
    return to_ox(t)


def _instantiate(rule: Rule, row: Row) -> Iterable[tuple[Term, Term, Term]]:
    bnodes: dict[Node, Term] = {}
    for triple in rule.template:
        out: list[Term] = []
        for t in triple:
            if isinstance(t, Variable):
                value = row.get(str(t))
                if value is None:
                    break
                out.append(value)
            elif isinstance(t, BNode):
                out.append(bnodes.setdefault(t, ox.BlankNode()))
            elif isinstance(t, URIRef | Literal):
                out.append(_constant(t))
            else:
                raise Unsupported(f"template term {t!r}")
        else:
            s, p, o = out
            if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
                continue
            yield (s, p, o)
