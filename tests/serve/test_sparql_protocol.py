"""``/sparql``: the SPARQL 1.1 Protocol with real clients (httpx and SPARQLWrapper)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
import rdflib
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, example_store, serving

pytestmark = pytest.mark.server
TYPES = """PREFIX cdkg: <https://w3id.org/cdkg/ontology#>
SELECT ?i ?type WHERE { ?i cdkg:initiativeType ?type } ORDER BY ?i"""
CONSTRUCT = """PREFIX cdkg: <https://w3id.org/cdkg/ontology#>
CONSTRUCT { ?i cdkg:isCitizenData ?v } WHERE { ?i cdkg:isCitizenData ?v }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("sparql"))
    with (
        open_store(store_dir, create=False) as store,
        serving(store, query_timeout=0.5, max_results=5) as live,
    ):
        yield live


def test_get_and_post_answer_results_json(server: LiveServer) -> None:
    url = server.url + "/sparql"
    accept = {"Accept": "application/sparql-results+json"}
    by_get = httpx.get(url, params={"query": TYPES}, headers=accept)
    by_form = httpx.post(url, data={"query": TYPES}, headers=accept)
    direct = httpx.post(
        url, content=TYPES, headers={**accept, "Content-Type": "application/sparql-query"}
    )
    for r in (by_get, by_form, direct):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        assert r.json()["head"]["vars"] == ["i", "type"]
    # 7 initiatives, capped at 5, and the cap is announced.
    assert len(by_get.json()["results"]["bindings"]) == 5
    assert by_get.headers["x-sparql-truncated"] == "true"


def test_results_as_xml_csv_and_tsv(server: LiveServer) -> None:
    url = server.url + "/sparql"
    ask = "ASK { ?s ?p ?o }"
    xml = httpx.get(
        url, params={"query": TYPES}, headers={"Accept": "application/sparql-results+xml"}
    )
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(ET.fromstring(xml.content).findall(f"{ns}results/{ns}result")) == 5
    text = httpx.get(url, params={"query": TYPES}, headers={"Accept": "text/csv"}).text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["i", "type"] and rows[1][0].startswith("https://data.example.org/")
    tsv = httpx.get(url, params={"query": TYPES}, headers={"Accept": "text/tab-separated-values"})
    assert tsv.text.splitlines()[0] == "?i\t?type" and "\t<https://w3id.org" in tsv.text
    r = httpx.get(url, params={"query": ask}, headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True


def test_construct_as_turtle_and_json_ld(server: LiveServer) -> None:
    url = server.url + "/sparql"
    ttl = httpx.get(url, params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=ttl.text, format="turtle")) == 5  # capped
    js = httpx.get(url, params={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=js.text, format="json-ld")) == 5
    describe = httpx.get(
        url,
        params={"query": "DESCRIBE <https://data.example.org/kisumu-well-watch>"},
        headers={"Accept": "text/turtle"},
    )
    assert describe.status_code == 200 and "kisumu-well-watch" in describe.text


def test_bare_get_is_a_service_description(server: LiveServer) -> None:
    r = httpx.get(server.url + "/sparql")
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph


def test_updates_without_credentials_are_refused(server: LiveServer) -> None:
    url = server.url + "/sparql"
    update = "INSERT DATA { <urn:x> <urn:p> <urn:o> }"
    forms = [
        httpx.post(url, data={"update": update}),
        httpx.post(url, content=update, headers={"Content-Type": "application/sparql-update"}),
        httpx.post(url, data={"query": update}),
        httpx.get(url, params={"update": update}),
    ]
    assert [r.status_code for r in forms] == [403] * 4
    ask = httpx.get(
        url,
        params={"query": "ASK { <urn:x> ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is False


def test_bad_queries_and_the_time_limit(server: LiveServer) -> None:
    url = server.url + "/sparql"
    assert httpx.get(url, params={"query": "SELEKT nothing"}).status_code == 400
    slow = (
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT * WHERE { ?a ?b ?c } LIMIT 3000 } "
        "{ SELECT * WHERE { ?d ?e ?f } LIMIT 3000 } }"
    )
    r = httpx.get(url, params={"query": slow}, timeout=30)
    assert r.status_code == 503 and "limit" in r.text


def test_sparqlwrapper_as_a_client(server: LiveServer) -> None:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(TYPES)
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert len(answer["results"]["bindings"]) == 5  # type: ignore[index]
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = client.queryAndConvert()
    text = graph.decode() if isinstance(graph, bytes) else graph.serialize(format="turtle")
    assert "isCitizenData" in str(text)
