"""Every library query answers its fixture registry as expected, on both backends.

The fixture registry is ``tests/data/queries/registry/`` (ten initiatives, one per
file, covering the six types, insufficient-only participation and the three verdicts:
among them three to be assessed, rows 7 to 9 of DESIGN Contract 3: a case-by-case CSO
with a type, an NSO's initiative with no engagement recorded and two recorded assessments
that disagree, and an initiator of no known actor class).
Each ``tests/data/queries/expected/QUERY.CASE.json`` gives the parameters and the
expected rows (IRIs written with the usual prefixes, ``ex:`` for the fixture). Label
variables are not compared (they come from the vocabularies and may be reworded).
"""

from __future__ import annotations

import json

import pytest

from cdkg.load.loader import load
from cdkg.model.namespaces import PREFIXES, VERDICT, VOCAB_BASE
from cdkg.query.library import bind, find, library, parse_params
from cdkg.store import Binding, EmbeddedStore, EndpointStore, Store
from tests.support.paths import TEST_DATA

DATA = TEST_DATA / "queries"
REGISTRY = DATA / "registry"
CASES_DIR = DATA / "expected"
CASES = sorted(p.name[: -len(".json")] for p in CASES_DIR.glob("*.json"))

_PREFIXES = {
    **PREFIXES,
    "ex": "https://example.org/registry/",
    "population": VOCAB_BASE + "population-group/",
    "integration": VOCAB_BASE + "integration-status/",
    "principle": VOCAB_BASE + "principle/",
    "phase": "http://id.unece.org/activities/phase/",
    "country": "http://publications.europa.eu/resource/authority/country/",
    "verdict": str(VERDICT),
}
_BY_LENGTH = sorted(_PREFIXES.items(), key=lambda kv: len(kv[1]), reverse=True)


def compact(term: Binding) -> str:
    """An IRI as ``prefix:local``, any other term as its lexical value."""
    value = term["value"]
    if term["type"] == "uri":
        for prefix, ns in _BY_LENGTH:
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns) :]}"
    return value


def answer(store: Store, case: str) -> list[dict[str, str]]:
    expected = json.loads((CASES_DIR / f"{case}.json").read_text(encoding="utf-8"))
    query = find(case.split(".", 1)[0])
    pairs = [f"{k}={v}" for k, v in expected["params"].items()]
    results = store.query(bind(query.text, parse_params(query, pairs)))
    return [{v: compact(row[v]) for v in expected["variables"] if v in row} for row in results.rows]


def expected_rows(case: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = json.loads(
        (CASES_DIR / f"{case}.json").read_text(encoding="utf-8")
    )["rows"]
    return rows


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    with EmbeddedStore(tmp_path_factory.mktemp("registry") / "store") as store:
        load(store, [str(REGISTRY)])
        yield store


def test_every_query_has_a_case_with_answers():
    """A query without an expected, non-empty answer would be tested by nothing."""
    covered = {case.split(".", 1)[0] for case in CASES if expected_rows(case)}
    assert set(library()) <= covered, f"queries without cases: {set(library()) - covered}"


@pytest.mark.parametrize("case", CASES)
def test_query_answers_fixture_registry(embedded, case):
    assert answer(embedded, case) == expected_rows(case)


@pytest.mark.server
def test_server_gives_identical_answers(embedded, oxigraph_server):
    """Acceptance: the same descriptions loaded into the embedded store and into an
    Oxigraph server answer every library query identically."""
    remote = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    load(remote, [str(REGISTRY)])
    for case in CASES:
        assert answer(remote, case) == answer(embedded, case), case


def test_queries_see_labels_from_the_vocabularies(embedded):
    """The vocabularies are in the store, so queries can use their labels and ranks."""
    rows = embedded.query(find("participation-profile").text).rows
    assert rows and all("stageLabel" in r and "levelLabel" in r and "rank" in r for r in rows)
    types = embedded.query(find("initiatives-by-type").text).rows
    assert {r["label"]["value"] for r in types if "label" in r} >= {"Civic action"}


def test_initiatives_by_type_counts_every_initiative_once(embedded):
    """Type counts, with the rows of initiatives that have no type, add up to the
    initiatives; no row without a type takes a type's number or label."""
    rows = embedded.query(find("initiatives-by-type").text).rows
    initiatives = embedded.query(find("initiatives").text).rows
    assert sum(int(r["count"]["value"]) for r in rows) == len(initiatives) == 10
    untyped = [r for r in rows if "type" not in r]
    assert untyped and all(set(r) == {"verdict", "count"} for r in untyped)
    verdicts = {compact(r["verdict"]) for r in rows}
    assert verdicts == {
        "verdict:citizen-data",
        "verdict:not-citizen-data",
        "verdict:to-be-assessed",
    }


def test_every_initiative_to_be_assessed_is_listed_with_its_verdict(embedded):
    """The listings that give a verdict give the stored one, and `to-be-assessed` lists
    exactly the initiatives whose verdict is to be assessed, as `cdkg classify` does."""
    verdicts = {
        compact(r["initiative"]): compact(r["verdict"])
        for r in embedded.query(find("initiatives").text).rows
    }
    open_cases = {i for i, v in verdicts.items() if v == "verdict:to-be-assessed"}
    assert open_cases == {"ex:i8", "ex:i9", "ex:i10"}
    listed = {compact(r["initiative"]) for r in embedded.query(find("to-be-assessed").text).rows}
    assert listed == open_cases


def test_to_be_assessed_names_the_facts_classify_says_are_missing(embedded):
    """`missing` holds the `fact` keys of `cdkg classify`'s missing facts, in its order."""
    from cdkg.classify.verdicts import classify
    from cdkg.rdf.read import load_graph

    report = classify(load_graph([str(REGISTRY)]))
    wanted = {
        compact({"type": "uri", "value": i.iri}): " ".join(dict.fromkeys(m.fact for m in i.missing))
        for i in report.initiatives
        if i.verdict == "to-be-assessed"
    }
    rows = embedded.query(find("to-be-assessed").text).rows
    assert {compact(r["initiative"]): r["missing"]["value"] for r in rows} == wanted


@pytest.fixture(scope="module")
def restated(tmp_path_factory):
    """The fixture registry plus, in a second file per description, every one of its
    triples that has no blank node (an initiative, its actors, its links) stated again,
    as shared actors are restated in many files of a real registry: the union default
    graph then holds those triples twice, in two named graphs."""
    import rdflib

    base = tmp_path_factory.mktemp("restated")
    again = base / "again"
    again.mkdir()
    for path in REGISTRY.glob("*.ttl"):
        graph = rdflib.Graph().parse(path, format="turtle")
        restated = rdflib.Graph()
        for triple in graph:
            if not any(isinstance(term, rdflib.BNode) for term in triple):
                restated.add(triple)
        restated.serialize(again / f"{path.stem}-again.nt", format="nt", encoding="utf-8")
    with EmbeddedStore(base / "store") as store:
        load(store, [str(REGISTRY), str(again)])
        yield store


def test_restated_descriptions_change_no_answer(restated):
    """Repeated triples must not inflate a count or repeat a row of any library query."""
    graphs = restated.query(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) "
        "WHERE { GRAPH ?g { ?s a <https://w3id.org/cdkg/ontology#Initiative> } }"
    ).rows
    assert int(graphs[0]["n"]["value"]) >= 2 * len(list(REGISTRY.glob("*.ttl")))
    for case in CASES:
        assert answer(restated, case) == expected_rows(case), case
