"""OWL RL (owlrl) over the ontology and every example finds no inconsistency.

The closure runs once over the ontology (the SDG and GSBPM code lists reduced to the
typing of the codes that are used) and all examples and fixtures merged; two deliberately
inconsistent fixtures prove that the check can fail.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import owlrl
import pytest
import rdflib
from owlrl.Namespaces import ERRNS
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from cdkg.model.namespaces import CDKG
from cdkg.model.ontology import ontology_graph
from cdkg.rdf.read import load_graph
from tests.support.paths import EXAMPLES, REPO, TEST_DATA

ANNOTATIONS = {
    RDFS.label,
    RDFS.comment,
    RDFS.isDefinedBy,
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.definition,
    SKOS.notation,
    DCTERMS.source,
}
CODE_LISTS = ("sdg.ttl", "gsbpm.ttl")


def _logic_of_ontology(used: set[rdflib.term.Node]) -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted((REPO / "ontology").rglob("*.ttl")):
        if path.name not in CODE_LISTS:
            for s, p, o in rdflib.Graph().parse(path, format="turtle"):
                if p not in ANNOTATIONS:
                    g.add((s, p, o))
    full = ontology_graph()
    for node in used:
        for t in full.objects(node, RDF.type):
            g.add((node, RDF.type, t))
    return g


def _closed(data: rdflib.Graph) -> rdflib.Graph:
    g = _logic_of_ontology(set(data.objects()))
    for triple in data:
        g.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def _errors(g: rdflib.Graph) -> list[str]:
    return sorted(
        str(m) for e in g.subjects(RDF.type, ERRNS.ErrorMessage) for m in g.objects(e, ERRNS.error)
    )


def _example_paths() -> list[Path]:
    suffixes = (".ttl", ".jsonld", ".json", ".yaml", ".yml")
    found = [p for p in EXAMPLES.rglob("*") if p.suffix in suffixes] if EXAMPLES.is_dir() else []
    found += [p for p in (TEST_DATA / "context").glob("*") if p.suffix in suffixes]
    return sorted(found)


@lru_cache(maxsize=1)
def _closure_of_examples() -> rdflib.Graph:
    return _closed(load_graph([str(p) for p in _example_paths()]))


@pytest.mark.slow
def test_ontology_and_examples_are_consistent() -> None:
    g = _closure_of_examples()
    assert _errors(g) == []
    assert list(g.subjects(RDF.type, OWL.Nothing)) == []


@pytest.mark.slow
def test_owl_definition_recognises_citizen_data() -> None:
    g = _closure_of_examples()
    members = set(g.subjects(RDF.type, CDKG.CitizenDataInitiative))
    # citizen-initiated (rule 1-3) and NSO-initiated with partnership in design (rule 4)
    for iri in (
        "https://example.org/initiative/water-watch",
        "https://example.org/initiative/community-map",
        "https://example.org/initiative/gender-survey",
    ):
        assert rdflib.URIRef(iri) in members, iri


@pytest.mark.slow
def test_inconsistent_descriptions_are_caught() -> None:
    data = load_graph([str(TEST_DATA / "reasoning")])
    errors = _errors(_closed(data))
    assert any("example.org/actor/both" in e and "Disjoint" in e for e in errors), errors
    assert any("example.org/initiative/denied" in e for e in errors), errors
