"""The fast engine against the W3C SHACL test suite (../shared/w3c-shacl-tests/).

The suite is walked from its manifests (``mf:include``, ``mf:entries``); every
``sht:Validate`` test runs the fast engine as real use runs it: the compiled shapes over
an Oxigraph store (no RDFS entailment, as the suite expects), and the shapes it cannot
compile handed to the reference engine (:func:`cdkg.validate.fast.pipeline.fast_report`). The set of
results — focus node, path, value, severity, constraint component and source shape,
blank nodes compared as blank — must equal the expected report. Tests that fail even so
are ``xfail(strict=True)`` with the reason (:data:`XFAIL`): a test that starts passing
must leave the list.

:func:`test_fast_engine_is_never_silently_wrong` holds the fast engine to its promise over
the whole suite: for every test, either its own results equal the expected report, or it
said it hands the shapes concerned to the reference engine.

The test files are read as written (``rdflib.NORMALIZE_LITERALS`` off, as pySHACL reads
them during validation): "1"^^xsd:boolean stays "1", "none"^^xsd:boolean stays ill-formed.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, SH
from rdflib.collection import Collection
from rdflib.namespace import Namespace
from rdflib.term import BNode, Node

from cdkg.validate.fast.backend import OxigraphBackend, store_from_graphs
from cdkg.validate.fast.compile import Compiler
from cdkg.validate.fast.engine import Outcome
from cdkg.validate.fast.pipeline import _reachable, evaluate, fast_report
from cdkg.validate.report import ValidationResult
from tests.support.paths import SHARED

SUITE = SHARED / "w3c-shacl-tests"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

SHAPES_GRAPH = (
    "$shapesGraph is not compiled, so the shape falls back, and the reference engine "
    "rejects it too (pySHACL does not support $shapesGraph)"
)
#: Tests that fail even with the fallback to the reference engine, each with its reason.
XFAIL: dict[str, str] = {
    "sparql/pre-binding/shapesGraph-001": SHAPES_GRAPH,
}

Row = tuple[str | None, ...]


@contextlib.contextmanager
def _verbatim() -> Iterator[None]:
    """Literals as written (no canonicalisation by rdflib) inside the block."""
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


def _walk(manifest: Path, seen: set[Path]) -> list[tuple[str, Path, Node, rdflib.Graph]]:
    if manifest in seen:
        return []
    seen.add(manifest)
    g = rdflib.Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    found = []
    for inc in g.objects(None, MF.include):
        found += _walk(Path(str(inc).removeprefix("file://")), seen)
    for lst in g.objects(None, MF.entries):
        for entry in Collection(g, lst):
            if (entry, RDF.type, SHT.Validate) in g:
                test_id = str(manifest.parent.relative_to(SUITE) / str(entry).rsplit("/", 1)[-1])
                found.append((test_id, manifest, entry, g))
    return found


def _tests() -> list[tuple[str, Path, Node, rdflib.Graph]]:
    if not SUITE.is_dir():
        return []
    with _verbatim():
        return sorted(_walk(SUITE / "manifest.ttl", set()), key=lambda t: t[0])


TESTS = _tests()


def _graph(g: rdflib.Graph, node: Node) -> rdflib.Graph:
    path = Path(str(node).removeprefix("file://"))
    return rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())


def _norm(term: Node | None) -> str | None:
    if term is None:
        return None
    return "_" if isinstance(term, BNode) else term.n3()


def _expected(g: rdflib.Graph, entry: Node) -> tuple[bool, set[Row]] | None:
    """``(conforms, results)``, or None when the test expects the shapes to be rejected."""
    report = g.value(entry, MF.result)
    if report == SHT.Failure:
        return None
    conforms = g.value(report, SH.conforms)
    results = set()
    for r in g.objects(report, SH.result):
        results.add(
            (
                _norm(g.value(r, SH.focusNode)),
                _norm(g.value(r, SH.resultPath)),
                _norm(g.value(r, SH.value)),
                _norm(g.value(r, SH.resultSeverity)),
                _norm(g.value(r, SH.sourceConstraintComponent)),
                _norm(g.value(r, SH.sourceShape)),
            )
        )
    return bool(conforms.toPython()) if conforms is not None else True, results


def _rows(shapes: rdflib.Graph, results: set[ValidationResult]) -> set[Row]:
    got = set()
    for r in results:
        shape = _shape_node(shapes, r.source_shape)
        path_node = shapes.value(shape, SH.path)
        if r.result_path is not None:
            path = f"<{r.result_path}>"
        elif isinstance(path_node, BNode):
            path = "_"
        else:
            path = None
        got.add(
            (
                _norm(r.focus_term),
                path,
                _norm(r.value_term),
                f"<{r.severity}>",
                f"<{r.source_constraint_component}>",
                _norm(shape),
            )
        )
    return got


def _shape_node(shapes: rdflib.Graph, text: str) -> Node:
    if text.startswith("_:"):
        return BNode(text[2:])
    return rdflib.URIRef(text)


@dataclass
class Run:
    shapes: rdflib.Graph
    outcome: Outcome
    #: The fast engine's own results.
    fast: set[Row]
    #: With the fallback shapes validated by the reference engine (None: it raised).
    full: set[Row] | None
    #: ``(conforms, results)`` expected, None if the shapes must be rejected.
    expected: tuple[bool, set[Row]] | None


@cache
def _run(test_id: str) -> Run:
    _id, _manifest, entry, g = next(t for t in TESTS if t[0] == test_id)
    with _verbatim():
        action = g.value(entry, MF.action)
        data = _graph(g, g.value(action, SHT.dataGraph))
        shapes = _graph(g, g.value(action, SHT.shapesGraph))
        expected = _expected(g, entry)
        store = store_from_graphs([("urn:test:data", data)])
        outcome = evaluate(OxigraphBackend(store), Compiler(shapes), entail=False)
        fast = _rows(shapes, outcome.results)
    full: set[Row] | None
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            report = fast_report(outcome, data, shapes)
        with _verbatim():
            full = _rows(shapes, set(report.results))
    except Exception:  # the reference engine rejects the shapes graph
        full = None
    return Run(shapes, outcome, fast, full, expected)


def _params() -> list[object]:
    return [
        pytest.param(t[0], id=t[0], marks=[pytest.mark.xfail(strict=True, reason=XFAIL[t[0]])])
        if t[0] in XFAIL
        else pytest.param(t[0], id=t[0])
        for t in TESTS
    ]


@pytest.mark.shared
def test_suite_is_walked_from_its_manifests() -> None:
    assert len(TESTS) > 100, "the manifest walk found too few tests"
    assert set(XFAIL) <= {t[0] for t in TESTS}, "XFAIL names a test that does not exist"


@pytest.mark.shared
@pytest.mark.parametrize("test_id", _params())
def test_w3c(test_id: str) -> None:
    run = _run(test_id)
    if run.expected is None:  # sht:Failure: the shapes graph must be rejected
        assert run.outcome.fallback, "the fast engine ran shapes it should hand over"
        assert run.full is None, "the reference engine accepted shapes it must reject"
        return
    assert run.full is not None, "the reference engine rejected the shapes"
    conforms, expected = run.expected
    assert run.full == expected
    violations = any(row[3] == f"<{SH.Violation}>" for row in run.full)
    assert violations == (not conforms) or (not conforms and run.full)


@pytest.mark.shared
def test_fast_engine_is_never_silently_wrong() -> None:
    """Each test: the fast results are the expected ones, or the fast engine reported
    that it hands every shape whose results differ to the reference engine."""
    silent = {}
    for test_id, *_rest in TESTS:
        run = _run(test_id)
        handed = _reachable(run.shapes, set(run.outcome.fallback))
        if run.expected is None:
            if not run.outcome.fallback:
                silent[test_id] = "validated shapes that must be rejected, without a fallback"
            continue
        differing = run.fast ^ run.expected[1]
        concerned = {row[5] for row in differing}
        unreported = {s for s in concerned if s not in {_norm(h) for h in handed}}
        if unreported:
            silent[test_id] = sorted(map(str, unreported))
    assert not silent, silent


def test_store_from_graphs_keeps_every_triple() -> None:
    g = rdflib.Graph().parse(data="<urn:a> <urn:p> _:b . _:b <urn:q> 'x'@en .", format="turtle")
    store = store_from_graphs([("urn:g", g)])
    assert len(store) == 2
    assert ox.NamedNode("urn:g") in set(store.named_graphs())


@pytest.mark.shared
def test_focus_nodes_listed_once_give_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole suite again with every focus block listed once in a graph of its own
    (:meth:`cdkg.validate.fast.engine.Engine._focus_sets`, here even for a single query): the same
    fast results and the same shapes handed over, for every test."""
    import cdkg.validate.fast.engine as engine

    monkeypatch.setattr(engine, "FOCUS_USES", 1)
    listed = 0
    real = OxigraphBackend.insert_apart

    def spy(self: OxigraphBackend, template: str, where: str, graph: str) -> bool:
        nonlocal listed
        done = real(self, template, where, graph)
        listed += done
        return done

    monkeypatch.setattr(OxigraphBackend, "insert_apart", spy)
    differing = {}
    for test_id, _manifest, entry, g in TESTS:
        run = _run(test_id)
        with _verbatim():
            action = g.value(entry, MF.action)
            data = _graph(g, g.value(action, SHT.dataGraph))
            store = store_from_graphs([("urn:test:data", data)])
            named = OxigraphBackend(store, ["urn:test:data"])
            outcome = evaluate(named, Compiler(run.shapes), entail=False)
            fast = _rows(run.shapes, outcome.results)
        if (fast, set(outcome.fallback)) != (run.fast, set(run.outcome.fallback)):
            differing[test_id] = sorted(map(str, fast ^ run.fast))
        assert not any("urn:cdkg:fast:" in str(q.graph_name) for q in store)
    assert not differing, differing
    assert listed > 50
