"""``cdkg serve``: content negotiation, 404s, POST /validate and the check form, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import URIRef

from cdkg.model.namespaces import CDKG
from cdkg.store import open_store
from tests.support.webfixtures import BASE, BROKEN, GOOD, LiveServer, example_store, serving

pytestmark = pytest.mark.server
KISUMU = BASE + "kisumu-well-watch"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("serve"))
    with open_store(store_dir, create=False) as store, serving(store) as live:
        yield live


def get(server: LiveServer, path: str, **kw: object) -> httpx.Response:
    return httpx.get(server.url + path, timeout=30, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("accept", "media_type", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json", "json-ld"),
    ],
)
def test_accept_header_chooses_the_rdf_format(
    server: LiveServer, accept: str, media_type: str, fmt: str
) -> None:
    r = get(server, "/kisumu-well-watch", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media_type)
    assert "Accept" in r.headers["vary"]
    graph = rdflib.Graph().parse(data=r.content, format=fmt)
    assert graph.value(URIRef(KISUMU), CDKG.initiativeType) is not None


def test_browsers_get_html(server: LiveServer) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = get(server, "/kisumu-well-watch", headers={"Accept": browser})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Kisumu Well Watch" in r.text and 'class="reasons"' in r.text
    assert 'rel="alternate" type="text/turtle"' in r.text


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/kisumu-well-watch.ttl", "text/turtle"),
        ("/kisumu-well-watch.jsonld", "application/ld+json"),
        ("/kisumu-well-watch.nt", "application/n-triples"),
        ("/kisumu-well-watch.html", "text/html"),
        ("/kisumu-well-watch?_mediatype=text/turtle", "text/turtle"),
        ("/kisumu-well-watch?_mediatype=application/ld%2Bjson", "application/ld+json"),
    ],
)
def test_extension_and_mediatype_parameter_override_accept(
    server: LiveServer, path: str, media_type: str
) -> None:
    r = get(server, path, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media_type)


def test_unknown_resources_are_404_and_unacceptable_types_406(server: LiveServer) -> None:
    assert get(server, "/no-such-initiative").status_code == 404
    assert get(server, "/no-such-initiative.ttl").status_code == 404
    r = get(server, "/kisumu-well-watch", headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_actors_and_vocabulary_concepts_dereference(server: LiveServer) -> None:
    r = get(server, "/actor/uganda-bureau-of-statistics", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "Census Outreach Volunteers" in r.text  # mentioned by
    r = get(server, "/vocab/participation-level/4.ttl")
    graph = rdflib.Graph().parse(data=r.content, format="turtle")
    assert graph.value(URIRef("https://w3id.org/cdkg/vocab/participation-level/4"), CDKG.rank)


def test_validate_api_answers_json_turtle_and_html(server: LiveServer) -> None:
    url = server.url + "/validate"
    r = httpx.post(url, content=GOOD, headers={"Content-Type": "text/turtle"}, timeout=60)
    assert r.status_code == 200
    body = r.json()
    assert body["conforms"] is True
    [initiative] = body["initiatives"]
    assert initiative["typeNumber"] == 1 and initiative["isCitizenData"] is True
    assert initiative["reasons"]
    r = httpx.post(
        url,
        content=GOOD,
        headers={"Content-Type": "text/turtle", "Accept": "text/turtle"},
        timeout=60,
    )
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (URIRef("https://example.org/i/river-watch"), CDKG.isCitizenData, None) in graph
    r = httpx.post(
        url, content=GOOD, headers={"Content-Type": "text/turtle", "Accept": "text/html"}
    )
    assert "Citizen data" in r.text and "Civic action" in r.text


def test_validate_api_rejects_broken_input_with_its_line(server: LiveServer) -> None:
    r = httpx.post(
        server.url + "/validate", content=BROKEN, headers={"Content-Type": "text/turtle"}
    )
    assert r.status_code == 400
    assert ":3" in r.json()["error"][0] or ":2" in r.json()["error"][0]
    r = httpx.post(server.url + "/validate", content=GOOD, headers={"Content-Type": "image/png"})
    assert r.status_code == 415


def test_check_form_shows_verdict_or_a_clear_error(server: LiveServer) -> None:
    r = httpx.post(server.url + "/check", data={"text": GOOD, "format": "auto"}, timeout=60)
    assert r.status_code == 200 and "Citizen data" in r.text and "Civic action" in r.text
    r = httpx.post(
        server.url + "/check",
        files={"file": ("broken.ttl", BROKEN.encode(), "text/turtle")},
        data={"format": "auto"},
    )
    assert r.status_code == 400
    assert 'role="alert"' in r.text and "broken.ttl" in r.text


def test_check_form_shows_a_to_be_assessed_verdict_with_what_would_decide_it(
    server: LiveServer,
) -> None:
    """Contract 3 revision 2, row 7: no citizen-side initiator and no engagement recorded."""
    text = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/i/river-survey> a cdkg:Initiative ; dct:title "River Survey" ;
    cdkg:initiatedBy <https://example.org/a/uni> .
<https://example.org/a/uni> a cdkg:AcademicInstitution .
"""
    r = httpx.post(server.url + "/check", data={"text": text, "format": "auto"}, timeout=60)
    assert r.status_code == 200
    assert "Result: to be assessed" in r.text
    assert '<section class="verdict open"' in r.text and "<strong>To be assessed</strong>" in r.text
    assert "no type yet" in r.text and "type None" not in r.text
    assert "What would decide it" in r.text and 'class="checklist missing"' in r.text


def test_serve_command_refuses_a_missing_store(tmp_path: Path, cli: object) -> None:
    result = cli("serve", "--store", str(tmp_path / "none"), "--port", "1")  # type: ignore[operator]
    assert result.code == 2 and "no store here" in result.err


@pytest.mark.slow
def test_serving_from_a_sparql_endpoint(tmp_path: Path) -> None:
    """The same pages and protocol over a remote store (a real Oxigraph server)."""
    from cdkg.store import EndpointStore
    from tests.support.servers import OxigraphServer

    store_dir = example_store(tmp_path)
    oxigraph = OxigraphServer(store_dir).start()
    try:
        remote = EndpointStore(oxigraph.query_url)
        with serving(remote) as live:
            r = httpx.get(live.url + "/kisumu-well-watch.ttl", timeout=30)
            graph = rdflib.Graph().parse(data=r.text, format="turtle")
            assert graph.value(URIRef(KISUMU), CDKG.initiativeType) is not None
            page = httpx.get(live.url + "/kisumu-well-watch", timeout=60)
            assert "Civic action" in page.text and 'class="reasons"' in page.text
            home = httpx.get(live.url + "/browse/sdg/6", timeout=30)
            assert "Kisumu Well Watch" in home.text
            construct = httpx.get(
                live.url + "/sparql",
                params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"},
                headers={"Accept": "application/ld+json"},
            )
            assert len(rdflib.Graph().parse(data=construct.text, format="json-ld")) == 3
            update = httpx.post(live.url + "/sparql", data={"update": "CLEAR ALL"})
            assert update.status_code == 403
    finally:
        oxigraph.stop()


def test_initiative_pages_list_the_findings_classify_gives(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Each served initiative page lists exactly the findings ``cdkg classify`` gives for
    its source file: the page is classified with what it links to, two links deep (a
    dataset described beside the initiative is not "without licence")."""
    import json

    from cdkg.load.loader import load
    from tests.publish.test_site import EXAMPLES_BASE, _listed_findings, _own_classification
    from tests.support.webfixtures import REPO

    store_dir = tmp_path_factory.mktemp("serve-examples") / "store"
    with open_store(store_dir) as store:
        load(store, [str(REPO / "examples")], progress=False)
    expected = json.loads((REPO / "examples" / "expected.json").read_text(encoding="utf-8"))
    checked = with_findings = 0
    with open_store(store_dir, create=False) as store, serving(store, EXAMPLES_BASE) as live:
        for name, entry in sorted(expected.items()):
            for initiative in entry["initiatives"]:
                iri = initiative["iri"]
                r = get(live, "/" + iri[len(EXAMPLES_BASE) :], headers={"Accept": "text/html"})
                assert r.status_code == 200, iri
                own = _own_classification(name, iri)
                wanted = [
                    (f.severity_name, f.message, f.source_shape.rsplit("#", 1)[-1])
                    for f in own.findings
                ]
                assert _listed_findings(r.text) == wanted, iri
                checked += 1
                with_findings += bool(wanted)
    assert checked >= 12 and with_findings >= 5
