"""The live server under abuse: runaway queries, huge answers and oversized bodies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, example_store, serving

pytestmark = pytest.mark.server

#: A cross join of the vocabulary graph with itself, three times: ~10^12 rows.
RUNAWAY = """SELECT * WHERE {
  GRAPH <urn:cdkg:graph:vocabularies> { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }
}"""
SMALL = "SELECT ?s WHERE { ?s a <https://w3id.org/cdkg/ontology#Initiative> } LIMIT 1"
JSON = {"Accept": "application/sparql-results+json"}
LIMIT = 200_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("hardening"))
    with (
        open_store(store_dir, create=False) as store,
        serving(store, query_timeout=1.0, max_results=10**9, max_body=LIMIT) as live,
    ):
        yield live


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("capped"))
    with open_store(store_dir, create=False) as store, serving(store, max_results=37) as live:
        yield live


def test_runaway_query_is_cut_off_while_others_are_answered(server: LiveServer) -> None:
    url = server.url + "/sparql"
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        runaway = pool.submit(httpx.get, url, params={"query": RUNAWAY}, headers=JSON, timeout=30)
        time.sleep(0.2)  # the runaway query is now running
        quick = []
        for _ in range(5):
            t0 = time.monotonic()
            page = httpx.get(server.url + "/", timeout=10)
            answer = httpx.get(url, params={"query": SMALL}, headers=JSON, timeout=10)
            quick.append(time.monotonic() - t0)
            assert page.status_code == 200 and answer.status_code == 200
            assert len(answer.json()["results"]["bindings"]) == 1
        cut = runaway.result()
        elapsed = time.monotonic() - started
    assert cut.status_code == 503
    assert "longer than the limit of 1 s" in cut.text
    assert elapsed < 10
    # the other requests did not wait for the runaway one
    assert max(quick) < 1.0, quick
    # and the server still answers afterwards
    assert httpx.get(url, params={"query": SMALL}, headers=JSON).status_code == 200


def test_result_cap_cuts_the_answer_and_says_so(capped: LiveServer) -> None:
    r = httpx.get(
        capped.url + "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers=JSON,
        timeout=30,
    )
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 37
    assert r.headers["x-sparql-truncated"] == "true"
    assert r.headers["x-sparql-result-cap"] == "37"
    small = httpx.get(capped.url + "/sparql", params={"query": SMALL}, headers=JSON)
    assert "x-sparql-truncated" not in small.headers


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/validate", "text/turtle"),
        ("/sparql", "application/sparql-query"),
        ("/sparql", "application/x-www-form-urlencoded"),
        ("/check", "application/x-www-form-urlencoded"),
    ],
)
def test_oversized_bodies_are_refused_with_413(
    server: LiveServer, path: str, content_type: str
) -> None:
    body = b"# " + b"x" * LIMIT + b"\n"
    r = httpx.post(server.url + path, content=body, headers={"Content-Type": content_type})
    assert r.status_code == 413
    assert f"larger than the limit of {LIMIT:,} bytes" in r.text
    assert "Traceback" not in r.text

    # streamed without Content-Length (chunked): counted as it arrives
    def chunks() -> Iterator[bytes]:
        for _ in range(LIMIT // 10_000 + 2):
            yield b"#" * 9_999 + b"\n"

    r = httpx.post(server.url + path, content=chunks(), headers={"Content-Type": content_type})
    assert r.status_code == 413
    # the server is fine afterwards, and a body under the limit is read
    ok = httpx.post(
        server.url + "/validate",
        content=b"<https://example.org/a> a <https://w3id.org/cdkg/ontology#Initiative> .",
        headers={"Content-Type": "text/turtle", "Accept": "application/json"},
    )
    assert ok.status_code == 200


def test_default_body_limit_is_five_megabytes(capped: LiveServer) -> None:
    body = b"#" * 5_000_001
    r = httpx.post(capped.url + "/validate", content=body, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 413
