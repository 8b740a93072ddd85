"""Rules that cannot see each other's conclusions run at once; the others keep pySHACL's order."""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from cdkg.model.ontology import ontology_graph
from cdkg.rdf.terms import to_rdflib
from cdkg.validate.fast.backend import OxigraphBackend, store_from_graphs
from cdkg.validate.fast.compile import Compiler
from cdkg.validate.fast.depends import depends, reads, writes
from cdkg.validate.fast.engine import Engine
from cdkg.validate.fast.pipeline import compiled, evaluate

PREFIXES = """PREFIX ex: <urn:ex:>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
T = rdflib.Variable("this")
EX = rdflib.Namespace("urn:ex:")


def no_supers(c: str) -> set[str]:
    return {c}


def test_a_rule_reading_what_another_writes_depends_on_it() -> None:
    made = writes([(T, EX.p, rdflib.Literal(1))])
    assert depends(reads(PREFIXES + "SELECT ?this WHERE { ?this ex:p ?x }"), made, no_supers)
    assert not depends(reads(PREFIXES + "SELECT ?this WHERE { ?this ex:q ?x }"), made, no_supers)
    # inside a property path, a sub-select, MINUS and OPTIONAL alike
    for body in (
        "{ ?this ex:q/ex:p ?x }",
        "{ { SELECT ?this WHERE { ?this ex:p ?x } } }",
        "{ ?this ex:q ?y MINUS { ?this ex:p ?x } }",
        "{ ?this ex:q ?y OPTIONAL { ?this (ex:r|^ex:p)* ?x } }",
    ):
        assert depends(reads(PREFIXES + "SELECT ?this WHERE " + body), made, no_supers), body


def test_what_cannot_be_analysed_is_read_as_everything() -> None:
    made = writes([(T, EX.p, rdflib.Literal(1))])
    for body in (
        "{ ?this ?anything ?x }",
        "{ ?this !(ex:q) ?x }",
        "{ ?this ex:q ?x FILTER EXISTS { ?x ?any ?y } }",
        # a filter bounds its own group only: not a sub-select's own variables, a union
        "{ { SELECT ?this WHERE { ?this ?p ?x } } FILTER (?p IN (ex:r)) }",
        "{ { ?this ?p ?x } UNION { ?this ex:q ?p } FILTER (?p IN (ex:r)) }",
        "{ ?this ?p ?x FILTER (?p IN (ex:r) || ?p = ex:q) }",
        "{ ?this ex:q ?x FILTER NOT EXISTS { ?this ?p ?x } }",
    ):
        assert reads(PREFIXES + "SELECT ?this WHERE " + body).everything, body
        assert depends(reads(PREFIXES + "SELECT ?this WHERE " + body), made, no_supers)
    assert reads("not SPARQL at all").everything
    assert writes([(T, rdflib.Variable("p"), EX.o)]).everything


def test_exists_patterns_and_predicates_bound_by_in_are_read() -> None:
    made = writes([(T, EX.p, rdflib.Literal(1))])
    for body, read in (
        ("{ ?this ex:q ?x FILTER NOT EXISTS { ?x ex:r/ex:s ?y } }", {"q", "r", "s"}),
        (
            "{ ?this ex:q ?x FILTER EXISTS { ?x ex:r ?y FILTER EXISTS { ?y ex:p ?z } } }",
            {"q", "r", "p"},
        ),
        ("{ ?this ?path ?value FILTER (?path IN (ex:r, ex:s)) }", {"r", "s"}),
        ("{ FILTER (?path IN (ex:r) && isIRI(?value)) ?this ?path ?value BIND (1 AS ?n) }", {"r"}),
        # MINUS and a sub-select projecting ?path (as the compiler decorrelates NOT EXISTS)
        (
            "{ ?this ?path ?v FILTER (?path IN (ex:r)) "
            "MINUS { SELECT DISTINCT ?this ?path WHERE { ?this ?path ?z . ?z ex:s ?w } } }",
            {"r", "s"},
        ),
        # the EXISTS of a filtered group sees the same ?path
        (
            "{ ?this ?path ?v FILTER (?path IN (ex:r)) "
            "FILTER NOT EXISTS { ?this ?path ?v . ?v ex:s ?z } }",
            {"r", "s"},
        ),
    ):
        found = reads(PREFIXES + "SELECT ?this WHERE " + body)
        assert not found.everything, body
        assert found.predicates == {str(EX[n]) for n in read}, body
        assert depends(found, made, no_supers) == ("p" in read), body


def test_a_written_type_reaches_the_classes_above_it() -> None:
    made = writes([(T, rdflib.RDF.type, EX.Sub)])
    query = reads(PREFIXES + "SELECT ?this WHERE { ?this rdf:type/rdfs:subClassOf* ex:Super }")
    assert not depends(query, made, no_supers)
    assert depends(query, made, lambda c: {c, str(EX.Super)})
    assert depends(reads(PREFIXES + "SELECT ?this WHERE { ?this a ?k }"), made, no_supers)
    assert not depends(reads(PREFIXES + "SELECT ?this WHERE { ?this a ex:Other }"), made, no_supers)


def _engine(shapes: rdflib.Graph | None = None, data: rdflib.Graph | None = None) -> Engine:
    store = store_from_graphs([("urn:data", data or ontology_graph())])
    return Engine(compiled() if shapes is None else Compiler(shapes), OxigraphBackend(store))


def test_the_taxonomy_rules_run_together() -> None:
    engine = _engine()
    rules = sorted(engine.c.rules, key=lambda r: (r.shape_order, str(r.shape), r.order))
    # one rule per row of Contract 3 (revision 2) and outcome of a recorded assessment: none
    # reads what another writes, so they run as one batch
    assert len(rules) == 21
    assert [len(b) for b in engine._rule_batches(rules)] == [21]


CHAINS = (
    PREFIXES
    + """PREFIX sh: <http://www.w3.org/ns/shacl#>
ex:First a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:rule [ a sh:SPARQLRule ; sh:order 1 ; sh:prefixes ex:decl ;
    sh:construct "CONSTRUCT { $this ex:step1 true } WHERE { $this ex:start ?x }" ] ;
  sh:rule [ a sh:SPARQLRule ; sh:order 2 ; sh:prefixes ex:decl ;
    sh:construct "CONSTRUCT { $this ex:step2 true } WHERE { $this ex:step1 true }" ] ;
  sh:rule [ a sh:SPARQLRule ; sh:order 3 ; sh:prefixes ex:decl ;
    sh:construct '''CONSTRUCT { $this ex:unrelated true . $this a ex:Sub }
      WHERE { $this ex:start ?x }''' ] .
ex:Second a sh:NodeShape ; sh:targetClass ex:Super ; sh:order 2 ;
  sh:rule [ a sh:SPARQLRule ; sh:prefixes ex:decl ;
    sh:construct "CONSTRUCT { $this ex:reached true } WHERE { }" ] .
ex:decl sh:declare [ sh:prefix "ex" ;
  sh:namespace "urn:ex:"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .
"""
)
CHAIN_DATA = (
    PREFIXES
    + """
ex:a a ex:Thing ; ex:start 1 .
ex:b a ex:Thing .
ex:Sub rdfs:subClassOf ex:Super .
"""
)


@pytest.mark.parametrize("workers", [1, 2])
def test_dependent_rules_see_their_predecessors_as_pyshacl_does(workers: int) -> None:
    shapes = rdflib.Graph().parse(data=CHAINS, format="turtle")
    data = rdflib.Graph().parse(data=CHAIN_DATA, format="turtle")
    engine = _engine(shapes, data)
    rules = sorted(engine.c.rules, key=lambda r: (r.shape_order, str(r.shape), r.order))
    # step2 reads step1 (new batch); rule 3 does not read step1/step2 and joins it;
    # ex:Second's focus (ex:Super) grows with rule 3's ex:Sub typing, so it waits
    assert [len(b) for b in engine._rule_batches(rules)] == [1, 2, 1]

    store = store_from_graphs([("urn:data", data)])
    if workers == 2:
        outcome = evaluate(OxigraphBackend(store), Compiler(shapes), entail=False)
    else:
        outcome = _sequential(store, shapes)
    fast = {tuple(to_rdflib(t) for t in triple) for triple in outcome.inferred_terms}

    expanded = rdflib.Graph()
    expanded += data
    pyshacl.validate(expanded, shacl_graph=shapes, advanced=True, inplace=True)
    assert fast == set(expanded - data)
    assert (EX.a, EX.step2, rdflib.Literal(True)) in fast
    assert (EX.a, EX.reached, rdflib.Literal(True)) in fast


def _sequential(store: ox.Store, shapes: rdflib.Graph):  # type: ignore[no-untyped-def]
    from cdkg.validate.fast.engine import Outcome

    engine = Engine(Compiler(shapes), OxigraphBackend(store), workers=1)
    out = Outcome()
    try:
        engine.apply_rules(out)
    finally:
        engine.cleanup()
    return out
