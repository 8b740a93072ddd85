"""Settling a to-be-assessed case (cdkg.sources.settle): only the missing facts are asked,
the answers become facts and a recorded assessment, and the rules decide from them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV

from cdkg.errors import InputError
from cdkg.model.namespaces import CDKG
from cdkg.sources.settle import MappingAnswers, open_case, questions, settle

PREFIXES = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/i/> .
"""
#: Row 7: no citizen-side initiator, no engagement recorded.
ACADEMIC = (
    PREFIXES
    + """ex:study a cdkg:Initiative ; dct:title "Air quality study" ; cdkg:initiatedBy ex:uni .
ex:uni a cdkg:AcademicInstitution ; foaf:name "City University" .
"""
)
#: Row 8: only a civil society organisation that does not engage citizens directly.
DOUBTFUL = (
    PREFIXES
    + """ex:points a cdkg:Initiative ; dct:title "Water points" ; cdkg:initiatedBy ex:net .
ex:net a cdkg:CivilSocietyOrganisation ; foaf:name "Water Network" ;
    cdkg:directlyEngagesCitizens false .
"""
)
#: Row 9: an initiator of no known kind.
UNKNOWN = (
    PREFIXES
    + """ex:count a cdkg:Initiative ; dct:title "Mystery count" ; cdkg:initiatedBy ex:who .
ex:who foaf:name "Someone" .
"""
)
#: Row 1: decided by the rules.
CIVIC = (
    PREFIXES
    + """ex:river a cdkg:Initiative ; dct:title "River count" ; cdkg:initiatedBy ex:fishers .
ex:fishers a cdkg:Community ; foaf:name "Fishers" .
"""
)
TODAY = date(2025, 5, 1)
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
WHO = {"assessed_by": "Registry keeper", "reason": "Checked with the team."}


def _case(text: str, name: str) -> Any:
    return open_case(Graph().parse(data=text, format="turtle"), f"https://example.org/i/{name}")


def _settle(text: str, name: str, **answers: Any) -> Any:
    answered = MappingAnswers({**WHO, **answers}, "answers.yaml")
    return settle(_case(text, name), answered, today=TODAY)


def _assessment(graph: Graph, iri: str) -> URIRef:
    found = list(graph.objects(URIRef(iri), CDKG.assessment))
    assert len(found) == 1, found
    return found[0]  # type: ignore[return-value]


def test_only_the_missing_facts_are_asked() -> None:
    keys = {
        "study": ["participation.design", "participation.collection"],
        "points": [
            "participation.design",
            "participation.collection",
            "engages_citizens_directly.Water Network",
        ],
        "count": ["actor_types.Someone"],
        "river": [],
    }
    cases = ((ACADEMIC, "study"), (DOUBTFUL, "points"), (UNKNOWN, "count"), (CIVIC, "river"))
    for text, name in cases:
        case = _case(text, name)
        assert case.open is (name != "river")
        assert [q.key for q in questions(case.graph, case.iri, case.result)] == keys[name]


def test_an_outcome_settles_row_7_with_provenance() -> None:
    done = _settle(
        ACADEMIC,
        "study",
        participation={"design": "don't know", "collection": "?"},
        outcome="citizen data",
    )
    assert (done.result.verdict, done.result.type_number) == ("citizen-data", 5)
    node = _assessment(done.graph, "https://example.org/i/study")
    g = done.graph
    assert (node, RDF.type, CDKG.Assessment) in g
    assert g.value(node, CDKG.outcome) == Literal(True)
    assert g.value(node, DCTERMS.date) == Literal("2025-05-01", datatype=XSD_DATE)
    assert str(g.value(node, DCTERMS.description)) == "Checked with the team."
    agent = g.value(node, PROV.wasAttributedTo)
    assert agent == URIRef("https://w3id.org/cdkg/id/actor/registry-keeper")  # minted
    assert (agent, RDF.type, PROV.Agent) in g
    assert str(g.value(agent, FOAF.name)) == "Registry keeper"
    assert not list(g.objects(URIRef("https://example.org/i/study"), CDKG.hasEngagement))
    assert done.result.assessment is not None and done.result.assessment.outcome is True
    assert "citizens' say in design: not known" in done.facts


def test_an_iri_names_who_is_assessing_and_an_email_is_refused() -> None:
    done = _settle(ACADEMIC, "study", outcome="no", assessed_by="https://example.org/people/keeper")
    node = _assessment(done.graph, "https://example.org/i/study")
    assert done.graph.value(node, PROV.wasAttributedTo) == URIRef(
        "https://example.org/people/keeper"
    )
    assert (done.result.verdict, done.result.type_number) == ("not-citizen-data", 6)
    for contact in ("keeper@example.org", "mailto:keeper@example.org"):
        with pytest.raises(InputError) as caught:
            _settle(ACADEMIC, "study", outcome="no", assessed_by=contact)
        assert "assessed_by: contact details are not recorded" in str(caught.value)


def test_facts_that_decide_need_no_outcome() -> None:
    done = _settle(ACADEMIC, "study", participation={"design": 4})
    assert done.decided_by_facts
    assert (done.result.verdict, done.result.type_number) == ("citizen-data", 5)
    assert done.outcome is True and not done.contradicts_rules
    assert "citizens' say in design: level 4 (Partnership)" in done.facts
    with pytest.raises(InputError) as caught:
        _settle(ACADEMIC, "study", participation={"design": 4}, outcome="not citizen data")
    assert "the facts answered decide it (citizen data)" in str(caught.value)


def test_levels_that_would_read_unknown_as_no_are_held_back() -> None:
    done = _settle(
        ACADEMIC,
        "study",
        participation={"design": "?", "collection": 2},
        outcome="not citizen data",
    )
    assert done.result.verdict == "not-citizen-data"  # by the assessment, not by row 6
    assert done.result.assessment is not None
    assert not list(done.graph.objects(URIRef("https://example.org/i/study"), CDKG.hasEngagement))
    node = _assessment(done.graph, "https://example.org/i/study")
    notes = " ".join(str(o) for o in done.graph.objects(node, None) if isinstance(o, Literal))
    assert "data collection: level 2 (Consultation)" in notes
    # without an outcome the case stays open: the answers file is refused
    with pytest.raises(InputError) as caught:
        _settle(ACADEMIC, "study", participation={"design": "?", "collection": 2})
    assert "outcome: missing" in str(caught.value)


def test_a_cso_that_engages_directly_decides_row_8() -> None:
    done = _settle(DOUBTFUL, "points", engages_citizens_directly="yes")
    assert (done.result.verdict, done.result.type_number) == ("citizen-data", 1)
    net = URIRef("https://example.org/i/net")
    assert list(done.graph.objects(net, CDKG.directlyEngagesCitizens)) == [Literal(True)]
    assert done.decided_by_facts


def test_an_actor_type_then_asks_what_it_brings_up() -> None:
    """Row 9 → with the kind given, row 7: its participation is asked too."""
    done = _settle(UNKNOWN, "count", actor_types="NSO", participation={"design": 5})
    assert (done.result.verdict, done.result.type_number) == ("citizen-data", 4)
    assert (URIRef("https://example.org/i/who"), RDF.type, CDKG.NationalStatisticalOffice) in (
        done.graph
    )


def test_wrong_unknown_and_unasked_answers_are_named() -> None:
    with pytest.raises(InputError) as caught:
        _settle(
            CIVIC,
            "river",
            outcome="perhaps",
            participation={"design": 4},
            colour="blue",
        )
    text = str(caught.value)
    assert "answers.yaml: outcome: 'perhaps' is not allowed" in text
    assert "answers.yaml: participation.design: not asked" in text
    assert "answers.yaml: colour: unknown question" in text
    with pytest.raises(InputError) as caught:
        _settle(ACADEMIC, "study", participation={"design": 9}, outcome="yes")
    assert "participation.design: '9' is not allowed" in str(caught.value)
    with pytest.raises(InputError) as caught:
        settle(_case(ACADEMIC, "study"), MappingAnswers({"outcome": "yes"}, "a.yaml"))
    assert "a.yaml: assessed_by: missing" in str(caught.value)
    assert "a.yaml: reason: missing" in str(caught.value)


def test_forced_on_a_decided_case_the_rules_stand() -> None:
    done = _settle(CIVIC, "river", outcome="not citizen data")
    assert done.result.verdict == "citizen-data"
    assert done.contradicts_rules
    shapes = {f.source_shape.rsplit("#", 1)[-1] for f in done.result.findings}
    assert "AssessmentContradictsRules" in shapes


def test_a_new_assessment_replaces_the_earlier_ones() -> None:
    assessed = (
        ACADEMIC
        + """ex:study cdkg:assessment [ a cdkg:Assessment ; cdkg:outcome true ;
    prov:wasAttributedTo [ a prov:Agent ; foaf:name "First keeper" ] ;
    dct:date "2024-01-01"^^xsd:date ; dct:description "First look." ] ,
  [ a cdkg:Assessment ; cdkg:outcome false ; dct:date "2024-02-01"^^xsd:date ] .
"""
    )
    case = _case(assessed, "study")
    assert case.open  # assessments that disagree leave it open
    done = settle(case, MappingAnswers({**WHO, "outcome": "no"}, "a.yaml"), today=TODAY)
    assert (done.result.verdict, done.result.type_number) == ("not-citizen-data", 6)
    _assessment(done.graph, "https://example.org/i/study")
    assert sorted(done.replaced) == [
        "citizen data, by First keeper, on 2024-01-01",
        "not citizen data, on 2024-02-01",
    ]
    assert not list(done.graph.triples((None, DCTERMS.description, Literal("First look."))))
