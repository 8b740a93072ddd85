"""The synthetic registry generator (``cdkg bench generate``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import rdflib

from cdkg.model.namespaces import CDKG
from cdkg.rdf.read import load_graph
from cdkg.sources.synthetic import ASSESSMENT_KINDS, ERROR_KINDS, UNKNOWN_INITIATOR, generate
from cdkg.validate.run import run


def _digest(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_deterministic_for_a_seed_whatever_the_workers(tmp_path: Path) -> None:
    a = generate(120, out=tmp_path / "a", seed=7, chunk_size=50)
    b = generate(120, out=tmp_path / "b", seed=7, chunk_size=50, workers=2)
    generate(120, out=tmp_path / "c", seed=8, chunk_size=50)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert a.to_json() == b.to_json()
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    assert a.files == ["initiatives-00000.ttl", "initiatives-00001.ttl", "initiatives-00002.ttl"]


def test_counts_and_shared_long_tailed_actors(tmp_path: Path) -> None:
    manifest = generate(400, out=tmp_path, seed=1, chunk_size=100)
    graph = load_graph([str(tmp_path)])
    initiatives = set(graph.subjects(rdflib.RDF.type, CDKG.Initiative))
    assert len(initiatives) == 400
    assert manifest.triples >= len(graph)  # files repeat shared actor descriptions
    uses = Counter(o for _s, o in graph.subject_objects(CDKG.initiatedBy))
    most, typical = uses.most_common(1)[0][1], sorted(uses.values())[len(uses) // 2]
    assert most >= 10 * typical, "a few actors take part in many initiatives"
    engagements = Counter(s for s, _o in graph.subject_objects(CDKG.hasEngagement))
    assert max(engagements.values()) <= 10
    assert len(initiatives) > len(engagements), "some initiatives record no engagement"
    datasets = set(
        graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset"))
    )
    licensed = {d for d in datasets if (d, rdflib.DCTERMS.license, None) in graph}
    assert datasets and licensed and licensed != datasets
    # what initiatives state of themselves: some state it, some do not, every value is a
    # concept of its scheme (so the principles, population-group and integration-status
    # queries have something to count)
    for prop, scheme in (
        (CDKG.principle, "principle"),
        (CDKG.populationGroup, "population-group"),
        (CDKG.integrationStatus, "integration-status"),
    ):
        stating = set(graph.subjects(prop, None))
        assert stating and stating < initiatives, prop
        prefix = f"https://w3id.org/cdkg/vocab/{scheme}/"
        assert all(str(o).startswith(prefix) for o in graph.objects(None, prop)), prop
    assert max(Counter(s for s, _o in graph.subject_objects(CDKG.principle)).values()) == 10


def test_all_six_types_and_exactly_the_injected_errors(tmp_path: Path) -> None:
    from cdkg.classify.verdicts import classify

    manifest = generate(600, out=tmp_path, seed=3, chunk_size=200)
    assert set(manifest.errors) == {*ERROR_KINDS, UNKNOWN_INITIATOR}
    report = classify(load_graph([str(tmp_path)]), engine="fast")
    assert {i.type_number for i in report.initiatives} == {1, 2, 3, 4, 5, 6, None}
    # every injected error is reported as a violation, and nothing else is
    expected: set[str] = set()
    for kind, iris in manifest.errors.items():
        for iri in iris:
            if kind == "untyped-initiator":
                expected.add(iri.replace("/initiative/i", "/actor/untyped-"))
            elif kind == UNKNOWN_INITIATOR:
                expected.add(iri.replace("/initiative/i", "/actor/unspecified-"))
            elif kind.startswith(("engagement", "unknown-stage")):
                expected.add(iri + "#engagement-1")
            else:
                expected.add(iri)
    violations = {
        r.focus_node for r in report.validation.results if r.severity.endswith("Violation")
    }
    assert violations == expected


def test_cli_writes_files_and_manifest(cli, tmp_path: Path) -> None:
    out, manifest = tmp_path / "reg", tmp_path / "manifest.json"
    result = cli("bench", "generate", "--initiatives", "30", "--seed", "2", "--out", str(out),
                 "--chunk-size", "10", "--manifest", str(manifest))  # fmt: skip
    assert result.code == 0, result.err
    assert "wrote 30 initiatives" in result.out
    assert len(list(out.glob("*.ttl"))) == 3
    assert json.loads(manifest.read_text())["initiatives"] == 30
    assert run(load_graph([str(out)]), "fast").report.results is not None


def test_cli_bad_input_is_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for argv in (
        ["--initiatives", "0", "--out", str(tmp_path / "x")],
        ["--initiatives", "5", "--out", str(a_file)],
        [
            "--initiatives",
            "5",
            "--out",
            str(tmp_path / "y"),
            "--manifest",
            str(tmp_path / "y" / "m.json"),
        ],
    ):
        result = cli("bench", "generate", *argv)
        assert result.code == 2, argv
        assert "Traceback" not in result.err and result.err.strip()
    generate(5, out=tmp_path / "z")
    again = cli("bench", "generate", "--initiatives", "5", "--out", str(tmp_path / "z"))
    assert again.code == 2 and "already holds" in again.err


def test_every_row_and_verdict_of_revision_2_and_the_recorded_assessments(tmp_path: Path) -> None:
    """Rows 7-9 (to be assessed), assessments that settle, agree and contradict (Contract 3)."""
    from cdkg.classify.verdicts import classify

    manifest = generate(400, out=tmp_path, seed=4, chunk_size=200)
    assert set(manifest.assessments) == set(ASSESSMENT_KINDS)
    graph = load_graph([str(tmp_path)])
    report = classify(graph, engine="fast")
    by_iri = {i.iri: i for i in report.initiatives}
    shares = Counter(i.verdict for i in report.initiatives)
    assert set(shares) == {"citizen-data", "not-citizen-data", "to-be-assessed"}
    assert 0.05 < shares["to-be-assessed"] / len(by_iri) < 0.4
    facts = Counter(m.fact for i in report.initiatives for m in i.missing)
    # row 7 (no citizen engagement), row 8 (only CSOs not engaging citizens directly), row 9
    assert facts["participation-at-collection"] and facts["cso-engages-citizens-directly"]
    assert 0 < facts["initiator-actor-type"] <= 0.03 * len(by_iri), "row 9 is a Violation too"
    # engagements whose engaged actors are all non-citizen actors (they count for nothing)
    assert any(r.source_shape.endswith("#EngagedActorIsCitizen") for r in report.validation.results)

    def outcomes(iri: str) -> set[bool]:
        node = rdflib.URIRef(iri)
        found = graph.objects(node, CDKG.assessment)
        return {bool(o.toPython()) for a in found for o in graph.objects(a, CDKG.outcome)}

    for iri in manifest.assessments["settles"]:
        result = by_iri[iri]
        assert result.assessment is not None
        assert {result.is_citizen_data} == outcomes(iri), iri
    for iri in manifest.assessments["disagree"]:
        assert by_iri[iri].verdict == "to-be-assessed" and outcomes(iri) == {True, False}
    for iri in manifest.assessments["agrees"]:
        assert {by_iri[iri].is_citizen_data} == outcomes(iri), iri
    for iri in manifest.assessments["contradicts"]:
        assert {by_iri[iri].is_citizen_data} == {not o for o in outcomes(iri)}, iri
    # exactly the contradicting assessments are reported, as Warnings
    contradicted = {
        r.focus_node
        for r in report.validation.results
        if r.source_shape.endswith("#AssessmentContradictsRules")
    }
    assert contradicted == set(manifest.assessments["contradicts"])
    assessed = {i.iri for i in report.initiatives if i.assessment is not None}
    assert assessed == {iri for iris in manifest.assessments.values() for iri in iris}
