"""The shipped SDG code list and the ``sdg_iri`` resolver."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

from cdkg.model.namespaces import SDG, SDGO
from cdkg.model.resources import data_dir
from cdkg.model.sdg import SdgCodeError, code_list, is_sdg_iri, sdg_concept, sdg_iri

SDG_TTL = Path(str(data_dir("ontology"))) / "vocab" / "sdg.ttl"


@pytest.mark.parametrize(
    ("code", "iri"),
    [
        ("SDG 5", "http://metadata.un.org/sdg/5"),
        ("sdg5", "http://metadata.un.org/sdg/5"),
        ("Goal 17", "http://metadata.un.org/sdg/17"),
        ("5", "http://metadata.un.org/sdg/5"),
        ("5.2", "http://metadata.un.org/sdg/5.2"),
        ("Target 5.a", "http://metadata.un.org/sdg/5.a"),
        ("5.A", "http://metadata.un.org/sdg/5.a"),
        ("5.2.1", "http://metadata.un.org/sdg/C050201"),
        ("05.02.01", "http://metadata.un.org/sdg/C050201"),
        ("C050201", "http://metadata.un.org/sdg/C050201"),
        ("c050201", "http://metadata.un.org/sdg/C050201"),
        ("sdg:5.2", "http://metadata.un.org/sdg/5.2"),
        ("http://metadata.un.org/sdg/C050201", "http://metadata.un.org/sdg/C050201"),
        ("https://metadata.un.org/sdg/5.2", "http://metadata.un.org/sdg/5.2"),
        (" 16.10.2 ", "http://metadata.un.org/sdg/C161002"),
    ],
)
def test_sdg_iri_accepts_the_usual_forms(code: str, iri: str) -> None:
    assert sdg_iri(code) == iri


def test_shared_indicator_resolves_from_each_of_its_codes() -> None:
    # 1.5.1, 11.5.1 and 13.1.1 are one indicator with one permanent code
    iris = {sdg_iri(c) for c in ("1.5.1", "11.5.1", "13.1.1")}
    assert iris == {"http://metadata.un.org/sdg/C200303"}
    concept = sdg_concept("C200303")
    assert concept.kind == "indicator"
    assert set(concept.broader) == {str(SDG["1.5"]), str(SDG["11.5"]), str(SDG["13.1"])}


@pytest.mark.parametrize("bad", ["C999999", "18", "5.99", "5.2.9", "SDG", "goal", "x", ""])
def test_unknown_codes_are_refused_with_a_clear_message(bad: str) -> None:
    with pytest.raises(SdgCodeError) as info:
        sdg_iri(bad)
    message = str(info.value)
    assert "SDG code" in message
    if bad.strip():
        assert repr(bad.strip()) in message


def test_code_list_counts() -> None:
    cl = code_list()
    assert len(cl.goals()) == 17
    assert len(cl.targets()) == 169
    assert len(cl.indicators()) > 200
    assert sdg_concept("5").label == "Goal 5: Gender equality"
    assert is_sdg_iri("http://metadata.un.org/sdg/5.2")
    assert not is_sdg_iri("http://metadata.un.org/sdg/C999999")


def test_code_list_holds_codes_not_the_un_sentences() -> None:
    g = rdflib.Graph().parse(SDG_TTL, format="turtle")
    literals = [o for o in g.objects() if isinstance(o, rdflib.Literal)]
    assert literals
    longest = max(literals, key=lambda lit: len(str(lit)))
    # goal and target sentences run to 60+ characters; our labels are "Target 5.2" and the like
    assert len(str(longest)) < 200 or longest in set(g.objects(predicate=SKOS.definition))
    for node in g.subjects(RDF.type, SDGO.Target):
        for label in g.objects(node, SKOS.prefLabel):
            assert len(str(label)) < 20, label


@pytest.mark.shared
def test_code_list_matches_the_official_kos(shared_dir: Path) -> None:
    official = rdflib.Graph().parse(
        shared_dir / "vocab" / "sdg-kos-goals-targets-indicators.ttl", format="turtle"
    )
    ours = rdflib.Graph().parse(SDG_TTL, format="turtle")
    for cls in (SDGO.Goal, SDGO.Target, SDGO.Indicator):
        theirs = set(official.subjects(RDF.type, cls))
        mine = set(ours.subjects(RDF.type, cls))
        assert theirs, cls
        assert mine == theirs, (
            f"{cls}: missing {sorted(theirs - mine)[:5]}, extra {sorted(mine - theirs)[:5]}"
        )
    concepts = set(official.subjects(RDF.type, SKOS.Concept))
    broader_theirs = {(s, o) for s, o in official.subject_objects(SKOS.broader) if s in concepts}
    broader_mine = {(s, o) for s, o in ours.subject_objects(SKOS.broader)}
    assert broader_mine == broader_theirs
    # every compact code the UN gives resolves to the same concept here
    for node in concepts:
        for notation in official.objects(node, SKOS.notation):
            if isinstance(notation, rdflib.Literal) and notation.datatype == SDGO.SDGCodeCompact:
                assert sdg_iri(str(notation)) == str(node)
    # and none of the UN's goal, target or indicator sentences was copied
    their_labels = {str(o) for o in official.objects(None, SKOS.prefLabel)}
    our_literals = {str(o) for o in ours.objects() if isinstance(o, rdflib.Literal)}
    assert not (their_labels & our_literals)
