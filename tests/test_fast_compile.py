"""What the fast engine's compiler refuses, so that those shapes fall back instead of
giving another answer than the reference engine (the W3C suite cases, without ../shared)."""

from __future__ import annotations

import pytest
import rdflib

from cdkg.fast.backend import OxigraphBackend, store_from_graphs
from cdkg.fast.compile import Compiler
from cdkg.fast.run import evaluate
from cdkg.fast.sparql import Unsupported, check_nested_this, constant

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


class rdflib_verbatim:
    """Literals as written inside the block (rdflib canonicalises them by default)."""

    def __enter__(self) -> None:
        self.before = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False

    def __exit__(self, *exc: object) -> None:
        rdflib.NORMALIZE_LITERALS = self.before
