"""Writes to a served registry: refused without the update token, authorised with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, example_store, serving

pytestmark = pytest.mark.server
TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Accept": "application/sparql-results+json"}
GRAPH = "urn:example:graph:well-watch"
DOC = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/net-watch> a cdkg:Initiative ; dct:title "Net watch"@en .
"""
#: Every classified initiative has a verdict (this one, with no initiator and no
#: engagement recorded, is to be assessed and has no type: Contract 3 revision 2, row 7).
#: A settling form's answers (cdkg assess --initiative on the web), without the token.
SETTLE = {
    "initiative": "https://example.org/net-watch",
    "outcome": "citizen data",
    "assessed_by": "Registry keeper",
    "reason": "Checked.",
}
TYPES = """PREFIX cdkg: <https://w3id.org/cdkg/ontology#>
ASK { GRAPH ?g { <https://example.org/net-watch> cdkg:verdict ?v } }"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_store(tmp_path_factory.mktemp("updates"))


@pytest.fixture(scope="module")
def writable(folder: Path) -> Iterator[LiveServer]:
    with open_store(folder, create=False) as store, serving(store, update_token=TOKEN) as live:
        yield live


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("readonly"))
    with open_store(store_dir, create=False) as store, serving(store) as live:
        yield live


def ask(server: LiveServer, query: str) -> bool:
    r = httpx.get(server.url + "/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def test_without_a_token_configured_every_write_is_refused(read_only: LiveServer) -> None:
    url = read_only.url
    update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    attempts = [
        httpx.post(
            url + "/sparql",
            content=update,
            headers={**AUTH, "Content-Type": "application/sparql-update"},
        ),
        httpx.post(url + "/sparql", data={"update": update}, headers=AUTH),
        httpx.put(
            url + "/graph-store",
            params={"graph": GRAPH},
            content=DOC,
            headers={**AUTH, "Content-Type": "text/turtle"},
        ),
        httpx.delete(url + "/graph-store", params={"graph": GRAPH}, headers=AUTH),
        httpx.get(url + "/graph-store", params={"graph": GRAPH}, headers=AUTH),
        # settling a case is a write too (the token in the form, or in the header)
        httpx.post(url + "/assess/settle", data={**SETTLE, "token": TOKEN}),
        httpx.post(url + "/assess/settle", data=SETTLE, headers=AUTH),
    ]
    for r in attempts:
        assert r.status_code == 403, r.text
        assert "read-only" in r.text
    assert not ask(read_only, f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"]
)
def test_a_missing_or_wrong_token_gets_401(writable: LiveServer, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:x> <urn:y> <urn:z> }} }}"
    r1 = httpx.post(
        writable.url + "/sparql",
        content=update,
        headers={**headers, "Content-Type": "application/sparql-update"},
    )
    r2 = httpx.post(writable.url + "/sparql", data={"update": update}, headers=headers)
    r3 = httpx.put(
        writable.url + "/graph-store",
        params={"graph": GRAPH},
        content=DOC,
        headers={**headers, "Content-Type": "text/turtle"},
    )
    r4 = httpx.post(writable.url + "/assess/settle", data=SETTLE, headers=headers)
    for r in (r1, r2, r3, r4):
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
    assert not ask(writable, "ASK { GRAPH ?g { <urn:x> ?p ?o } }")


def test_sparql_update_with_the_token(writable: LiveServer) -> None:
    g = "urn:example:graph:by-update"
    r = httpx.post(
        writable.url + "/sparql",
        content=f"INSERT DATA {{ GRAPH <{g}> {{ <urn:s> <urn:p> 'one' }} }}",
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 204, r.text
    assert ask(writable, "ASK { <urn:s> <urn:p> 'one' }")
    r = httpx.post(
        writable.url + "/sparql",
        data={"update": f"DELETE WHERE {{ GRAPH <{g}> {{ <urn:s> ?p ?o }} }}"},
        headers=AUTH,
    )
    assert r.status_code == 204, r.text
    assert not ask(writable, "ASK { <urn:s> ?p ?o }")
    bad = httpx.post(
        writable.url + "/sparql",
        content="INSERT DATA { nonsense",
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert bad.status_code == 400 and "not valid SPARQL Update" in bad.text


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:g>",
        "load silent <http://127.0.0.1:9/x>",
        "INSERT { GRAPH <urn:g> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/sparql> "
        "{ ?s ?p ?o } }",
    ],
)
def test_load_and_service_stay_refused_with_the_token(writable: LiveServer, update: str) -> None:
    r = httpx.post(
        writable.url + "/sparql",
        content=update,
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 403
    assert "never" in r.text


def test_graph_store_protocol_round_trip_with_classification(writable: LiveServer) -> None:
    url = writable.url + "/graph-store"
    put = httpx.put(
        url, params={"graph": GRAPH}, content=DOC, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert put.status_code == 201, put.text
    got = httpx.get(url, params={"graph": GRAPH}, headers={**AUTH, "Accept": "text/turtle"})
    assert got.status_code == 200 and "Net watch" in got.text
    # loaded like 'cdkg load': its classification was inferred at once
    assert ask(writable, TYPES)
    again = httpx.put(
        url, params={"graph": GRAPH}, content=DOC, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert again.status_code == 204
    extra = '<https://example.org/net-watch> <http://purl.org/dc/terms/description> "more" .'
    post = httpx.post(
        url,
        params={"graph": GRAPH},
        content=extra,
        headers={**AUTH, "Content-Type": "application/n-triples"},
    )
    assert post.status_code == 204, post.text
    merged = httpx.get(url, params={"graph": GRAPH}, headers={**AUTH, "Accept": "text/turtle"})
    assert "Net watch" in merged.text and '"more"' in merged.text
    gone = httpx.delete(url, params={"graph": GRAPH}, headers=AUTH)
    assert gone.status_code == 204
    assert not ask(writable, TYPES)  # the inferred graph went with it
    missing = httpx.get(url, params={"graph": GRAPH}, headers=AUTH)
    assert missing.status_code == 404
    assert httpx.delete(url, params={"graph": GRAPH}, headers=AUTH).status_code == 404


def test_graph_store_refusals(writable: LiveServer) -> None:
    url = writable.url + "/graph-store"
    turtle = {**AUTH, "Content-Type": "text/turtle"}
    default = httpx.put(url + "?default", content=DOC, headers=turtle)
    assert default.status_code == 400 and "?graph=IRI" in default.text
    relative = httpx.put(url, params={"graph": "not an iri"}, content=DOC, headers=turtle)
    assert relative.status_code == 400
    reserved = httpx.put(
        url, params={"graph": "urn:cdkg:graph:vocabularies"}, content=DOC, headers=turtle
    )
    assert reserved.status_code == 403
    broken = httpx.put(url, params={"graph": GRAPH}, content=b"<a> <b> .", headers=turtle)
    assert broken.status_code == 400 and "line 1" in broken.text
    unknown = httpx.put(
        url, params={"graph": GRAPH}, content=DOC, headers={**AUTH, "Content-Type": "image/png"}
    )
    assert unknown.status_code == 415
    assert not ask(writable, f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")


PERSON = """@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
<https://example.org/net-watch> a cdkg:Initiative ;
    cdkg:initiatedBy <https://example.org/person/ines> .
<https://example.org/person/ines> a foaf:Person ; foaf:name "Ines" ;
    foaf:mbox <mailto:ines.private@example.org> .
"""


@pytest.mark.slow
def test_cdkg_serve_with_the_token_from_the_environment(tmp_path: Path) -> None:
    """The real command: writes reach the registry on disk, the served copy is refreshed
    and still withholds contact data, and LOAD makes no request."""
    import os
    import subprocess
    import sys
    import time

    from tests.support.recording_listener import recording_listener
    from tests.support.webfixtures import free_port

    store_dir = example_store(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CDKG_UPDATE_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cdkg", "serve", "--store", str(store_dir), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()[1]
            try:
                httpx.get(url + "/static/style.css", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        put = httpx.put(
            url + "/graph-store",
            params={"graph": GRAPH},
            content=PERSON,
            headers={**AUTH, "Content-Type": "text/turtle"},
            timeout=30,
        )
        assert put.status_code == 201, put.text
        served = httpx.post(
            url + "/sparql",
            data={"query": "SELECT * WHERE { ?s ?p ?o }"},
            headers={"Accept": "text/csv"},
            timeout=30,
        ).text
        assert "Ines" in served and "ines.private" not in served
        assert "https://example.org/net-watch" in served
        with recording_listener() as listener:
            load = httpx.post(
                url + "/sparql",
                data={"update": f"LOAD <{listener.url}/x.ttl> INTO GRAPH <urn:g>"},
                headers=AUTH,
            )
            assert load.status_code == 403
            assert listener.requests == []
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    with open_store(store_dir, create=False) as store:
        assert store.has_graph(GRAPH)  # kept in the registry itself, contact data included
        assert any("ines.private" in str(q.object) for q in store.quads(GRAPH))


def test_home_and_dashboard_are_built_once_per_state_of_the_registry(tmp_path: Path) -> None:
    """The pages that read every initiative are kept until a write changes the registry."""
    from fastapi.testclient import TestClient

    from cdkg.render.data import RegistryView
    from cdkg.serve.app import create_app

    calls = []
    original = RegistryView.summaries

    def counted(self: RegistryView) -> object:
        calls.append(1)
        return original(self)

    store_dir = example_store(tmp_path)
    with pytest.MonkeyPatch.context() as patch, open_store(store_dir, create=False) as store:
        patch.setattr(RegistryView, "summaries", counted)
        with TestClient(
            create_app(store, "https://w3id.org/cdkg/examples/", update_token=TOKEN)
        ) as client:
            first = client.get("/").text
            assert client.get("/").text == first
            client.get("/dashboard")
            client.get("/browse/verdict/citizen-data")
            assert len(calls) == 1  # read once for all of them
            assert "Net watch" not in first
            put = client.put(
                "/graph-store",
                params={"graph": GRAPH},
                content=DOC,
                headers={**AUTH, "Content-Type": "text/turtle"},
            )
            assert put.status_code == 201, put.text
            after = client.get("/").text
            assert "Net watch" in after  # the write dropped the kept pages
            assert len(calls) == 2
