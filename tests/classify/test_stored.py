"""The classification stored by ``cdkg load`` (reasons, missing facts, findings as data).

Both engines store, for every example, what ``cdkg classify`` says; loading the same
descriptions again writes the same triples; a registry loaded before reasons were stored
still shows its verdicts, says how to get the reasons, and is published with them.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from cdkg.classify.facts import Facts, Term
from cdkg.classify.stored import stored_result
from cdkg.cli import main
from cdkg.load.loader import load
from cdkg.store import EmbeddedStore, open_store
from tests.support.paths import EXAMPLES

BASE = "https://w3id.org/cdkg/examples/"


class UnionFacts:
    """Facts over every graph of an embedded store."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def pairs(self, subject: Term) -> list[tuple[Term, Term]]:
        return [(q.predicate, q.object) for q in self.store.quads_for_pattern(subject, None, None)]  # type: ignore[misc]

    def using(self, predicates: frozenset[Term]) -> Any:
        for p in predicates:
            for q in self.store.quads_for_pattern(None, p, None):  # type: ignore[arg-type]
                yield q.subject, p, q.object


@pytest.fixture(scope="module")
def classified() -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    with redirect_stdout(out):
        main(["classify", str(EXAMPLES), "--format", "json"])
    return {i["iri"]: i for i in json.loads(out.getvalue())["initiatives"]}


def _comparable(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "verdict": item["verdict"],
        "initiativeType": item["initiativeType"],
        "typeNumber": item["typeNumber"],
        "isCitizenData": item["isCitizenData"],
        "reasons": item["reasons"],
        "missing": item["missing"],
        "assessment": item["assessment"],
        "findings": sorted(
            (f["severity"], f["sourceShape"], f["message"]) for f in item["findings"]
        ),
    }


def _quads(path: Path) -> list[str]:
    registry = ox.NamedNode("urn:cdkg:graph:registry")
    return sorted(str(q) for q in ox.Store.read_only(str(path)) if q.graph_name != registry)


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_each_engine_stores_what_classify_says_and_a_reload_changes_nothing(
    engine: str, classified: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    with open_store(tmp_path / "store") as store:
        load(store, [str(EXAMPLES)], engine=engine, progress=False)
    first = _quads(tmp_path / "store")
    facts: Facts = UnionFacts(ox.Store.read_only(str(tmp_path / "store")))
    for iri, item in classified.items():
        found = stored_result(facts, ox.NamedNode(iri))
        assert found is not None, iri
        assert _comparable(found.to_json()) == _comparable(item), iri
    del facts
    with open_store(tmp_path / "store") as store:
        load(store, [str(EXAMPLES)], engine=engine, progress=False)
    assert _quads(tmp_path / "store") == first


EXPLANATION = """
DELETE WHERE { GRAPH ?g { ?i <https://w3id.org/cdkg/ontology#reason> ?r . ?r ?p ?o } } ;
DELETE WHERE { GRAPH ?g { ?i <https://w3id.org/cdkg/ontology#missingFact> ?r . ?r ?p ?o } } ;
DELETE WHERE { GRAPH ?g { ?i <https://w3id.org/cdkg/ontology#finding> ?r . ?r ?p ?o } }
"""


def test_a_registry_loaded_without_stored_reasons_still_shows_and_publishes_verdicts(
    classified: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    from cdkg.publish.site import publish
    from cdkg.publish.source import ReadOnlyStore
    from cdkg.serve.app import create_app

    with open_store(tmp_path / "store") as store:
        load(store, [str(EXAMPLES)], progress=False)
    with EmbeddedStore(tmp_path / "store", create=False) as store:
        store.oxigraph.update(EXPLANATION)
    iri, item = next((i, c) for i, c in sorted(classified.items()) if c["reasons"])
    with (
        open_store(tmp_path / "store", create=False) as store,
        TestClient(create_app(store, BASE)) as client,
    ):
        page = client.get("/" + iri[len(BASE) :], headers={"Accept": "text/html"}).text
    assert 'class="verdict ' in page
    assert "load it again with cdkg load" in page
    assert item["reasons"][0] not in page
    with ReadOnlyStore(tmp_path / "store") as source:
        publish(source, tmp_path / "site", BASE, progress=False)
    published = (tmp_path / "site" / f"{iri[len(BASE) :]}.html").read_text(encoding="utf-8")
    import html

    assert html.escape(item["reasons"][0], quote=False) in published
