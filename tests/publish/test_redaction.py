"""Acceptance: a registry holding a person's e-mail and telephone publishes and serves neither.

``cdkg publish`` is checked file by file (gzip dumps opened); ``cdkg serve`` is started as
a real process and asked for the pages, the RDF representations and, through /sparql,
for every triple and for the secrets by name. SERVICE and FROM pointing at a loopback
listener make the server fetch nothing.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.recording_listener import recording_listener
from tests.support.webfixtures import free_port

BASE = "https://registry.example.org/"
DESCRIPTION = f"""
@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<{BASE}water-watch> a cdkg:Initiative ; dct:title "Water Watch" ;
    cdkg:initiatedBy <{BASE}actor/residents> ; dct:creator <{BASE}person/amina> .
<{BASE}actor/residents> a cdkg:Community ; foaf:name "Lakeside residents" .
<{BASE}person/amina> a foaf:Person , schema:Person ; foaf:name "Amina Otieno" ;
    foaf:mbox <mailto:amina.otieno@example.org> ; foaf:phone <tel:+254700123456> ;
    schema:email "amina.private@example.org" ; schema:telephone "+254 711 654 321" ;
    vcard:hasEmail [ vcard:value <mailto:amina.vcard@example.org> ] .
"""
SECRETS = ("amina.otieno@", "254700123456", "amina.private@", "711 654 321", "amina.vcard@")
CONSENT = f"""
@prefix dpv: <https://w3id.org/dpv#> .
<{BASE}consent/amina> a dpv:Consent ; dpv:hasDataSubject <{BASE}person/amina> ;
    dpv:hasConsentStatus dpv:ConsentGiven ; dpv:hasProcessing dpv:MakeAvailable .
"""


def _store(tmp: Path, cli, *, consent: bool = False) -> Path:
    src = tmp / "src"
    src.mkdir(parents=True)
    (src / "water-watch.ttl").write_text(DESCRIPTION + (CONSENT if consent else ""), "utf-8")
    store = tmp / "store"
    result = cli("load", str(src), "--store", str(store), "--no-progress")
    assert result.code == 0, result.err
    return store


def _site_text(site: Path) -> str:
    texts = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            texts.append((gzip.decompress(data) if path.suffix == ".gz" else data).decode())
    return "\n".join(texts)


@pytest.mark.slow
def test_published_site_holds_no_personal_contact_data(tmp_path: Path, cli) -> None:
    store = _store(tmp_path, cli)
    site = tmp_path / "site"
    result = cli("publish", "--store", str(store), "--out", str(site), "--base-iri", BASE)
    assert result.code == 0, result.err
    assert "withheld" in result.out
    text = _site_text(site)
    assert "Amina Otieno" in text  # the person is published, their contact data are not
    assert (site / "water-watch.html").is_file()
    # the initiative's page tells the publisher, without quoting the data
    page = (site / "water-watch.html").read_text(encoding="utf-8")
    assert "(NoPublishedContactData)" in page
    for secret in SECRETS:
        assert secret not in text, secret
    # the registry itself still holds them: only what is published is redacted
    rq = tmp_path / "mbox.rq"
    rq.write_text("SELECT ?m WHERE { ?p <http://xmlns.com/foaf/0.1/mbox> ?m }", "utf-8")
    answer = cli("query", "--store", str(store), str(rq))
    assert "amina.otieno@" in answer.out, answer.err


@pytest.mark.slow
def test_recorded_consent_publishes_the_contact_data(tmp_path: Path, cli) -> None:
    store = _store(tmp_path, cli, consent=True)
    site = tmp_path / "site"
    assert cli("publish", "--store", str(store), "--out", str(site), "--base-iri", BASE).code == 0
    text = _site_text(site)
    assert all(secret in text for secret in SECRETS)
    # consent is recorded, so publishing the contact data is not a finding
    page = (site / "water-watch.html").read_text(encoding="utf-8")
    assert '<section class="verdict' in page
    assert "NoPublishedContactData" not in page


@pytest.fixture
def served(tmp_path: Path, cli) -> Iterator[str]:
    store = _store(tmp_path, cli)
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cdkg", "serve", "--store", str(store), "--base-iri", BASE,
         "--port", str(port), "--query-timeout", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()[1]
            try:
                httpx.get(url + "/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def _sparql(url: str, query: str, accept: str = "application/sparql-results+json") -> str:
    response = httpx.post(
        url + "/sparql", data={"query": query}, headers={"Accept": accept}, timeout=30
    )
    assert response.status_code < 500, response.text
    return response.text


@pytest.mark.slow
@pytest.mark.server
def test_served_pages_and_sparql_hold_no_personal_contact_data(served: str) -> None:
    bodies = []
    for path in ("/", "/water-watch", "/person/amina", "/person/amina.ttl",
                 "/person/amina.jsonld", "/person/amina.nt", "/water-watch.ttl"):  # fmt: skip
        response = httpx.get(served + path, timeout=30, follow_redirects=True)
        assert response.status_code == 200, (path, response.status_code)
        bodies.append(response.text)
    bodies.append(_sparql(served, "SELECT * WHERE { ?s ?p ?o }"))
    bodies.append(_sparql(served, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "text/turtle"))
    text = "\n".join(bodies)
    assert "Amina Otieno" in text
    for secret in SECRETS:
        assert secret not in text, secret
    probe = _sparql(
        served,
        'ASK { ?s ?p ?o FILTER (CONTAINS(STR(?o), "amina.otieno") '
        '|| CONTAINS(STR(?o), "254700123456")) }',
    )
    assert '"boolean": false' in probe.replace('"boolean":false', '"boolean": false'), probe


@pytest.mark.slow
@pytest.mark.server
def test_service_and_from_never_make_the_server_fetch(served: str) -> None:
    with recording_listener() as listener:
        for query in (
            f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{listener.url}/data.ttl> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{listener.url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"LOAD <{listener.url}/data.ttl>",
            "SELECT * WHERE { \\u0053ERVICE <" + listener.url + "/s> { ?s ?p ?o } }",
            "SELECT * WHERE { # '''\nSERVICE <" + listener.url + "/s> { ?s ?p ?o }\n# '''\n}",
        ):
            _sparql(served, query)
        time.sleep(0.5)
        assert listener.requests == [] and listener.connections == []
