"""The shipped GSBPM 5.1 code list agrees with UNECE's COOS."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

from cdkg.model.namespaces import CDKG, GSBPM_PHASE, GSBPM_SUBPROCESS
from cdkg.model.ontology import ontology_graph

GSBPM_SCHEME = rdflib.URIRef("http://id.unece.org/activities/gsbpm")


def _ours() -> tuple[set[rdflib.term.Node], set[rdflib.term.Node]]:
    g = ontology_graph()
    members = set(g.subjects(SKOS.inScheme, GSBPM_SCHEME))
    phases = {m for m in members if str(m).startswith(str(GSBPM_PHASE))}
    subs = {m for m in members if str(m).startswith(str(GSBPM_SUBPROCESS))}
    return phases, subs


def test_eight_phases_and_44_subprocesses() -> None:
    g = ontology_graph()
    phases, subs = _ours()
    assert phases == {GSBPM_PHASE[str(n)] for n in range(1, 9)}
    assert len(subs) == 44
    for sub in subs:
        (parent,) = g.objects(sub, SKOS.broader)
        notation = str(g.value(sub, SKOS.notation))
        assert parent == GSBPM_PHASE[notation.split(".")[0]]
        assert str(sub).endswith("/" + notation)
    assert str(g.value(GSBPM_PHASE["4"], SKOS.prefLabel)) == "Collect"


def test_every_stage_points_at_shipped_phases() -> None:
    g = ontology_graph()
    phases, _ = _ours()
    linked = set(g.objects(None, CDKG.gsbpmPhase))
    assert linked == phases  # each of the 8 phases is some stage's phase, and nothing else


@pytest.mark.shared
def test_matches_coos(shared_dir: Path) -> None:
    coos = rdflib.Graph().parse(shared_dir / "vocab" / "coos.ttl", format="turtle")
    theirs = {
        n
        for n in coos.subjects(SKOS.inScheme, GSBPM_SCHEME)
        if str(n).startswith((str(GSBPM_PHASE), str(GSBPM_SUBPROCESS)))
    }
    phases, subs = _ours()
    assert phases | subs == theirs
    g = ontology_graph()
    for node in theirs:
        en = {str(lab) for lab in coos.objects(node, SKOS.prefLabel) if lab.language == "en"}
        assert {str(lab) for lab in g.objects(node, SKOS.prefLabel)} == en, node
        assert {str(n) for n in g.objects(node, SKOS.notation)} == {
            str(n) for n in coos.objects(node, SKOS.notation)
        }
        their_parents = {b for b in coos.objects(node, SKOS.broader) if b in theirs}
        assert set(g.objects(node, SKOS.broader)) == their_parents, node
        assert (node, RDF.type, SKOS.Concept) in g
