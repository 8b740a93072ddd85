"""The reference engine's inference shortcut gives exactly the full RDFS closure."""

from __future__ import annotations

import owlrl
import pytest
import rdflib
from pyshacl.inference import CustomRDFSSemantics

from cdkg.model.ontology import ontology_graph
from cdkg.rdf.read import load_graph
from cdkg.validate.reference import expand, without_claims
from tests.support.paths import EXAMPLES, TEST_DATA

CASES = [
    EXAMPLES / "settlement-profiling-sdi.ttl",
    TEST_DATA / "shapes" / "TypedInitiator" / "valid" / "subclass-in-data.ttl",
    TEST_DATA / "shapes" / "TypedInitiator" / "valid" / "aligned-external-class.ttl",
]


@pytest.mark.slow
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_expand_equals_full_rdfs_closure(path) -> None:
    """closure(data + schema) + closure(ontology) == closure(data + ontology)."""
    data = without_claims(load_graph([str(path)]))
    full = rdflib.Graph()
    for triple in data:
        full.add(triple)
    for triple in ontology_graph():
        full.add(triple)
    owlrl.DeductiveClosure(CustomRDFSSemantics).expand(full)
    assert set(expand(data)) == set(full)


def test_claims_are_removed_and_nothing_else() -> None:
    g = rdflib.Graph().parse(
        data="""@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
        <https://example.org/i> a cdkg:Initiative , cdkg:CitizenDataInitiative ;
          cdkg:isCitizenData true ;
          cdkg:initiativeType <https://w3id.org/cdkg/vocab/initiative-type/civic-action> .""",
        format="turtle",
    )
    clean = without_claims(g)
    assert len(clean) == 1
    assert len(g) == 4, "the caller's graph is not modified"
