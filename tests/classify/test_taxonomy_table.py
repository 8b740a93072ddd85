"""Every row of DESIGN Contract 3 and its edges, one small description per case.

Each case builds an initiative from a compact spec: who initiated it, who collaborates, and
the (stage, level) of each recorded engagement. The expected type number and verdict come
from the Contract 3 table, written out here by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import rdflib

from cdkg.classify.verdicts import classify
from cdkg.model.namespaces import CDKG, INITIATIVE_TYPE

PREFIXES = """\
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix stage: <https://w3id.org/cdkg/vocab/stage/> .
@prefix level: <https://w3id.org/cdkg/vocab/participation-level/> .
@prefix coos: <http://id.unece.org/def/coos#> .
@prefix ex: <https://example.org/> .
"""
TYPES = {
    1: "civic-action",
    2: "civic-driven-collaboration",
    3: "jointly-initiated-collaboration",
    4: "nso-driven-collaboration",
    5: "other-actor-driven-collaboration",
    6: "non-collaborative",
}


@dataclass
class Case:
    id: str
    initiators: list[str]
    expected: int
    collaborators: list[str] = field(default_factory=list)
    engagements: list[tuple[str, int]] = field(default_factory=list)
    extra: str = ""


CASES = [
    # row 1 — civic action
    Case("row1-cso-alone", ["CivilSocietyOrganisation"], 1),
    Case("row1-community", ["Community"], 1, engagements=[("collection", 5)]),
    Case("row1-citizen-collaborator", ["CitizenGroup"], 1, collaborators=["Community"]),
    # row 2 — civic-driven collaboration
    Case("row2-with-nso", ["CivilSocietyOrganisation"], 2, ["NationalStatisticalOffice"]),
    Case("row2-with-academia", ["Community"], 2, ["AcademicInstitution"]),
    # row 3 — jointly initiated
    Case("row3-cso-and-nso", ["CivilSocietyOrganisation", "NationalStatisticalOffice"], 3),
    Case("row3-with-non-state-actor", ["CitizenGroup", "PrivateSectorOrganisation"], 3),
    # row 4 — NSO-driven collaboration
    Case("row4-design-level4", ["NationalStatisticalOffice"], 4, engagements=[("design", 4)]),
    Case(
        "row4-collection-level5", ["NationalStatisticalOffice"], 4, engagements=[("collection", 5)]
    ),
    Case(
        "row4-design-substage",
        ["NationalStatisticalOffice"],
        4,
        engagements=[("design-methodology", 4)],
    ),
    Case(
        "row4-nso-with-agency",
        ["NationalStatisticalOffice", "GovernmentAgency"],
        4,
        engagements=[("collection", 4)],
    ),
    Case(
        "row4-aligned-coos-class",
        ["coos:NationalStatisticalInstitute"],
        4,
        engagements=[("collection", 4)],
    ),
    # row 5 — other actor driven
    Case(
        "row5-collection-only-citizen-science",
        ["AcademicInstitution"],
        5,
        engagements=[("collection", 4)],
    ),
    Case("row5-agency-design", ["GovernmentAgency"], 5, engagements=[("design-objectives", 5)]),
    Case(
        "row5-nhri", ["NationalHumanRightsInstitution"], 5, engagements=[("design-partnerships", 4)]
    ),
    # row 6 — non-collaborative
    Case("row6-level3-not-enough", ["NationalStatisticalOffice"], 6, engagements=[("design", 3)]),
    Case(
        "row6-survey-respondents-only",
        ["NationalStatisticalOffice"],
        6,
        engagements=[("collection", 2)],
    ),
    Case(
        "row6-processing-never-counts", ["AcademicInstitution"], 6, engagements=[("processing", 5)]
    ),
    Case(
        "row6-analysis-never-counts",
        ["GovernmentAgency"],
        6,
        engagements=[("analysis-dissemination", 5)],
    ),
    Case(
        "row6-uptake-and-review-never-count",
        ["NationalStatisticalOffice"],
        6,
        engagements=[("uptake", 5), ("impact-review", 5)],
    ),
    Case(
        "row6-citizen-collaborator-without-engagement",
        ["NationalStatisticalOffice"],
        6,
        collaborators=["CivilSocietyOrganisation"],
    ),
    Case("row6-no-engagement", ["PrivateSectorOrganisation"], 6),
    # subclasses defined in the data
    Case(
        "subclass-in-data-citizen",
        ["ex:SlumDwellersFederation"],
        1,
        extra="ex:SlumDwellersFederation rdfs:subClassOf cdkg:CivilSocietyOrganisation .",
    ),
    Case(
        "subclass-in-data-two-levels",
        ["ex:RegionalStatsUnit"],
        4,
        engagements=[("collection", 4)],
        extra="ex:RegionalStatsUnit rdfs:subClassOf ex:StatsBody . "
        "ex:StatsBody rdfs:subClassOf cdkg:NationalStatisticalOffice .",
    ),
    Case(
        "equivalent-class-in-data",
        ["ex:Ngo"],
        1,
        extra="ex:Ngo owl:equivalentClass cdkg:CivilSocietyOrganisation .",
    ),
]


def _class(name: str) -> str:
    return name if ":" in name else f"cdkg:{name}"


def description(case: Case, subject: str = "ex:initiative") -> str:
    lines = [f'{subject} a cdkg:Initiative ; dct:title "{case.id}" .']
    for i, cls in enumerate(case.initiators):
        actor = f"{subject}-init{i}"
        lines.append(f"{subject} cdkg:initiatedBy {actor} . {actor} a {_class(cls)} .")
    for i, cls in enumerate(case.collaborators):
        actor = f"{subject}-collab{i}"
        lines.append(f"{subject} cdkg:collaborator {actor} . {actor} a {_class(cls)} .")
    for i, (stage, level) in enumerate(case.engagements):
        e = f"{subject}-eng{i}"
        lines.append(
            f"{subject} cdkg:hasEngagement {e} . "
            f"{e} a cdkg:Engagement ; cdkg:stage stage:{stage} ; "
            f"cdkg:participationLevel level:{level} ."
        )
    lines.append(case.extra)
    return "\n".join(lines)


def _graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_contract3_row(case: Case) -> None:
    report = classify(_graph(description(case)))
    assert [i.iri for i in report.initiatives] == ["https://example.org/initiative"]
    result = report.initiatives[0]
    assert result.initiative_type == str(INITIATIVE_TYPE[TYPES[case.expected]])
    assert result.type_number == case.expected
    assert result.is_citizen_data is (case.expected != 6)
    assert result.reasons, "every verdict comes with reasons"
    inferred = report.inferred_graph()
    node = rdflib.URIRef(result.iri)
    assert ((node, rdflib.RDF.type, CDKG.CitizenDataInitiative) in inferred) is (case.expected != 6)
    assert len(list(inferred.objects(node, CDKG.initiativeType))) == 1


def test_table_covers_every_row() -> None:
    assert {c.expected for c in CASES} == set(TYPES)


def test_several_initiatives_in_one_file() -> None:
    """One graph, one initiative per row: each gets its own type, sorted by IRI."""
    picks = {n: next(c for c in CASES if c.expected == n) for n in TYPES}
    text = "\n".join(description(case, f"ex:i{n}") for n, case in picks.items())
    report = classify(_graph(text))
    got = {i.iri: i.type_number for i in report.initiatives}
    assert got == {f"https://example.org/i{n}": n for n in TYPES}
    assert [i["iri"] for i in report.to_json()["initiatives"]] == sorted(got)


def test_claimed_type_is_recomputed() -> None:
    """A description that claims its own type gets the type the rules give, nothing else."""
    case = Case("claims", ["NationalStatisticalOffice"], 6, engagements=[("collection", 2)])
    text = description(case) + (
        "\nex:initiative cdkg:initiativeType "
        "<https://w3id.org/cdkg/vocab/initiative-type/civic-action> ;"
        " cdkg:isCitizenData true ; a cdkg:CitizenDataInitiative ."
    )
    report = classify(_graph(text))
    result = report.initiatives[0]
    assert result.type_number == 6
    assert result.is_citizen_data is False
    assert (
        rdflib.URIRef(result.iri),
        rdflib.RDF.type,
        CDKG.CitizenDataInitiative,
    ) not in report.inferred_graph()
