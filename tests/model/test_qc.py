"""The quality-check shapes of ``shapes/qc/`` catch what they are there to catch."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDFS, SKOS

from cdkg.model.namespaces import CDKG, SDG, STAGE
from cdkg.model.ontology import ontology_graph
from cdkg.model.qc import check_declared, check_terms, iris_in_query
from tests.support.paths import REPO


def _copy() -> rdflib.Graph:
    """cdkg's own terms and schemes (the SDG and GSBPM code lists left out, for speed)."""
    g = rdflib.Graph()
    for path in sorted((REPO / "ontology").rglob("*.ttl")):
        if path.name not in ("sdg.ttl", "gsbpm.ttl"):
            g.parse(path, format="turtle")
    return g


def test_shipped_ontology_passes() -> None:
    assert ontology_graph().value(SDG["5"], SKOS.notation) is not None
    assert check_terms() == []


@pytest.mark.parametrize(
    ("node", "prop", "lang", "expected"),
    [
        (CDKG.Initiative, SKOS.prefLabel, "fr", "needs one skos:prefLabel in each of English"),
        (CDKG.stage, RDFS.label, "es", "needs one rdfs:label in each of English"),
        (STAGE.collection, SKOS.definition, "en", "needs one English skos:definition"),
        (STAGE.uptake, DCTERMS.source, None, "needs dct:source"),
        (CDKG.rank, RDFS.isDefinedBy, None, "needs rdfs:isDefinedBy"),
        (STAGE.design, SKOS.notation, None, "needs a skos:notation"),
    ],
)
def test_missing_metadata_is_reported(
    node: rdflib.URIRef, prop: rdflib.URIRef, lang: str | None, expected: str
) -> None:
    g = _copy()
    for value in list(g.objects(node, prop)):
        if lang is None or (isinstance(value, rdflib.Literal) and value.language == lang):
            g.remove((node, prop, value))
    problems = check_terms(g)
    assert [p.focus for p in problems] == [str(node)]
    assert expected in problems[0].message


def test_a_term_without_a_source_paragraph_is_reported() -> None:
    g = _copy()
    g.remove((CDKG.Engagement, DCTERMS.source, None))
    g.add((CDKG.Engagement, DCTERMS.source, rdflib.Literal("the Framework")))
    problems = check_terms(g)
    assert [p.focus for p in problems] == [str(CDKG.Engagement)]


def test_two_english_preflabels_are_reported() -> None:
    g = _copy()
    g.add((STAGE.processing, SKOS.prefLabel, rdflib.Literal("Data processing", lang="en")))
    assert [p.focus for p in check_terms(g)] == [str(STAGE.processing)]


def test_header_licence_is_checked() -> None:
    g = _copy()
    g.remove((rdflib.URIRef("https://w3id.org/cdkg/ontology"), DCTERMS.license, None))
    assert [p.focus for p in check_terms(g)] == ["https://w3id.org/cdkg/ontology"]


def test_shipped_shapes_and_queries_use_only_declared_iris() -> None:
    assert check_declared() == []


def test_undeclared_iris_in_shapes_and_queries_are_reported(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    queries = tmp_path / "queries"
    shapes.mkdir()
    queries.mkdir()
    (shapes / "s.ttl").write_text(
        """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix cdkgsh: <https://w3id.org/cdkg/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
cdkgsh:S a sh:NodeShape ; sh:targetClass cdkg:Initiative ;
    sh:property cdkgsh:S-title .
cdkgsh:S-title sh:path cdkg:titel ; sh:in ( <https://w3id.org/cdkg/vocab/stage/colection> ) .
""",
        encoding="utf-8",
    )
    (queries / "q.rq").write_text(
        """# title: a query with one typo
PREFIX cdkg: <https://w3id.org/cdkg/ontology#>
PREFIX sdg: <http://metadata.un.org/sdg/>
PREFIX ex: <http://unknown.example/>
SELECT ?i WHERE {
  ?i a cdkg:Initiative ; cdkg:addressesSdg sdg:5.2 , sdg:C999999 ; ex:thing ?x .
  FILTER NOT EXISTS { ?i cdkg:hasEngagment ?e }
  # cdkg:inAComment is ignored
}
""",
        encoding="utf-8",
    )
    problems = check_declared(shapes, queries)
    found = {p.focus: p.where for p in problems}
    assert found == {
        "https://w3id.org/cdkg/ontology#titel": ("shapes/s.ttl",),
        "https://w3id.org/cdkg/vocab/stage/colection": ("shapes/s.ttl",),
        "http://metadata.un.org/sdg/C999999": ("queries/q.rq",),
        "https://w3id.org/cdkg/ontology#hasEngagment": ("queries/q.rq",),
        "http://unknown.example/thing": ("queries/q.rq",),
    }
    assert "declared nowhere" in problems[0].message


def test_iris_in_query_reads_prefixed_and_full_iris() -> None:
    text = """PREFIX : <https://w3id.org/cdkg/ontology#>
PREFIX sdg: <http://metadata.un.org/sdg/>
SELECT * WHERE { ?x :stage <https://w3id.org/cdkg/vocab/stage/design> ; :addressesSdg sdg:5.a .
  FILTER(?label = "sdg:notAnIri") }"""
    assert iris_in_query(text) == {
        "https://w3id.org/cdkg/ontology#stage",
        "https://w3id.org/cdkg/vocab/stage/design",
        "https://w3id.org/cdkg/ontology#addressesSdg",
        "http://metadata.un.org/sdg/5.a",
    }


def test_shipped_sdg_codes_are_checked_too() -> None:
    g = _copy()
    g.parse(REPO / "ontology" / "vocab" / "sdg.ttl", format="turtle")
    g.remove((SDG["5.2"], SKOS.notation, None))
    g.remove((SDG["C050201"], SKOS.inScheme, None))
    assert sorted(p.focus for p in check_terms(g)) == [str(SDG["5.2"]), str(SDG["C050201"])]


def test_a_concept_outside_its_class_is_reported() -> None:
    g = _copy()
    g.remove((STAGE.uptake, rdflib.RDF.type, CDKG.Stage))
    problems = check_terms(g)
    assert [p.focus for p in problems] == [str(STAGE.uptake)]
    assert "concept class" in problems[0].message
