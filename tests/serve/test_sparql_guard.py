"""What a SPARQL request may do is decided from its parse tree (issue: the SERVICE guard
was bypassed by text that the old lexer misread).

The review's two bypasses — a long string ending in an escaped backslash, and a
``"\\u0022"`` string — are refused, and a loopback listener named by their SERVICE
clause is never contacted. With the update token, an update may not LOAD, call a
service, or write the registry's own graphs, the default graph, every graph, or a graph
a variable names, however it is written.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cdkg.rdf.sparql_check import Unchecked, query_effects, update_effects
from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, example_store, serving

pytestmark = pytest.mark.server
TOKEN = "guard-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("guard"))
    with open_store(store_dir, create=False) as store, serving(store, update_token=TOKEN) as live:
        yield live


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.3)
    yield sock, sock.getsockname()[1]
    sock.close()


def _contacted(sock: socket.socket) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


SERVICE = "SERVICE <http://127.0.0.1:{port}/s> {{ ?a ?b ?c }}"
#: The review's bypasses (refused), and a query whose SERVICE is, for Oxigraph, inside a
#: comment: it runs (in a worker process without network), and calls nothing.
BYPASSES = [
    ('SELECT * WHERE {{ BIND("""x\\\\""" AS ?x) ' + SERVICE + " }}", {403}),
    ('SELECT * WHERE {{ BIND("\\u0022" AS ?x) ' + SERVICE + " }}", {403}),
    ('SELECT * WHERE {{ BIND("\\u0022" AS ?x) }} # " ' + SERVICE, {200, 403}),
]


@pytest.mark.parametrize(("template", "statuses"), BYPASSES)
def test_the_review_s_service_bypasses_are_refused(
    server: LiveServer, listener: tuple[socket.socket, int], template: str, statuses: set[int]
) -> None:
    sock, port = listener
    query = template.format(port=port)
    r = httpx.post(server.url + "/sparql", data={"query": query}, headers=JSON, timeout=30)
    assert r.status_code in statuses, r.text
    assert not _contacted(sock)


@pytest.mark.parametrize(
    "update",
    [
        'INSERT DATA { GRAPH <urn:cdkg:graph:registry> { <urn:a> <urn:b> "c" } }',
        'INSERT DATA { GRAPH <urn:cdkg:inferred:0> { <urn:a> <urn:b> "c" } }',
        'INSERT DATA { <urn:a> <urn:b> "c" }',
        "DROP ALL",
        "CLEAR DEFAULT",
        "INSERT { GRAPH ?g { <urn:a> <urn:b> ?g } } WHERE { GRAPH ?g { ?s ?p ?o } }",
        "WITH <urn:cdkg:graph:vocabularies> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "MOVE <urn:cdkg:graph:registry> TO <urn:example:graph:x>",
        'INSERT DATA { GRAPH <urn:ok> { <urn:a> <urn:b> """x\\\\""" } } ; LOAD <http://127.0.0.1:9/x>',
        'INSERT DATA { GRAPH <urn:ok> { <urn:a> <urn:b> "\\u0022" } }',
    ],
)
def test_updates_that_would_reach_out_or_write_the_registry_s_graphs_are_refused(
    server: LiveServer, update: str
) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = httpx.get(server.url + "/sparql", params={"query": count}, headers=JSON).json()
    r = httpx.post(server.url + "/sparql", content=update, headers=AUTH, timeout=30)
    assert r.status_code in (400, 403), r.text
    after = httpx.get(server.url + "/sparql", params={"query": count}, headers=JSON).json()
    assert after == before


def test_an_update_of_a_named_source_graph_still_runs(server: LiveServer) -> None:
    update = 'INSERT DATA { GRAPH <urn:example:graph:guard> { <urn:a> <urn:b> "ok" } }'
    r = httpx.post(server.url + "/sparql", content=update, headers=AUTH, timeout=30)
    assert r.status_code == 204, r.text


def test_effects_are_read_from_the_parse_tree() -> None:
    tricky = 'SELECT * WHERE { ?s ?p """x\\\\""" . SERVICE <http://a/> { } }'
    assert query_effects(tricky).services == ["http://a/"]
    # a SERVICE inside a string or a comment is no SERVICE
    assert query_effects('SELECT * WHERE { ?s ?p "SERVICE <http://a/> {}" }').services == []
    assert query_effects("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://a/> {}").services == []
    effects = update_effects(
        "COPY <urn:a> TO <urn:b> ; MOVE <urn:c> TO <urn:d> ; "
        "WITH <urn:w> DELETE { ?s ?p ?o } INSERT { GRAPH <urn:i> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    )
    assert sorted(effects.written) == ["urn:b", "urn:c", "urn:d", "urn:i", "urn:w"]
    with pytest.raises(Unchecked) as escaped:
        query_effects('SELECT * WHERE { ?s ?p "\\u0022" }')
    assert escaped.value.kind == "escape"


def test_a_query_the_parser_cannot_read_runs_only_without_network(tmp_path: Path) -> None:
    """Oxigraph reads some queries rdflib's grammar does not (here: too many triple
    patterns for its recursion); they run in the network-less worker processes."""
    store_dir = example_store(tmp_path)
    patterns = " ".join(f"?s{i} <urn:p{i}> ?o{i} ." for i in range(300))
    query = f"SELECT * WHERE {{ {patterns} }}"
    with pytest.raises(Unchecked):
        query_effects(query)
    with open_store(store_dir, create=False) as store, serving(store) as live:
        r = httpx.post(live.url + "/sparql", data={"query": query}, headers=JSON, timeout=30)
    assert r.status_code == 200, r.text
