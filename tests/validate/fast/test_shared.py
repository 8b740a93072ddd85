"""Sub-selects shared by several rule queries are computed once, and never go stale or leak."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from cdkg.rdf.read import load_graph
from cdkg.rdf.terms import to_ox, to_rdflib
from cdkg.validate.fast import shared
from cdkg.validate.fast.backend import OxigraphBackend, Row, store_from_graphs
from cdkg.validate.fast.compile import Compiler, F
from cdkg.validate.fast.engine import Engine, Outcome, _focus_block
from cdkg.validate.fast.pipeline import compiled, evaluate
from tests.support.paths import EXAMPLES

EX = rdflib.Namespace("urn:ex:")
MARKED = "urn:cdkg:fast:shared:"
RULE = """  sh:rule [ a sh:SPARQLRule ; sh:order {order} ; sh:prefixes ex:decl ;
    sh:construct "CONSTRUCT {{ {head} }} WHERE {{ {body} }}" ] ;
"""
HAS_Q = "FILTER EXISTS { $this ex:q ?v }"
NO_Q = "FILTER NOT EXISTS { $this ex:q ?v }"
PROLOGUE = """PREFIX ex: <urn:ex:>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
ex:decl sh:declare [ sh:prefix "ex" ;
  sh:namespace "urn:ex:"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .
"""
#: Two batches: rules 0-2, then 3-4 (they read ex:q, which rule 2 writes). "Has an ex:q"
#: is read in both, and rule 2 gives ex:b one: the second batch must not reuse what was
#: computed for the first.
STALE = (
    PROLOGUE
    + "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;\n"
    + RULE.format(order=0, head="$this ex:r0 true", body=HAS_Q)
    + RULE.format(order=1, head="$this ex:r1 true", body=NO_Q)
    + RULE.format(order=2, head="$this ex:q ex:z", body="$this ex:p ex:y")
    + RULE.format(order=3, head="$this ex:r3 true", body=HAS_Q)
    + RULE.format(order=4, head="$this ex:r4 true", body=NO_Q)
    + ".\n"
)
#: Literal focus nodes (sh:targetObjectsOf), and groups of literals.
LITERALS = (
    PROLOGUE
    + "ex:L a sh:NodeShape ; sh:targetObjectsOf ex:p ;\n"
    + RULE.format(order=0, head="ex:log ex:saw $this", body="FILTER EXISTS { ?s ex:p $this }")
    + RULE.format(
        order=1, head="ex:log ex:with $this", body="FILTER EXISTS { ?s ex:p $this . ?s ex:q 1 }"
    )
    + RULE.format(
        order=2,
        head="ex:log ex:without $this",
        body="FILTER NOT EXISTS { ?s ex:p $this . ?s ex:q 1 }",
    )
    + ".\n"
)
#: A constraint that a marker triple left in the store would fail (any incoming triple).
LEAK = """
ex:Leak a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
  sh:sparql [ sh:prefixes ex:decl ; sh:select "SELECT $this WHERE { ?s ?p $this }" ] .
"""
DATA = """PREFIX ex: <urn:ex:>
ex:a ex:p ex:x ; ex:q 1 .
ex:b ex:p ex:y .
ex:c ex:p ex:x .
"""
BLANK_DATA = """PREFIX ex: <urn:ex:>
[] ex:p ex:x ; ex:q 1 .
[] ex:p ex:y .
[] ex:p ex:x .
"""
MODES = ["throwaway", "named", "union", "union-with-default-graph"]


def _graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle")


def _backend(mode: str, data: ox.Store) -> OxigraphBackend:
    """``data`` (a store holding its triples in the default graph) as ``mode`` reads it."""
    store = ox.Store()
    if mode == "throwaway":
        store.extend(data)
        return OxigraphBackend(store, throwaway=True)
    g = ox.NamedNode("urn:data")
    store.extend(ox.Quad(q.subject, q.predicate, q.object, g) for q in data)
    if mode == "union-with-default-graph":
        # an update cannot read this union: the groups are read as written
        store.add(ox.Quad(ox.NamedNode("urn:ex:n"), ox.NamedNode("urn:ex:note"), ox.Literal("n")))
    return OxigraphBackend(store, ["urn:data"] if mode == "named" else None)


def _store(text: str) -> ox.Store:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    return store


def _failing(mode: str, fails: Callable[[str], bool]) -> OxigraphBackend:
    """:data:`DATA` as ``mode`` reads it, through a backend whose queries for which
    ``fails`` is true raise, as if the server went away midway."""

    class Failing(OxigraphBackend):
        def select(self, query: str) -> list[Row]:
            if fails(query):
                raise RuntimeError("the server went away")
            return super().select(query)

    plain = _backend(mode, _store(DATA))
    graphs = None if plain.graphs is None else [str(g)[1:-1] for g in plain.graphs]
    return Failing(plain.store, graphs, throwaway=plain.throwaway)


def _markers(store: ox.Store) -> list[ox.Quad]:
    return [q for q in store if any(MARKED in str(t) for t in (q.subject, q.predicate, q.object))]


def _writes(monkeypatch: pytest.MonkeyPatch, method: str) -> list[str]:
    """The WHERE clauses of the ``OxigraphBackend.<method>(template, where, …)`` calls
    that wrote something, run after run."""
    seen: list[str] = []
    real = getattr(OxigraphBackend, method)

    def spy(self: OxigraphBackend, template: str, where: str, *rest: str) -> bool:
        done: bool = real(self, template, where, *rest)
        if done:
            seen.append(where)
        return done

    monkeypatch.setattr(OxigraphBackend, method, spy)
    return seen


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The groups computed as markers (their WHERE clauses)."""
    return _writes(monkeypatch, "insert_where")


def _run(backend: OxigraphBackend, shapes: str, *, share: bool = True) -> Outcome:
    engine = Engine(Compiler(_graph(shapes)), backend)
    engine.share = share
    out = Outcome()
    try:
        engine.apply_rules(out)
        engine.validate(out)
    finally:
        engine.cleanup()
    return out


def _unshared(backend: OxigraphBackend) -> Outcome:
    """A whole run of the shipped shapes over ``backend``, sharing and listing nothing."""
    engine = Engine(compiled(), backend)
    engine.share = False
    out = Outcome()
    try:
        engine.entail(out)
        engine.apply_rules(out)
        engine.validate(out)
    finally:
        engine.cleanup()
    return out


def _inferred(out: Outcome) -> set[tuple[rdflib.term.Node, ...]]:
    return {tuple(to_rdflib(t) for t in triple) for triple in out.inferred_terms}


@pytest.mark.parametrize("mode", MODES)
def test_a_group_is_computed_again_after_a_rule_writes_what_it_reads(
    mode: str, computed: list[str]
) -> None:
    out = _run(_backend(mode, _store(DATA)), STALE)
    fast = _inferred(out)
    expanded = _graph(DATA)
    pyshacl.validate(expanded, shacl_graph=_graph(STALE), advanced=True, inplace=True)
    assert fast == set(expanded - _graph(DATA))
    true = rdflib.Literal(True)
    assert {s for s, p, _o in fast if p == EX.r3} == {EX.a, EX.b}
    assert {s for s, p, _o in fast if p == EX.r4} == {EX.c}
    assert (EX.b, EX.q, EX.z) in fast and (EX.c, EX.r1, true) in fast
    if mode == "union-with-default-graph":
        assert computed == []
    else:
        # the focus block once (nothing writes ex:p); "has an ex:q" once per batch
        assert len(computed) == 3
        assert sum("ex:q" in where for where in computed) == 2


@pytest.mark.parametrize("mode", ["throwaway", "union"])
def test_a_rule_that_may_read_any_predicate_never_sees_a_marker(
    mode: str, computed: list[str]
) -> None:
    incoming = RULE.format(
        order=5, head="$this ex:incoming true", body="FILTER EXISTS { ?s ?p $this }"
    )
    shapes = STALE.rstrip(".\n") + "\n" + incoming + ".\n"
    fast = _inferred(_run(_backend(mode, _store(DATA)), shapes))
    expanded = _graph(DATA)
    pyshacl.validate(expanded, shacl_graph=_graph(shapes), advanced=True, inplace=True)
    assert fast == set(expanded - _graph(DATA))
    assert not any(p == EX.incoming for _s, p, _o in fast)
    assert computed == []


@pytest.mark.parametrize("mode", MODES)
def test_no_marker_is_left_or_reported(mode: str, computed: list[str]) -> None:
    store = _store(DATA)
    backend = _backend(mode, store)
    out = _run(backend, STALE + LEAK)
    assert computed or mode == "union-with-default-graph"
    assert not _markers(backend.store)
    assert not any(MARKED in str(t) for triple in out.inferred_terms for t in triple)
    assert not any(MARKED in str(r) for r in out.results)
    # no focus node of ex:Leak has an incoming triple (a marker would be one)
    assert out.results == set()
    assert out.results == _run(_backend(mode, store), STALE + LEAK, share=False).results


@pytest.mark.parametrize("mode", ["throwaway", "named", "union"])
def test_markers_are_removed_after_an_error_midway(mode: str, computed: list[str]) -> None:
    backend = _failing(mode, lambda query: f"<{MARKED}" in query and "SELECT *" not in query)
    with pytest.raises(RuntimeError):
        evaluate(backend, Compiler(_graph(STALE)))
    assert computed
    assert not _markers(backend.store)


@pytest.mark.parametrize("mode", ["throwaway", "named", "union"])
def test_blank_nodes_are_shared_as_they_are(mode: str, computed: list[str]) -> None:
    data = _store(BLANK_DATA)  # the same blank nodes in every copy
    with_sharing = _run(_backend(mode, data), STALE)
    assert len(computed) == 3
    without = _run(_backend(mode, data), STALE, share=False)
    assert set(with_sharing.inferred_terms) == set(without.inferred_terms)
    assert len({s for s, p, _o in with_sharing.inferred_terms if p.value == str(EX.r3)}) == 2


@pytest.mark.parametrize("mode", ["throwaway", "named", "union"])
def test_groups_of_literals_are_shared_as_they_are(mode: str, computed: list[str]) -> None:
    text = 'PREFIX ex: <urn:ex:>\n[] ex:p "x" ; ex:q 1 .\n[] ex:p "y" .\n[] ex:p 2 .\n'
    got = _inferred(_run(_backend(mode, _store(text)), LITERALS))
    assert len(computed) == 2  # the focus block, "?s ex:p $this . ?s ex:q 1"

    def logged(p: rdflib.URIRef) -> set[rdflib.term.Node]:
        return {o for s, q, o in got if (s, q) == (EX.log, p)}

    x, y, two = rdflib.Literal("x"), rdflib.Literal("y"), rdflib.Literal(2)
    assert logged(EX.saw) == {x, y, two}
    assert logged(EX["with"]) == {x}
    assert logged(EX.without) == {y, two}


def test_a_group_with_an_unbound_this_is_read_as_written() -> None:
    store = _store(DATA)
    engine = Engine(Compiler(_graph(STALE)), OxigraphBackend(store, throwaway=True))
    unbound = ("", "{ SELECT DISTINCT ?this WHERE { OPTIONAL { ?this <urn:ex:none> ?x } } }")
    bound = ("", "{ SELECT DISTINCT ?this WHERE { ?this <urn:ex:p> ?x } }")
    plan = shared.Plan(f"<{engine.shared_graph}>")
    plan.use[0] = {unbound: f"{engine.shared_graph}:0", bound: f"{engine.shared_graph}:1"}
    engine._compute_shared(plan, [(unbound, plan.use[0][unbound]), (bound, plan.use[0][bound])])
    assert list(plan.use[0]) == [bound]
    query = f"SELECT ?this WHERE {{ {unbound[1]} {bound[1]} }}"
    assert plan.rewrite(0, query) == (
        f"SELECT ?this WHERE {{ {unbound[1]} {{ <{engine.shared_graph}> "
        f"<{engine.shared_graph}:1> ?this }} }}"
    )
    engine.cleanup()
    assert not _markers(store)


def test_nothing_is_shared_where_a_marker_could_be_read_or_where_groups_name_graphs() -> None:
    engine = Engine(Compiler(_graph(STALE)), OxigraphBackend(_store(DATA), throwaway=True))
    assert engine.share
    query = "SELECT ?this WHERE { { SELECT DISTINCT ?this WHERE { ?this <urn:ex:p> ?x } } }"
    assert len(shared.groups(query)) == 1
    assert shared.groups(query.replace("?x }", "?x FILTER EXISTS { GRAPH ?g { } } }")) == []
    inside_exists = "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { " + query[16:] + " }"
    assert shared.groups(inside_exists) == []
    # a rule whose query may read any predicate: no marker may exist while it runs
    anything = STALE.replace(
        "FILTER NOT EXISTS { $this ex:q ?v }", "FILTER NOT EXISTS { $this ?any ?v }"
    )
    assert not _plan_has_groups(anything)
    assert _plan_has_groups(STALE)
    # a rule writing the class hierarchy: the closure the analysis used could change
    hierarchy = STALE.replace("$this ex:q ex:z", "$this rdfs:subClassOf ex:z")
    assert not _plan_has_groups(hierarchy)
    # a rule with a condition: the condition's constraints run while the rules do
    condition = STALE.replace("sh:order 0 ;", "sh:order 0 ; sh:condition ex:Cond ;", 1)
    condition += "ex:Cond a sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .\n"
    assert not _plan_has_groups(condition)


def _plan_has_groups(shapes: str) -> bool:
    engine = Engine(Compiler(_graph(shapes)), OxigraphBackend(_store(DATA), throwaway=True))
    rules = sorted(engine.c.rules, key=lambda r: (r.shape_order, str(r.shape), r.order))
    batches = engine._rule_batches(rules)
    focus = {id(r): _focus_block(engine.c.shapes[r.shape].targets) for r in rules}
    texts = [[engine.c.rule_query(r).replace(F, focus[id(r)]) for r in b] for b in batches]
    return bool(engine._shared_plan(batches, texts).compute)


def test_the_taxonomy_rules_share_eleven_groups(computed: list[str]) -> None:
    data = load_graph([str(p) for p in sorted(EXAMPLES.glob("*.ttl"))])
    store = store_from_graphs([("urn:data", data)])
    shared_run = evaluate(OxigraphBackend(store), compiled())
    # the focus block; an initiator of unknown kind, a citizen-side one, one that is not a
    # CSO engaging no citizen directly, a non-citizen one; a non-citizen collaborator; a
    # national statistical office; a citizens' engagement, one at level 4 or more in design
    # or collection; an assessment found true, one found false (Contract 3 revision 2)
    assert len(computed) == 11
    plain = _unshared(OxigraphBackend(store))
    assert set(shared_run.inferred_terms) == set(plain.inferred_terms)
    assert shared_run.results == plain.results
    assert not _markers(store)


# --------------------------------------------------------------- focus nodes listed once

FOCUS = "urn:cdkg:fast:focus:"
#: Three constraint queries read the focus block of ex:S (its targets: subjects of ex:p).
CHECKED = """PREFIX ex: <urn:ex:>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
ex:decl sh:declare [ sh:prefix "ex" ;
  sh:namespace "urn:ex:"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
  sh:property [ sh:path ex:q ; sh:minCount 1 ] ;
  sh:property [ sh:path ex:q ; sh:datatype xsd:string ; sh:severity sh:Warning ] ;
  sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ; sh:severity sh:Info ] .
"""
#: A SPARQL constraint that reads every named graph: it would see listed focus nodes.
ANY_GRAPH = """
ex:Graphs a sh:NodeShape ; sh:targetSubjectsOf ex:p ;
  sh:sparql [ sh:prefixes ex:decl ;
    sh:select "SELECT $this WHERE { GRAPH ?g { ?s ?p $this } }" ] .
"""
#: Literal focus nodes (the objects of ex:p), three constraints on them.
LITERAL_FOCUS = """PREFIX ex: <urn:ex:>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
ex:O a sh:NodeShape ; sh:targetObjectsOf ex:p ;
  sh:datatype xsd:string ; sh:nodeKind sh:Literal ; sh:maxLength 1 .
"""


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The focus blocks listed once (their WHERE clauses)."""
    return _writes(monkeypatch, "insert_apart")


def _focus_quads(store: ox.Store) -> list[ox.Quad]:
    return [q for q in store if FOCUS in str(q.graph_name)]


def _local(text: str) -> str:
    return text.rstrip(">").rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def _reference(data: str, shapes: str) -> set[tuple[rdflib.term.Node, str, str]]:
    """(focus node, severity, constraint component) of pySHACL's results."""
    _conforms, report, _text = pyshacl.validate(_graph(data), shacl_graph=_graph(shapes))
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    return {
        (
            report.value(r, sh.focusNode),
            _local(str(report.value(r, sh.resultSeverity))),
            _local(str(report.value(r, sh.sourceConstraintComponent))),
        )
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
    }


def _found(out: Outcome) -> set[tuple[rdflib.term.Node, str, str]]:
    return {
        (r.focus_term, _local(r.severity), _local(r.source_constraint_component))
        for r in out.results
    }


@pytest.mark.parametrize("mode", MODES)
def test_focus_nodes_read_by_several_queries_are_listed_once(mode: str, listed: list[str]) -> None:
    data = DATA + "ex:d ex:p 'not an IRI' ; ex:q 'x' .\n"
    backend = _backend(mode, _store(data))
    out = _run(backend, CHECKED)
    assert _found(out) == _reference(data, CHECKED)
    assert {r.focus_term for r in out.results} == {EX.a, EX.b, EX.c, EX.d}
    # a union default graph would read the list as data: the block is read as written
    assert len(listed) == (0 if mode.startswith("union") else 1)
    assert not _focus_quads(backend.store)


@pytest.mark.parametrize("mode", ["throwaway", "named"])
def test_a_block_read_by_fewer_queries_is_read_as_written(mode: str, listed: list[str]) -> None:
    info = " ;\n  sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ; sh:severity sh:Info ] ."
    two = CHECKED.replace(info, " .")
    assert two.count("sh:property") == 2
    out = _run(_backend(mode, _store(DATA)), two)
    assert _found(out) == _reference(DATA, two)
    assert listed == []


@pytest.mark.parametrize("mode", ["throwaway", "named"])
def test_no_focus_is_listed_where_a_constraint_reads_any_graph(
    mode: str, listed: list[str]
) -> None:
    shapes = CHECKED + ANY_GRAPH
    out = _run(_backend(mode, _store(DATA)), shapes)
    assert listed == []
    # in the data's graph nothing points at a focus node; a listed one would be found
    assert not any(r.source_shape.endswith("Graphs") for r in out.results)
    assert _found(out) == _found(_run(_backend(mode, _store(DATA)), shapes, share=False))


@pytest.mark.parametrize("mode", ["throwaway", "named"])
def test_blank_and_literal_focus_nodes_are_listed_as_they_are(mode: str, listed: list[str]) -> None:
    data = _store(BLANK_DATA + "[] ex:p 'x' .\n")  # the same blank nodes in every copy
    blank = _run(_backend(mode, data), CHECKED)
    assert len(listed) == 1
    assert _found(blank) == _found(_run(_backend(mode, data), CHECKED, share=False))
    assert len({r.focus_term for r in blank.results}) == 4
    assert all(isinstance(r.focus_term, rdflib.BNode) for r in blank.results)
    text = 'PREFIX ex: <urn:ex:>\n[] ex:p "x", "yy", 2, ex:z .\n'
    out = _run(_backend(mode, _store(text)), LITERAL_FOCUS)
    assert len(listed) == 2
    assert _found(out) == _reference(text, LITERAL_FOCUS)
    assert {r.focus_term for r in out.results} == {rdflib.Literal("yy"), rdflib.Literal(2), EX.z}


@pytest.mark.parametrize("mode", ["throwaway", "named"])
def test_listed_focus_nodes_are_removed_after_an_error_midway(mode: str, listed: list[str]) -> None:
    backend = _failing(mode, lambda query: f"GRAPH <{FOCUS}" in query)
    with pytest.raises(RuntimeError):
        evaluate(backend, Compiler(_graph(CHECKED)))
    assert listed
    assert not _focus_quads(backend.store)


def test_the_shipped_shapes_list_initiatives_and_engagements_once(listed: list[str]) -> None:
    data = load_graph([str(p) for p in sorted(EXAMPLES.glob("*.ttl"))])

    def working_copy() -> OxigraphBackend:
        store = ox.Store()
        store.extend(ox.Quad(*(to_ox(t) for t in triple)) for triple in data)  # type: ignore[misc]
        return OxigraphBackend(store, throwaway=True)

    listing = working_copy()
    outcome = evaluate(listing, compiled())
    assert any("ontology#Initiative>" in where for where in listed)
    assert any("ontology#Engagement>" in where for where in listed)
    assert outcome.results and not _focus_quads(listing.store)
    plain = _unshared(working_copy())
    assert outcome.results == plain.results
    assert set(outcome.inferred_terms) == set(plain.inferred_terms)


def test_validating_files_lists_focus_nodes_too(listed: list[str]) -> None:
    """``cdkg validate/classify FILES --engine fast`` names its data and ontology graphs,
    so its constraints read listed focus nodes (its verdicts are the reference engine's:
    tests/test_differential.py)."""
    from cdkg.validate.fast.pipeline import run_fast

    run_fast(load_graph([str(p) for p in sorted(EXAMPLES.glob("*.ttl"))]))
    assert any("ontology#Initiative>" in where for where in listed)
