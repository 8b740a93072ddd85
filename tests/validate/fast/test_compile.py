"""What the fast engine's compiler refuses, so that those shapes fall back instead of
giving another answer than the reference engine (the W3C suite cases, without ../shared)."""

from __future__ import annotations

import pytest
import rdflib

from cdkg.validate.fast.backend import OxigraphBackend, store_from_graphs
from cdkg.validate.fast.compile import Compiler
from cdkg.validate.fast.compile.compiler import COMPONENTS
from cdkg.validate.fast.pipeline import evaluate
from cdkg.validate.fast.sparql_text import Unsupported, check_nested_this, class_paths, constant

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <urn:ex:> .
"""


def _fallback(shapes: str, data: str = "ex:a ex:p 1 .") -> dict[str, str]:
    compiler = Compiler(rdflib.Graph().parse(data=PREFIXES + shapes, format="turtle"))
    graph = rdflib.Graph().parse(data=PREFIXES + data, format="turtle")
    outcome = evaluate(
        OxigraphBackend(store_from_graphs([("urn:g", graph)])), compiler, entail=False
    )
    return {str(k): v for k, v in outcome.fallback.items()}


@pytest.mark.parametrize("datatype", ["xsd:integer", "xsd:int", "xsd:nonNegativeInteger"])
def test_integer_datatypes_fall_back(datatype: str) -> None:
    # Oxigraph stores "5"^^xsd:int as "5"^^xsd:integer: DATATYPE() cannot tell them apart
    found = _fallback(f"ex:S sh:targetNode ex:a ; sh:path ex:p ; sh:datatype {datatype} .")
    assert "integer" in found["urn:ex:S"]


def test_constants_the_store_rewrites_fall_back() -> None:
    assert constant(rdflib.Literal("4", datatype=rdflib.XSD.decimal)) == (
        '"4"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    )
    with rdflib_verbatim():
        for lexical, dt in (("4.0", "decimal"), ("1", "boolean"), ("5", "int")):
            lit = rdflib.Literal(lexical, datatype=rdflib.XSD[dt])
            with pytest.raises(Unsupported, match="only as"):
                constant(lit)
        found = _fallback('ex:S sh:targetNode "4.0"^^xsd:decimal ; sh:maxExclusive 4 .')
    # a shape whose targets cannot be compiled is handed over, not skipped
    assert "4.0" in found["urn:ex:S"]


def test_nested_groups_reading_this_in_a_filter_are_refused() -> None:
    for body in (
        "{ FILTER (false) } UNION { FILTER ($this = <urn:x>) }",
        "{ FILTER bound($this) } $this <urn:p> 'L' .",
    ):
        with pytest.raises(Unsupported, match="nested group"):
            check_nested_this(body)
    for body in (
        "?this <urn:p> ?o . OPTIONAL { ?o <urn:q> ?x FILTER (?x != ?this) }",
        "FILTER NOT EXISTS { ?x <urn:p> ?y FILTER (?y = $this) }",
        "{ ?this a ?c FILTER (?this != <urn:x>) } UNION { ?this <urn:p> ?o }",
    ):
        check_nested_this(body)


def test_property_shapes_of_property_shapes_fall_back() -> None:
    found = _fallback(
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:property ex:T ] ."
        "ex:T sh:path ex:q ; sh:minCount 1 ."
    )
    assert "sh:property on a property shape" in found["urn:ex:S"]


def test_components_of_a_subclass_of_constraint_component_fall_back() -> None:
    found = _fallback(
        "ex:Kind rdfs:subClassOf sh:ConstraintComponent ."
        "ex:C a ex:Kind ; sh:parameter [ sh:path ex:size ] ."
        "ex:S sh:targetNode ex:a ; ex:size 3 ."
    )
    assert "custom constraint component" in found["urn:ex:S"]


def test_unique_lang_is_on_only_for_true() -> None:
    with rdflib_verbatim():
        compiler = Compiler(
            rdflib.Graph().parse(
                data=PREFIXES
                + 'ex:S sh:targetNode ex:a ; sh:path ex:p ; sh:uniqueLang "1"^^xsd:boolean .',
                format="turtle",
            )
        )
    assert not compiler.shapes[rdflib.URIRef("urn:ex:S")].checks


EVERY_COMPONENT = """
ex:N sh:targetNode ex:a ; sh:class ex:C ; sh:datatype xsd:string ; sh:nodeKind sh:IRI ;
  sh:minLength 1 ; sh:maxLength 9 ; sh:pattern "^a" ; sh:flags "i" ; sh:languageIn ( "en" ) ;
  sh:in ( ex:a ) ; sh:minInclusive 1 ; sh:maxInclusive 9 ; sh:minExclusive 0 ;
  sh:maxExclusive 10 ; sh:hasValue ex:a ; sh:closed true ; sh:ignoredProperties ( ex:q ) ;
  sh:node ex:P ; sh:not ex:P ; sh:and ( ex:P ) ; sh:or ( ex:P ) ; sh:xone ( ex:P ) ;
  sh:sparql [ sh:select "SELECT $this WHERE { $this <urn:ex:p> 1 }" ] ; sh:property ex:P .
ex:P sh:path ex:p ; sh:minCount 2 ; sh:maxCount 3 ; sh:uniqueLang true ; sh:equals ex:q ;
  sh:disjoint ex:r ; sh:lessThan ex:s ; sh:lessThanOrEquals ex:t .
"""


def test_every_component_of_the_table_compiles_its_own_checks() -> None:
    """Each entry of the dispatch table makes checks of its own component, and a shape
    that uses them all is compiled whole (nothing refused, every entry used)."""
    compiler = Compiler(rdflib.Graph().parse(data=PREFIXES + EVERY_COMPONENT, format="turtle"))
    shapes = [compiler.shapes[rdflib.URIRef(f"urn:ex:{n}")] for n in "NP"]
    assert [s.unsupported for s in shapes] == [None, None]
    used: set[rdflib.URIRef] = set()
    for component in COMPONENTS:
        for shape in shapes:
            checks = list(component.compile(compiler.graph, shape))
            assert {c.component for c in checks} <= {component.iri}
            used |= {c.component for c in checks}
    assert used == {c.iri for c in COMPONENTS}
    assert len(used) == len(COMPONENTS)
    assert sum(len(s.checks) for s in shapes) == len(COMPONENTS)


class rdflib_verbatim:
    """Literals as written inside the block (rdflib canonicalises them by default)."""

    def __enter__(self) -> None:
        self.before = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False

    def __exit__(self, *exc: object) -> None:
        rdflib.NORMALIZE_LITERALS = self.before


CLASS_DATA = """
@prefix ex: <urn:ex:> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ex:Sub rdfs:subClassOf ex:Top . ex:Alias owl:equivalentClass ex:Sub .
ex:a a ex:Sub . ex:b a ex:Alias . ex:c a ex:Top , ex:Sub . ex:d a ex:Other .
ex:x ex:p ex:a , ex:b , ex:c , ex:d .
"""
CLASS_QUERIES = [
    "SELECT ?v WHERE { ex:x ex:p ?v . ?v rdf:type/(rdfs:subClassOf|owl:equivalentClass|"
    "^owl:equivalentClass)* ex:Top . }",
    "SELECT ?v WHERE { ex:x ex:p ?v . FILTER NOT EXISTS { ?v a/rdfs:subClassOf* ex:Top } }",
    "SELECT DISTINCT ?v WHERE { ?v <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
    "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <urn:ex:Sub> . ?v ?p ?o }",
    # a class from a list: ex:c reaches both, ex:b only ex:Top
    "SELECT ?v ?g WHERE { ex:x ex:p ?v . ?v rdf:type/(rdfs:subClassOf|owl:equivalentClass)* ?g"
    " . FILTER (?g IN (ex:Top, <urn:ex:Sub>)) }",
    "SELECT ?v WHERE { ex:x ex:p ?v . MINUS { ?v a/rdfs:subClassOf* ?g ."
    " filter (?g in (ex:Top)) } }",
]
SPARQL_PREFIXES = """PREFIX ex: <urn:ex:>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


@pytest.mark.parametrize("query", CLASS_QUERIES)
def test_class_paths_are_rewritten_with_the_same_solutions(query: str) -> None:
    """``?x rdf:type/P* C`` becomes a class-side sub-select, and every solution (with its
    multiplicity: ex:c has two types reaching ex:Top) stays the same."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(CLASS_DATA, format=ox.RdfFormat.TURTLE)
    faster = class_paths(query)
    assert "cdkg_class_1" in faster and "rdf:type/" not in faster and "#type>/" not in faster

    def rows(q: str) -> list[str]:
        return sorted(str(r) for r in store.query(SPARQL_PREFIXES + q))  # type: ignore[union-attr]

    assert rows(faster) == rows(query)
    assert rows(query)  # the data exercises the query


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?v rdf:type/rdfs:subClassOf* ex:Top . }",  # ?k would show
        'SELECT ?v WHERE { ?v rdfs:label "?v rdf:type/rdfs:subClassOf* ex:Top ." }',
        "SELECT ?v WHERE { # ?v rdf:type/rdfs:subClassOf* ex:Top .\n ?v a ex:Top }",
        "SELECT ?v WHERE { ?v rdf:type/rdfs:subClassOf* ?c . }",  # the class is a variable
    ],
)
def test_class_paths_leave_other_text_alone(query: str) -> None:
    assert class_paths(query) == query
