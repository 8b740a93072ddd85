"""PPSR-Core crosswalk: map what maps, keep the rest as notes, never invent levels."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from cdkg.model.namespaces import CDKG
from cdkg.rdf.read import load_graph
from cdkg.sources.ppsr import read_ppsr
from tests.support.paths import EXAMPLES

PROJECTS = EXAMPLES / "ppsr" / "projects.json"
BASE = "https://registry.example.org/"
LANDING_PAGE = URIRef("http://www.w3.org/ns/dcat#landingPage")


def _import(cli, tmp_path: Path, source: Path = PROJECTS):
    out = tmp_path / "ppsr.ttl"
    result = cli("import", str(source), "--out", str(out), "--base-iri", BASE)
    return result, out


def test_mapped_fields(cli, tmp_path: Path) -> None:
    result, out = _import(cli, tmp_path)
    assert result.code == 0, result.err
    graph = load_graph([str(out)])
    frogs = URIRef(BASE + "c2f6a0de-5b1e-4c55-9a77-2f0f1d3e8b41")
    assert (frogs, RDF.type, CDKG.Initiative) in graph
    assert (frogs, DCTERMS.title, Literal("Riverbank Frog Watch")) in graph
    assert graph.value(frogs, DCTERMS.description).startswith("Volunteers walk")
    assert graph.value(frogs, DCTERMS.abstract).startswith("Track how frog")
    assert (frogs, LANDING_PAGE, URIRef("https://example.org/frog-watch")) in graph
    tza = URIRef("http://publications.europa.eu/resource/authority/country/TZA")
    assert (frogs, DCTERMS.spatial, tza) in graph  # "Tanzania, the United Republic of"
    (lead,) = graph.objects(frogs, CDKG.initiatedBy)
    assert (lead, RDF.type, CDKG.AcademicInstitution) in graph  # stated in the record
    (partner,) = graph.objects(frogs, CDKG.collaborator)
    assert (partner, FOAF.name, Literal("Rufiji Village Environment Committees")) in graph
    assert (partner, RDF.type, CDKG.Community) in graph
    # a funder is not a collaborator in producing the data: kept as a note
    notes = {str(n) for n in graph.objects(frogs, SKOS.note)}
    assert "Associated party (PPSR-Core role Sponsor/funder): Wetlands Conservation Fund" in notes
    assert "Project status (PPSR-Core projectStatus): Active" in notes
    assert "PPSR-Core difficultyLevel: Easy" in notes
    assert any("Rufiji delta" in n for n in notes)


def test_no_participation_levels_are_invented_and_the_report_says_so(cli, tmp_path) -> None:
    result, out = _import(cli, tmp_path)
    graph = load_graph([str(out)])
    assert not list(graph.subjects(RDF.type, CDKG.Engagement))
    assert not list(graph.objects(None, CDKG.participationLevel))
    for title in ("Riverbank Frog Watch", "Clean Air at School"):
        assert f"({title}): participation levels left unset: PPSR-Core has no participation " in (
            result.out
        )


def test_unstated_actor_type_is_left_unset_and_reported(cli, tmp_path: Path) -> None:
    result, out = _import(cli, tmp_path)
    graph = load_graph([str(out)])
    parents = URIRef(BASE + "actor/parents-for-clean-air")
    assert (parents, FOAF.name, Literal("Parents for Clean Air")) in graph
    assert not list(graph.objects(parents, RDF.type))
    assert "the actor type of 'Parents for Clean Air' is not stated" in result.out


def test_contact_details_are_not_carried_over(cli, tmp_path: Path) -> None:
    result, out = _import(cli, tmp_path)
    assert "frogwatch@example.org" not in out.read_text(encoding="utf-8")
    assert "projectResponsiblePartyContactEmail" in result.out


def test_every_unmapped_field_survives_as_a_note() -> None:
    doc = json.loads(PROJECTS.read_text(encoding="utf-8"))
    result = read_ppsr(PROJECTS)
    for project, record in zip(doc["projects"], result.records, strict=True):
        text = " ".join(record.notes)
        for key in ("difficultyLevel", "language", "projectScienceType", "projectParticipants"):
            if key in project:
                assert f"PPSR-Core {key}" in text


def test_bad_records_name_project_and_key(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [
                {"projectName": "Fine"},
                {"projectAim": "no name"},
                {"projectName": "Bad date", "projectStartDate": "last spring"},
                {
                    "projectName": "Bad type",
                    "projectResponsiblePartyName": "X",
                    "projectResponsiblePartyType": "NGO",
                },
                {"projectName": "Bad address", "projectUrl": "https://exa}ple.org/frog-watch"},
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "never.ttl"
    result = cli("import", str(bad), "--out", str(out))
    assert result.code == 2
    assert not out.exists()
    assert "bad.json: project 2: projectName: missing" in result.err
    assert "project 3: projectStartDate: 'last spring' is not an ISO 8601 date" in result.err
    assert "project 4: projectResponsiblePartyType: 'NGO' is not allowed" in result.err
    # found by the fuzz test: an address that is no IRI failed only when written out
    assert "project 5: projectUrl: 'https://exa}ple.org/frog-watch' is not a web address" in (
        result.err
    )


def test_invalid_json_names_line_and_column(cli, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"projectName": "x",\n  oops}', encoding="utf-8")
    result = cli("import", str(bad))
    assert result.code == 2
    assert "broken.json:2:" in result.err and "not valid JSON" in result.err


def test_from_option_reads_ppsr_whatever_the_extension(cli, tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    renamed.write_bytes(PROJECTS.read_bytes())
    result = cli("import", str(renamed), "--from", "ppsr")
    assert result.code == 0, result.err
    assert "Riverbank Frog Watch" in result.out
