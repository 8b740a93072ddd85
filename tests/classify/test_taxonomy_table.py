"""Every row of DESIGN Contract 3 and its edges, one small description per case.

Each case builds an initiative from a compact spec: who initiated it, who collaborates, and
the (stage, level) of each recorded engagement. The expected type number, verdict and missing
facts come from the Contract 3 table (revision 2), written out here by hand; each case runs on
both engines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import rdflib

from cdkg.classify.verdicts import classify
from cdkg.model.namespaces import CDKG, INITIATIVE_TYPE, VERDICT

PREFIXES = """\
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix stage: <https://w3id.org/cdkg/vocab/stage/> .
@prefix level: <https://w3id.org/cdkg/vocab/participation-level/> .
@prefix coos: <http://id.unece.org/def/coos#> .
@prefix ex: <https://example.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
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
    #: The type number Contract 3 gives (None where it gives none).
    expected: int | None
    collaborators: list[str] = field(default_factory=list)
    #: (stage, level) or (stage, level, [engaged actor classes]) per recorded engagement.
    engagements: list[tuple[Any, ...]] = field(default_factory=list)
    extra: str = ""
    #: The verdict; by default citizen data for types 1–5, not citizen data for type 6.
    verdict: str = ""
    #: Outcomes of recorded assessments.
    assessments: list[bool] = field(default_factory=list)
    #: Initiators (by position) that are civil society organisations not engaging
    #: citizens directly (¶30).
    doubtful: list[int] = field(default_factory=list)
    #: The facts a to-be-assessed verdict lists.
    missing: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.verdict:
            self.verdict = "not-citizen-data" if self.expected == 6 else "citizen-data"


LEVELS = {"participation-at-design", "participation-at-collection", "assessment"}

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
    Case(
        "row3-a-doubtful-cso-beside-a-community",
        ["CivilSocietyOrganisation", "Community", "GovernmentAgency"],
        3,
        doubtful=[0],
    ),
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
    Case(
        "row4-citizens-named-as-engaged",
        ["NationalStatisticalOffice"],
        4,
        engagements=[("collection", 4, ["CitizenGroup", "GovernmentAgency"])],
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
        "row6-a-ministry-engaged-beside-citizens-at-level-2",
        ["AcademicInstitution"],
        6,
        engagements=[("collection", 5, ["GovernmentAgency"]), ("collection", 2)],
    ),
    Case(
        "row6-assessment-contradicting-the-rules-does-not-count",
        ["NationalStatisticalOffice"],
        6,
        engagements=[("collection", 2)],
        assessments=[True],
    ),
    # row 7 — no engagement recorded: to be assessed
    Case(
        "row7-no-engagement",
        ["PrivateSectorOrganisation"],
        None,
        verdict="to-be-assessed",
        missing=LEVELS,
    ),
    Case(
        "row7-citizen-collaborator-without-engagement",
        ["NationalStatisticalOffice"],
        None,
        collaborators=["CivilSocietyOrganisation"],
        verdict="to-be-assessed",
        missing=LEVELS,
    ),
    Case(
        "row7-only-a-ministry-engaged",
        ["AcademicInstitution"],
        None,
        engagements=[("collection", 5, ["GovernmentAgency"])],
        verdict="to-be-assessed",
        missing=LEVELS,
    ),
    Case(
        "row7-assessed-citizen-data-nso",
        ["NationalStatisticalOffice"],
        4,
        assessments=[True],
    ),
    Case("row7-assessed-citizen-data-other", ["AcademicInstitution"], 5, assessments=[True]),
    Case("row7-assessed-not-citizen-data", ["GovernmentAgency"], 6, assessments=[False]),
    Case(
        "row7-assessments-disagree",
        ["GovernmentAgency"],
        None,
        assessments=[True, False],
        verdict="to-be-assessed",
        missing=LEVELS,
    ),
    # row 8 — only CSOs that do not engage citizens directly
    Case(
        "row8-doubtful-cso-alone",
        ["CivilSocietyOrganisation"],
        1,
        doubtful=[0],
        verdict="to-be-assessed",
        missing=LEVELS | {"cso-engages-citizens-directly"},
    ),
    Case(
        "row8-doubtful-cso-with-nso-collaborator",
        ["CivilSocietyOrganisation"],
        2,
        ["NationalStatisticalOffice"],
        doubtful=[0],
        engagements=[("collection", 3)],
        verdict="to-be-assessed",
        missing=LEVELS | {"cso-engages-citizens-directly"},
    ),
    Case(
        "row8-doubtful-cso-and-agency",
        ["CivilSocietyOrganisation", "GovernmentAgency"],
        3,
        doubtful=[0],
        verdict="to-be-assessed",
        missing=LEVELS | {"cso-engages-citizens-directly"},
    ),
    Case(
        "row8-prime-citizens-engaged",
        ["CivilSocietyOrganisation"],
        1,
        doubtful=[0],
        engagements=[("collection", 4)],
    ),
    Case(
        "row8-assessed-citizen-data",
        ["CivilSocietyOrganisation"],
        1,
        doubtful=[0],
        assessments=[True],
    ),
    Case(
        "row8-assessed-not-citizen-data",
        ["CivilSocietyOrganisation"],
        1,
        doubtful=[0],
        assessments=[False],
        verdict="not-citizen-data",
    ),
    # row 9 — an initiator of no known actor class
    Case(
        "row9-untyped-initiator",
        ["ex:Ngo"],
        None,
        verdict="to-be-assessed",
        missing={"initiator-actor-type", "assessment"},
    ),
    Case(
        "row9-unknown-beside-a-community",
        ["Community", "ex:Thing"],
        None,
        verdict="to-be-assessed",
        missing={"initiator-actor-type", "assessment"},
    ),
    Case("row9-assessed-citizen-data", ["ex:Ngo"], None, assessments=[True]),
    Case(
        "row9-assessed-not-citizen-data",
        ["ex:Ngo"],
        None,
        assessments=[False],
        verdict="not-citizen-data",
    ),
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
        if i in case.doubtful:
            lines.append(f"{actor} cdkg:directlyEngagesCitizens false .")
    for i, cls in enumerate(case.collaborators):
        actor = f"{subject}-collab{i}"
        lines.append(f"{subject} cdkg:collaborator {actor} . {actor} a {_class(cls)} .")
    for i, (stage, level, *engaged) in enumerate(case.engagements):
        e = f"{subject}-eng{i}"
        lines.append(
            f"{subject} cdkg:hasEngagement {e} . "
            f"{e} a cdkg:Engagement ; cdkg:stage stage:{stage} ; "
            f"cdkg:participationLevel level:{level} ."
        )
        for j, cls in enumerate(engaged[0] if engaged else []):
            lines.append(f"{e} cdkg:engagedActor {e}-actor{j} . {e}-actor{j} a {_class(cls)} .")
    for i, outcome in enumerate(case.assessments):
        a = f"{subject}-assessment{i}"
        lines.append(
            f"{subject} cdkg:assessment {a} . {a} a cdkg:Assessment ; "
            f"cdkg:outcome {str(outcome).lower()} ; "
            f'prov:wasAttributedTo ex:keeper ; dct:date "2026-11-0{i + 1}"^^xsd:date ; '
            f'dct:description "assessed for the test" .'
        )
    lines.append(case.extra)
    return "\n".join(lines)


def _graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_contract3_row(case: Case, engine: str) -> None:
    report = classify(_graph(description(case)), engine=engine)
    assert [i.iri for i in report.initiatives] == ["https://example.org/initiative"]
    result = report.initiatives[0]
    citizen_data = {"citizen-data": True, "not-citizen-data": False}.get(case.verdict)
    assert result.verdict == case.verdict
    assert result.to_json()["verdict"] == case.verdict
    if case.expected is None:
        assert result.initiative_type is None
    else:
        assert result.initiative_type == str(INITIATIVE_TYPE[TYPES[case.expected]])
    assert result.type_number == case.expected
    assert result.is_citizen_data is citizen_data
    assert result.reasons, "every verdict comes with reasons"
    assert {m.fact for m in result.missing} == case.missing
    assert all(m.message for m in result.missing)
    assert (result.assessment is None) is (not case.assessments)
    inferred = report.inferred_graph()
    node = rdflib.URIRef(result.iri)
    assert ((node, rdflib.RDF.type, CDKG.CitizenDataInitiative) in inferred) is (
        citizen_data is True
    )
    assert list(inferred.objects(node, CDKG.verdict)) == [VERDICT[case.verdict]]
    assert len(list(inferred.objects(node, CDKG.initiativeType))) == (
        0 if case.expected is None else 1
    )
    assert len(list(inferred.objects(node, CDKG.isCitizenData))) == (
        0 if citizen_data is None else 1
    )
    contradiction = [f for f in result.findings if f.source_shape.endswith("ContradictsRules")]
    contradicts = any(outcome is not citizen_data for outcome in case.assessments) and (
        case.id.startswith(("row1", "row2", "row3", "row4", "row5", "row6"))
        or case.id == "row8-prime-citizens-engaged"
    )
    assert bool(contradiction) is contradicts


def test_table_covers_every_row() -> None:
    assert {c.expected for c in CASES} == {*TYPES, None}
    rows = {c.id.split("-")[0] for c in CASES if c.id.startswith("row")}
    assert rows == {f"row{n}" for n in range(1, 10)}
    verdicts = {c.verdict for c in CASES}
    assert verdicts == {"citizen-data", "not-citizen-data", "to-be-assessed"}


def test_an_assessment_where_the_rules_decide_is_a_warning_and_changes_nothing() -> None:
    case = Case(
        "override-refused",
        ["NationalStatisticalOffice"],
        6,
        engagements=[("design", 2)],
        assessments=[True],
    )
    result = classify(_graph(description(case))).initiatives[0]
    assert result.verdict == "not-citizen-data" and result.type_number == 6
    (warning,) = [f for f in result.findings if f.source_shape.endswith("ContradictsRules")]
    assert warning.severity_name == "Warning"
    assert warning.focus_node == result.iri


def test_several_initiatives_in_one_file() -> None:
    """One graph, one initiative per row: each gets its own type, sorted by IRI."""
    picks = {
        n: next(c for c in CASES if c.expected == n and not c.assessments and not c.doubtful)
        for n in TYPES
    }
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
