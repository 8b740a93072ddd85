"""cdkg assess --initiative: settling a registry's to-be-assessed case without writing RDF."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV

from cdkg.classify.verdicts import classify
from cdkg.load.loader import load
from cdkg.model.namespaces import CDKG, VERDICT
from cdkg.rdf.read import load_graph
from cdkg.store import Store, open_store
from cdkg.store.contents import stored_descriptions
from cdkg.store.endpoint import EndpointStore
from cdkg.store.layout import inferred_graph, source_graph

DESCRIPTIONS = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix ex: <https://example.org/i/> .

ex:study a cdkg:Initiative ; dct:title "Air quality study" ; cdkg:initiatedBy ex:uni .
ex:uni a cdkg:AcademicInstitution ; foaf:name "City University" .

ex:river a cdkg:Initiative ; dct:title "River count" ; cdkg:initiatedBy ex:fishers .
ex:fishers a cdkg:Community ; foaf:name "Fishers" .
"""
STUDY = "https://example.org/i/study"
RIVER = "https://example.org/i/river"
ANSWERS = {
    "participation": {"design": "don't know", "collection": "don't know"},
    "outcome": "citizen data",
    "assessed_by": "Registry keeper",
    "reason": "Residents chose the monitoring sites with the university.",
}


@pytest.fixture
def registry(tmp_path: Path) -> tuple[Path, Path]:
    """A store holding the descriptions (loaded from a file), and that file."""
    source = tmp_path / "initiatives.ttl"
    source.write_text(DESCRIPTIONS, encoding="utf-8")
    store_dir = tmp_path / "store"
    with open_store(store_dir) as store:
        load(store, [str(source)])
    return store_dir, source


def _answers(tmp_path: Path, **changes: object) -> str:
    path = tmp_path / "settle.yaml"
    path.write_text(yaml.safe_dump({**ANSWERS, **changes}), encoding="utf-8")
    return str(path)


def _snapshot(store_dir: Path) -> list[str]:
    with open_store(store_dir, create=False) as store:
        return sorted(str(q) for q in store.quads())


def _stored_verdict(store: Store, iri: str, graph: str) -> str | None:
    rows = store.query(
        f"SELECT ?v WHERE {{ GRAPH <{inferred_graph(graph)}> {{ <{iri}> <{CDKG.verdict}> ?v }} }}"
    ).rows
    return rows[0]["v"]["value"] if rows else None


def test_settling_a_case_from_an_answers_file(cli, registry, tmp_path: Path) -> None:
    store_dir, source = registry
    result = cli(
        "assess", "--initiative", STUDY, "--store", str(store_dir), "--answers", _answers(tmp_path)
    )
    assert result.code == 0, result.err
    out = result.out
    # what the store held, with what would decide it
    assert "Verdict now: to be assessed" in out
    assert "  [ ] How much say citizens have in designing the data work" in out
    # what was recorded, and the verdict recomputed from it
    assert "citizens' say in design: not known" in out
    assert "assessment: citizen data, by Registry keeper on " in out
    assert "Verdict: Air quality study is citizen data." in out
    assert "Type 5 of 6: Collaboration driven by other actors" in out
    assert f"Loading {source} again would replace this copy" in out
    graph = source_graph(source)
    with open_store(store_dir, create=False) as store:
        assert _stored_verdict(store, STUDY, graph) == str(VERDICT["citizen-data"])
        assert _stored_verdict(store, RIVER, graph) == str(VERDICT["citizen-data"])
        stored = stored_descriptions(store)
    node = stored.value(URIRef(STUDY), CDKG.assessment)
    assert node is not None
    assert stored.value(node, CDKG.outcome) == Literal(True)
    assert str(stored.value(node, DCTERMS.description)).startswith("Residents chose")
    assert stored.value(node, DCTERMS.date) is not None
    agent = stored.value(node, PROV.wasAttributedTo)
    assert str(stored.value(agent, FOAF.name)) == "Registry keeper"
    (item,) = [i for i in classify(stored).initiatives if i.iri == STUDY]
    assert (item.verdict, item.type_number) == ("citizen-data", 5)


def test_unknown_initiative_is_refused_in_one_line(cli, registry, tmp_path: Path) -> None:
    store_dir, _source = registry
    before = _snapshot(store_dir)
    answers = _answers(tmp_path)
    for iri in ("https://example.org/i/nothing", "https://example.org/i/uni", "not an iri"):
        result = cli("assess", "--initiative", iri, "--store", str(store_dir), "--answers", answers)
        assert result.code == 2, result
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert result.err.startswith("cdkg: error: ")
        assert result.out == ""
    assert _snapshot(store_dir) == before


def test_a_decided_case_is_refused_unless_forced(cli, registry, tmp_path: Path) -> None:
    store_dir, _source = registry
    before = _snapshot(store_dir)
    answers = _answers(tmp_path, participation=None, outcome="not citizen data")
    result = cli("assess", "--initiative", RIVER, "--store", str(store_dir), "--answers", answers)
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f"cdkg: error: {RIVER}: not to be assessed: its verdict is citizen data (the rules "
        "decide it); nothing was changed (--force records an assessment anyway; where the "
        "rules decide, they stand)"
    ]
    assert _snapshot(store_dir) == before
    forced = cli(
        "assess", "--initiative", RIVER, "--store", str(store_dir), "--answers", answers, "--force"
    )
    assert forced.code == 0, forced.err
    assert "cdkg: warning: River count is citizen data (the rules decide it)" in forced.err
    assert "the rules stand" in forced.err
    assert "Verdict: River count is citizen data." in forced.out
    assert "[Warning] A recorded assessment disagrees with the verdict" in forced.out


def test_settled_case_is_refused_a_second_time_and_forced_replaces(
    cli, registry, tmp_path: Path
) -> None:
    store_dir, _source = registry
    first = cli(
        "assess", "--initiative", STUDY, "--store", str(store_dir), "--answers", _answers(tmp_path)
    )
    assert first.code == 0, first.err
    again = _answers(tmp_path, outcome="not citizen data")
    second = cli("assess", "--initiative", STUDY, "--store", str(store_dir), "--answers", again)
    assert second.code == 2
    assert "settled by the assessment recorded by Registry keeper on " in second.err
    forced = cli(
        "assess", "--initiative", STUDY, "--store", str(store_dir), "--answers", again, "--force"
    )
    assert forced.code == 0, forced.err
    assert "replacing the assessment: citizen data, by Registry keeper, on " in forced.out
    assert "Verdict: Air quality study is not citizen data." in forced.out
    with open_store(store_dir, create=False) as store:
        stored = stored_descriptions(store)
    assert len(list(stored.objects(URIRef(STUDY), CDKG.assessment))) == 1


def test_bad_answers_change_nothing(cli, registry, tmp_path: Path) -> None:
    store_dir, _source = registry
    before = _snapshot(store_dir)
    answers = _answers(tmp_path, outcome="maybe", assessed_by="", colour="blue")
    result = cli("assess", "--initiative", STUDY, "--store", str(store_dir), "--answers", answers)
    assert result.code == 2
    assert result.out == ""
    for expected in (
        "settle.yaml: outcome: 'maybe' is not allowed",
        "settle.yaml: assessed_by: missing",
        "settle.yaml: colour: unknown question",
    ):
        assert expected in result.err, result.err
    assert _snapshot(store_dir) == before


def test_out_writes_the_settled_description(cli, registry, tmp_path: Path) -> None:
    store_dir, _source = registry
    out = tmp_path / "settled.ttl"
    result = cli(
        "assess",
        "--initiative",
        STUDY,
        "--store",
        str(store_dir),
        "--answers",
        _answers(tmp_path),
        "--out",
        str(out),
    )
    assert result.code == 0, result.err
    assert f"Settled description written to {out}" in result.out
    graph = load_graph([str(out)])
    assert graph.value(URIRef(STUDY), CDKG.assessment) is not None
    (item,) = [i for i in classify(graph).initiatives if i.iri == STUDY]
    assert item.verdict == "citizen-data"


def test_store_options_and_force_go_with_initiative(cli, tmp_path: Path) -> None:
    for args in (["--store", str(tmp_path / "s")], ["--force"]):
        result = cli("assess", "--answers", "x.yaml", *args)
        assert result.code == 2
        assert "goes with --initiative IRI" in result.err


@pytest.mark.slow
def test_settling_through_an_update_endpoint(cli, tmp_path: Path, oxigraph_server) -> None:
    source = tmp_path / "initiatives.ttl"
    source.write_text(DESCRIPTIONS, encoding="utf-8")
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    load(store, [str(source)])
    result = cli(
        "assess",
        "--initiative",
        STUDY,
        "--endpoint",
        oxigraph_server.query_url,
        "--update-endpoint",
        oxigraph_server.update_url,
        "--answers",
        _answers(tmp_path),
    )
    assert result.code == 0, result.err
    assert _stored_verdict(store, STUDY, source_graph(source)) == str(VERDICT["citizen-data"])
