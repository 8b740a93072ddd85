"""Entry points of the fast engine, and its fallback to the reference engine.

:func:`fast_outcome` is the one sequence every fast run starts with (shapes compiled,
backend opened, engine run, backend left; ``None`` and a note where the rules do not
compile, for the caller to run the reference engine instead). :func:`run_fast_on` adds
the report: :func:`run_fast` runs it over an rdflib graph, :mod:`cdkg.validate.run` over
an embedded store and :mod:`cdkg.validate.fast.remote` on a SPARQL endpoint. A load
(:mod:`cdkg.load.loader`) and a publication (:mod:`cdkg.publish.findings`) read the
:class:`Outcome` themselves: they keep what the rules inferred, which a report drops.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache

import pyshacl
import rdflib
from rdflib import RDF, SH, XSD, BNode, Literal
from rdflib.collection import Collection
from rdflib.term import Node

from cdkg.model.ontology import ontology_graph
from cdkg.validate.fast.backend import Backend, OxigraphBackend, store_from_graphs
from cdkg.validate.fast.compile import Compiler
from cdkg.validate.fast.engine import Engine, Outcome
from cdkg.validate.reference import (
    EngineRun,
    run_reference,
    shapes_graph,
    use_query_cache,
    without_claims,
)
from cdkg.validate.report import ValidationReport, ValidationResult

DATA_GRAPH = "urn:cdkg:fast:data"
ONTOLOGY_GRAPH = "urn:cdkg:fast:ontology"


@lru_cache(maxsize=4)
def compiled(shapes: rdflib.Graph | None = None) -> Compiler:
    """The shapes (default: the shipped ones) compiled once per process."""
    return Compiler(shapes_graph() if shapes is None else shapes)


def evaluate(
    backend: Backend,
    compiler: Compiler | None = None,
    *,
    entail: bool = True,
    read_entailments_only: bool = False,
) -> Outcome:
    """RDFS entailment, rules and constraints over ``backend``; scratch graphs are removed.

    ``entail=False`` skips RDFS entailment (plain SHACL, as the W3C test suite expects).
    ``read_entailments_only=True`` leaves out the entailed triples no query of the run
    reads (same results and conclusions; :attr:`Outcome.entailed_terms` is then partial,
    unless a shape falls back to the reference engine, which gets them all).
    """
    compiler = compiler or compiled()
    engine = Engine(compiler, backend)
    out = Outcome()
    try:
        if entail:
            engine.entail(out, read_only=read_entailments_only)
        engine.apply_rules(out)
        engine.validate(out)
        if out.fallback:
            engine.complete_entailment(out)
    finally:
        engine.cleanup()
    return out


def note(message: str) -> None:
    print(f"cdkg: note: {message}", file=sys.stderr)


def fallback_results(
    expanded: rdflib.Graph, shapes: rdflib.Graph, fallback: dict[Node, str]
) -> list[ValidationResult]:
    """Validate the shapes in ``fallback`` with the reference engine over ``expanded``.

    ``expanded`` already holds the RDFS entailments and rule conclusions, so pySHACL runs
    without inference and without rules.
    """
    note(
        f"the fast engine hands {len(fallback)} shape(s) to the reference engine: "
        + "; ".join(f"{shape} ({why})" for shape, why in sorted(fallback.items(), key=str))
    )
    closure = _reachable(shapes, set(fallback))
    named = [str(s) for s in closure if not isinstance(s, BNode)]
    has_blank = any(isinstance(s, BNode) for s in closure)
    use_query_cache()  # pySHACL's SPARQL texts parsed once each
    _c, results, _t = pyshacl.validate(
        expanded,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_infos=True,
        allow_warnings=True,
        # pySHACL runs only the listed shapes (not their property shapes), and can list
        # named shapes only: with blank-node shapes involved, everything runs.
        use_shapes=None if has_blank else named,
    )
    assert isinstance(results, rdflib.Graph)
    keep = {str(s) for s in closure}
    return [
        r
        for r in ValidationReport.from_results_graph(results, expanded).results
        if r.source_shape in keep or r.source_shape.startswith("_:")
    ]


def _reachable(shapes: rdflib.Graph, start: set[Node]) -> set[Node]:
    """``start`` and every shape they refer to (property, node, logical, qualified)."""
    seen: set[Node] = set()
    todo = list(start)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for prop in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
            todo.extend(shapes.objects(node, prop))
        for prop in (SH["and"], SH["or"], SH.xone):
            for lst in shapes.objects(node, prop):
                todo.extend(Collection(shapes, lst))
    return seen


def results_graph(results: Iterable[ValidationResult], conforms: bool) -> rdflib.Graph:
    """A ``sh:ValidationReport`` graph of ``results``."""
    g = rdflib.Graph()
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(conforms, datatype=XSD.boolean)))
    for r in results:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, r.focus_term))
        g.add((node, SH.resultSeverity, rdflib.URIRef(r.severity)))
        g.add((node, SH.sourceShape, rdflib.URIRef(r.source_shape)))
        g.add((node, SH.sourceConstraintComponent, rdflib.URIRef(r.source_constraint_component)))
        if r.result_path:
            g.add((node, SH.resultPath, rdflib.URIRef(r.result_path)))
        if r.value_term is not None:
            g.add((node, SH.value, r.value_term))
        g.add((node, SH.resultMessage, Literal(r.message, lang="en")))
    return g


def fast_report(
    outcome: Outcome, expanded: rdflib.Graph, shapes: rdflib.Graph | None = None
) -> ValidationReport:
    """The report of a fast run, with the fallback shapes validated by the reference engine."""
    results = set(outcome.results)
    if outcome.fallback:
        results.update(fallback_results(expanded, shapes or shapes_graph(), outcome.fallback))
    ordered = sorted(results, key=ValidationResult.sort_key)
    report = ValidationReport(ordered, expanded)
    report.results_graph = results_graph(ordered, report.conforms)
    return report


def fast_outcome(
    open_backend: Callable[[], AbstractContextManager[Backend]],
    *,
    read_entailments_only: bool = False,
    instead: str = "the reference engine runs instead",
) -> Outcome | None:
    """The one sequence every fast run starts with: the shapes compiled, the backend
    opened, the engine run over it, the backend left (an endpoint's work graph dropped).

    ``None`` when the fast engine cannot compile the rules: a note then says why and
    what happens ``instead``, and the caller runs the reference engine. ``open_backend``
    is called only once the shapes are known to compile. ``read_entailments_only``: see
    :func:`evaluate`.
    """
    compiler = compiled()
    if compiler.rule_problems:
        note(
            f"the fast engine cannot compile the rules ({'; '.join(compiler.rule_problems)}), "
            f"so {instead}"
        )
        return None
    with open_backend() as backend:
        return evaluate(backend, compiler, read_entailments_only=read_entailments_only)


def run_fast_on(
    open_backend: Callable[[], AbstractContextManager[Backend]],
    descriptions: Callable[[], rdflib.Graph],
    *,
    with_graph: bool = True,
    read_entailments_only: bool = False,
) -> EngineRun:
    """The fast engine over what ``open_backend`` opens, as an :class:`EngineRun`
    (:func:`fast_outcome`, then the report).

    * ``descriptions`` reads the descriptions the backend holds, as the run's data. It is
      called only when something needs them: the graphs (``with_graph``: text output and
      the classification read them), a shape the fast engine hands to the reference
      engine (which validates the expanded graph), or rules the fast engine cannot
      compile: then the reference engine runs over them instead, after a note;
    * ``with_graph=False`` leaves the run's data and expanded graphs empty unless a shape
      falls back: enough for a report's results.
    """
    outcome = fast_outcome(open_backend, read_entailments_only=read_entailments_only)
    if outcome is None:
        return run_reference(descriptions())
    data = rdflib.Graph()
    expanded = rdflib.Graph()
    if with_graph or outcome.fallback:
        data = descriptions()
        expanded = expanded_graph(data, outcome)
    return EngineRun(data, expanded, fast_report(outcome, expanded))


def run_fast(data: rdflib.Graph) -> EngineRun:
    """``--engine fast`` for an rdflib graph: the same :class:`EngineRun` as the reference."""
    clean = without_claims(data)

    def backend() -> AbstractContextManager[Backend]:
        store = store_from_graphs([(DATA_GRAPH, clean), (ONTOLOGY_GRAPH, ontology_graph())])
        # the two graphs named, not a union of every graph: the engine may then keep lists
        # of its own in graphs the queries do not read (see Engine._focus_sets)
        return nullcontext(OxigraphBackend(store, [DATA_GRAPH, ONTOLOGY_GRAPH]))

    return run_fast_on(backend, lambda: clean)


def expanded_graph(data: rdflib.Graph, outcome: Outcome) -> rdflib.Graph:
    """``data``, the ontology, and what a run entailed and inferred, as one rdflib graph
    (what the reference engine's report reads; prefixes of ``data`` and the ontology kept)."""
    expanded = rdflib.Graph()
    for source in (data, ontology_graph()):
        for prefix, ns in source.namespaces():
            expanded.bind(prefix, ns, override=False)
        for triple in source:
            expanded.add(triple)
    for triple in outcome.entailed:
        expanded.add(triple)
    for triple in outcome.inferred:
        expanded.add(triple)
    return expanded
