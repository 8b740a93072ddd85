"""The ontology and vocabularies hold every IRI of DESIGN Contracts 1-2, as the contract says."""

from __future__ import annotations

import pytest
import rdflib.namespace as ns
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from cdkg.model.namespaces import (
    CDKG,
    COOS,
    GSBPM_PHASE,
    INITIATIVE_TYPE,
    PARTICIPATION_LEVEL,
    SDG,
    SDGO,
    STAGE,
)
from cdkg.model.ontology import ontology_graph

ACTOR_GROUPS = {
    "CitizenActor": ["CitizenGroup", "Community", "CivilSocietyOrganisation"],
    "StateActor": [
        "NationalStatisticalOffice",
        "GovernmentAgency",
        "NationalHumanRightsInstitution",
    ],
    "OtherActor": ["AcademicInstitution", "PrivateSectorOrganisation", "InternationalOrganisation"],
}
CONCEPT_CLASSES = [
    "ParticipationLevel",
    "Stage",
    "InitiativeType",
    "Principle",
    "Objective",
    "Enabler",
    "IntegrationStatus",
    "Practice",
    "CollectionMethod",
    "PopulationGroup",
]
# property -> (domain, range) as DESIGN Contract 2 states them
OBJECT_PROPERTIES = {
    "initiatedBy": ("Initiative", "Actor"),
    "collaborator": ("Initiative", "Actor"),
    "hasEngagement": ("Initiative", "Engagement"),
    "stage": ("Engagement", "Stage"),
    "participationLevel": ("Engagement", "ParticipationLevel"),
    "engagedActor": ("Engagement", "Actor"),
    "objective": ("Initiative", "Objective"),
    "practice": ("Initiative", "Practice"),
    "collectionMethod": ("Initiative", "CollectionMethod"),
    "populationGroup": ("Initiative", "PopulationGroup"),
    "integrationStatus": ("Initiative", "IntegrationStatus"),
    "initiativeType": ("Initiative", "InitiativeType"),
}
DATATYPE_PROPERTIES = {
    "directlyEngagesCitizens": ("CivilSocietyOrganisation", ns.XSD.boolean),
    "isCitizenData": ("Initiative", ns.XSD.boolean),
    "rank": ("ParticipationLevel", ns.XSD.integer),
}


def test_core_classes_and_alignments() -> None:
    g = ontology_graph()
    for name in ["Initiative", "Engagement", "Actor", "CitizenDataInitiative", *CONCEPT_CLASSES]:
        assert (CDKG[name], RDF.type, OWL.Class) in g, name
    assert (CDKG.Initiative, RDFS.subClassOf, PROV.Activity) in g
    assert (CDKG.Actor, RDFS.subClassOf, PROV.Agent) in g
    assert (CDKG.CitizenDataInitiative, RDFS.subClassOf, CDKG.Initiative) in g
    assert (CDKG.NationalStatisticalOffice, RDFS.subClassOf, COOS.StatisticalOrganization) in g
    for name in CONCEPT_CLASSES:
        assert (CDKG[name], RDFS.subClassOf, SKOS.Concept) in g, name


@pytest.mark.parametrize("group", sorted(ACTOR_GROUPS))
def test_actor_hierarchy(group: str) -> None:
    g = ontology_graph()
    assert (CDKG[group], RDFS.subClassOf, CDKG.Actor) in g
    for member in ACTOR_GROUPS[group]:
        assert (CDKG[member], RDFS.subClassOf, CDKG[group]) in g, member
        assert (CDKG[member], RDF.type, OWL.Class) in g


def test_citizen_actors_are_disjoint_from_the_other_groups() -> None:
    g = ontology_graph()
    disjoint = {(a, b) for a, b in g.subject_objects(OWL.disjointWith)}
    disjoint |= {(b, a) for a, b in disjoint}
    assert (CDKG.CitizenActor, CDKG.StateActor) in disjoint
    assert (CDKG.CitizenActor, CDKG.OtherActor) in disjoint


@pytest.mark.parametrize("prop", sorted(OBJECT_PROPERTIES))
def test_object_property_domain_and_range(prop: str) -> None:
    g = ontology_graph()
    domain, range_ = OBJECT_PROPERTIES[prop]
    assert (CDKG[prop], RDF.type, OWL.ObjectProperty) in g
    assert set(g.objects(CDKG[prop], RDFS.domain)) == {CDKG[domain]}
    assert set(g.objects(CDKG[prop], RDFS.range)) == {CDKG[range_]}


@pytest.mark.parametrize("prop", sorted(DATATYPE_PROPERTIES))
def test_datatype_property_domain_and_range(prop: str) -> None:
    g = ontology_graph()
    domain, range_ = DATATYPE_PROPERTIES[prop]
    assert (CDKG[prop], RDF.type, OWL.DatatypeProperty) in g
    assert set(g.objects(CDKG[prop], RDFS.domain)) == {CDKG[domain]}
    assert set(g.objects(CDKG[prop], RDFS.range)) == {range_}


def test_addresses_sdg_ranges_over_goals_targets_and_indicators() -> None:
    g = ontology_graph()
    (range_,) = g.objects(CDKG.addressesSdg, RDFS.range)
    members = set(g.items(g.value(range_, OWL.unionOf)))
    assert members == {SDGO.Goal, SDGO.Target, SDGO.Indicator}


def test_participation_levels_rank_and_sufficiency() -> None:
    g = ontology_graph()
    labels = ["Information", "Consultation", "Conciliatory", "Partnership", "Self-determination"]
    for n, label in enumerate(labels, start=1):
        level = PARTICIPATION_LEVEL[str(n)]
        assert (level, RDF.type, CDKG.ParticipationLevel) in g
        assert g.value(level, CDKG.rank) == Literal(n, datatype=ns.XSD.integer)
        assert g.value(level, CDKG.sufficient) == Literal(n >= 4)
        assert g.value(level, SKOS.notation) == Literal(str(n))
        assert Literal(label, lang="en") in set(g.objects(level, SKOS.prefLabel))


def test_stages_hierarchy_and_gsbpm_phases() -> None:
    g = ontology_graph()
    expected = {
        "design": {1, 2},
        "collection": {3, 4},
        "processing": {5},
        "analysis-dissemination": {6, 7},
        "uptake": {7},
        "impact-review": {8},
    }
    for code, phases in expected.items():
        assert (STAGE[code], RDF.type, CDKG.Stage) in g
        got = {int(str(p).rsplit("/", 1)[1]) for p in g.objects(STAGE[code], CDKG.gsbpmPhase)}
        assert got == phases, code
        assert all(
            str(p).startswith(str(GSBPM_PHASE)) for p in g.objects(STAGE[code], CDKG.gsbpmPhase)
        )
    parts = {"design-objectives", "design-partnerships", "design-methodology", "design-access-use"}
    assert {str(n).rsplit("/", 1)[1] for n in g.objects(STAGE.design, SKOS.narrower)} == parts
    for part in parts:
        assert (STAGE[part], SKOS.broader, STAGE.design) in g
    all_stages = set(g.subjects(RDF.type, CDKG.Stage))
    assert len(all_stages) == 10


def test_initiative_types_are_numbered_1_to_6() -> None:
    g = ontology_graph()
    codes = [
        "civic-action",
        "civic-driven-collaboration",
        "jointly-initiated-collaboration",
        "nso-driven-collaboration",
        "other-actor-driven-collaboration",
        "non-collaborative",
    ]
    for n, code in enumerate(codes, start=1):
        concept = INITIATIVE_TYPE[code]
        assert (concept, RDF.type, CDKG.InitiativeType) in g
        assert g.value(concept, SKOS.notation) == Literal(str(n))
        assert g.value(concept, CDKG.typeNumber) == Literal(n, datatype=ns.XSD.integer)
    assert len(set(g.subjects(RDF.type, CDKG.InitiativeType))) == 6


def test_ontology_graph_includes_the_sdg_code_list() -> None:
    g = ontology_graph()
    assert (SDG["5"], RDF.type, SDGO.Goal) in g
    assert (SDG["C050201"], SKOS.broader, SDG["5.2"]) in g
    assert (URIRef("http://metadata.un.org/sdg/5.2"), SKOS.broader, SDG["5"]) in g
