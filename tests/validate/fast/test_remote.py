"""The fast engine validates a registry on its SPARQL endpoint (issue 8).

Against a real ``oxigraph serve``: the report is the one the embedded store (and the
files themselves) give for the same content; the scratch graphs are gone afterwards,
also after an interrupt; no query endpoint alone, a refused update, blank nodes or a
server that stops mid-run each give a clear note or a one-line error, never a traceback.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from cdkg.sources.synthetic import generate
from cdkg.store import EndpointStore
from cdkg.validate.fast import remote
from cdkg.validate.fast.remote import EndpointBackend, run_on_endpoint, work_graphs
from tests.support.paths import EXAMPLES

pytestmark = pytest.mark.server

EXAMPLE_FILES = sorted(
    p for p in EXAMPLES.iterdir() if p.is_file() and p.suffix in (".ttl", ".jsonld", ".yaml")
)


def endpoint_args(server: Any, *, update: bool = True) -> list[str]:
    args = ["--endpoint", server.query_url]
    return [*args, "--update-endpoint", server.update_url] if update else args


def load(cli: Any, server: Any, *paths: str, graph: str | None = None, stdin: str | None = None):
    extra = ["--graph", graph, "--input-format", "turtle"] if graph else []
    result = cli("load", *paths, *extra, "--engine", "fast", *endpoint_args(server), stdin=stdin)
    assert result.code == 0, result.err


def triple_count(server: Any) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    store = EndpointStore(server.query_url)
    return int(store.query(query).rows[0]["n"]["value"])


def turtle(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle")


ALL_REPORTS = [(c, f) for c in ("validate", "classify") for f in ("json", "text", "turtle")]


def compare(
    cli: Any,
    server: Any,
    store_dir: Path | None,
    files: list[str],
    reports: list[tuple[str, str]] = ALL_REPORTS,
) -> None:
    """Remote fast == the embedded store's (or the files') fast report."""
    for command, fmt in reports:
        on_server = cli(command, *endpoint_args(server), "--engine", "fast", "--format", fmt)
        assert "Traceback" not in on_server.err
        assert "note" not in on_server.err, on_server.err  # it really ran on the server
        local = (
            cli(command, "--store", str(store_dir), "--engine", "fast", "--format", fmt)
            if store_dir
            else cli(command, *files, "--engine", "fast", "--format", fmt)
        )
        assert on_server.code == local.code, (command, fmt)
        if fmt == "json":
            assert json.loads(on_server.out) == json.loads(local.out), (command, fmt)
        elif fmt == "text":
            assert on_server.out == local.out, (command, fmt)
        else:  # Turtle: the same graph (blank-node labels differ)
            assert isomorphic(turtle(on_server.out), turtle(local.out)), (command, fmt)


def test_examples_give_the_embedded_store_report(tmp_path, cli, oxigraph_server):
    files = [str(p) for p in EXAMPLE_FILES]
    load(cli, oxigraph_server, *files)
    store_dir = tmp_path / "store"
    assert cli("load", *files, "--store", str(store_dir), "--engine", "fast").code == 0
    before = triple_count(oxigraph_server)
    compare(cli, oxigraph_server, store_dir, files)
    # the scratch graphs are gone, and nothing else changed
    assert list(work_graphs(EndpointStore(oxigraph_server.query_url))) == []
    assert triple_count(oxigraph_server) == before


@pytest.mark.slow
def test_generated_registry_gives_the_same_report(tmp_path, cli, oxigraph_server):
    """200 generated initiatives in 4 files: actors shared between files, some errors."""
    folder = tmp_path / "registry"
    generate(200, out=folder, seed=3, chunk_size=50)
    load(cli, oxigraph_server, str(folder))
    reports = [("validate", "json"), ("classify", "json"), ("classify", "text")]
    compare(cli, oxigraph_server, None, [str(folder)], reports)
    assert list(work_graphs(EndpointStore(oxigraph_server.query_url))) == []


def test_triples_repeated_across_sources_count_once(tmp_path, cli, oxigraph_server):
    """The same description in two graphs: a union would see every title twice."""
    text = (EXAMPLES / "ebird.ttl").read_text()
    load(cli, oxigraph_server, "-", graph="urn:example:ebird-a", stdin=text)
    load(cli, oxigraph_server, "-", graph="urn:example:ebird-b", stdin=text)
    union = EndpointStore(oxigraph_server.query_url).query(
        "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/cdkg/examples/ebird> "
        "<http://purl.org/dc/terms/title> ?t }"
    )
    assert union.rows[0]["n"]["value"] == "2"  # the server's union repeats the triple
    args = ["--engine", "fast", "--format", "json"]
    on_server = cli("validate", *endpoint_args(oxigraph_server), *args)
    assert "note" not in on_server.err
    assert json.loads(on_server.out) == json.loads(
        cli("validate", str(EXAMPLES / "ebird.ttl"), *args).out
    )
    assert on_server.code == 0


def test_json_validation_reads_no_description(cli, oxigraph_server, monkeypatch):
    load(cli, oxigraph_server, str(EXAMPLES / "ebird.ttl"), str(EXAMPLES / "harassmap.yaml"))
    expected = cli(
        "validate", *endpoint_args(oxigraph_server), "--engine", "fast", "--format", "json"
    )

    def no_download(store: object) -> None:
        raise AssertionError("the descriptions were downloaded")

    monkeypatch.setattr(remote, "stored_descriptions", no_download)
    monkeypatch.setattr("cdkg.validate.run.stored_descriptions", no_download)
    result = cli(
        "validate", *endpoint_args(oxigraph_server), "--engine", "fast", "--format", "json"
    )
    assert result.code == expected.code and result.out == expected.out and result.err == ""


def test_query_endpoint_alone_falls_back_with_a_note(cli, oxigraph_server):
    load(cli, oxigraph_server, str(EXAMPLES / "ebird.ttl"))
    alone = cli("classify", *endpoint_args(oxigraph_server, update=False), "--engine", "fast")
    assert alone.code == 0 and "Traceback" not in alone.err
    assert alone.err.startswith("cdkg: note: ") and "--update-endpoint" in alone.err
    assert alone.out == cli("classify", str(EXAMPLES / "ebird.ttl"), "--engine", "fast").out


def test_refused_update_falls_back_with_a_note(cli, oxigraph_server):
    load(cli, oxigraph_server, str(EXAMPLES / "ebird.ttl"))
    refused = cli(
        "validate", "--endpoint", oxigraph_server.query_url,
        "--update-endpoint", oxigraph_server.base + "/no-such-update-service",
        "--engine", "fast", "--format", "json",
    )  # fmt: skip
    assert refused.code == 0 and "Traceback" not in refused.err
    assert "cdkg: note: the update endpoint" in refused.err and "refused" in refused.err
    assert json.loads(refused.out)["conforms"] is True


def without_labels(report: str) -> object:
    """A JSON report with blank-node labels blanked (each run names them afresh)."""
    return json.loads(re.sub(r'"_:[^"]*"', '"_:"', report))


def test_blank_nodes_fall_back_with_a_note(cli, oxigraph_server):
    text = (
        (EXAMPLES / "ebird.ttl")
        .read_text()
        .replace("ex:ebird-data .", "ex:ebird-data , [ a <http://www.w3.org/ns/dcat#Dataset> ] .")
    )
    load(cli, oxigraph_server, "-", graph="urn:example:blank", stdin=text)
    result = cli(
        "validate", *endpoint_args(oxigraph_server), "--engine", "fast", "--format", "json"
    )
    assert "blank nodes" in result.err and "downloaded copy" in result.err
    local = cli(
        "validate", "-", "--input-format", "turtle", "--engine", "fast", "--format", "json",
        stdin=text,
    )  # fmt: skip
    assert result.code == local.code
    assert without_labels(result.out) == without_labels(local.out)
    assert list(work_graphs(EndpointStore(oxigraph_server.query_url))) == []


def test_server_stopping_mid_run_is_a_one_line_error(cli, oxigraph_server, monkeypatch):
    load(cli, oxigraph_server, str(EXAMPLES / "ebird.ttl"))
    original = EndpointBackend.select
    calls = 0

    def select(self: EndpointBackend, query: str) -> Any:
        nonlocal calls
        calls += 1
        if calls == 5:
            oxigraph_server.stop()
        return original(self, query)

    monkeypatch.setattr(EndpointBackend, "select", select)
    result = cli("validate", *endpoint_args(oxigraph_server), "--engine", "fast")
    assert calls >= 5  # it stopped at the queries after the server went away
    assert result.code == 2 and result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the endpoint" in lines[0], result.err


def test_scratch_graphs_are_removed_after_an_interrupt(cli, oxigraph_server, monkeypatch):
    load(cli, oxigraph_server, str(EXAMPLES / "ebird.ttl"))
    before = triple_count(oxigraph_server)
    original = EndpointBackend.select
    seen: list[str] = []

    def select(self: EndpointBackend, query: str) -> Any:
        seen.append(self.graph)
        if len(seen) == 8:
            raise KeyboardInterrupt
        return original(self, query)

    monkeypatch.setattr(EndpointBackend, "select", select)
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    with pytest.raises(KeyboardInterrupt):
        run_on_endpoint(store)
    assert seen and seen[0].startswith(remote.WORK_PREFIX)
    assert not store.has_graph(seen[0])
    assert list(work_graphs(store)) == []
    assert triple_count(oxigraph_server) == before


def test_select_from_two_threads(cli, oxigraph_server):
    load(cli, oxigraph_server, *[str(p) for p in EXAMPLE_FILES])
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    queries = [
        f"SELECT ?s WHERE {{ ?s a <https://w3id.org/cdkg/ontology#{c}> }} ORDER BY ?s"
        for c in ("Initiative", "Engagement", "Actor", "CitizenGroup") * 4
    ]
    with EndpointBackend(store) as backend:
        alone = [backend.select(q) for q in queries]
        with ThreadPoolExecutor(max_workers=2) as pool:
            together = list(pool.map(backend.select, queries))
        assert together == alone and any(alone)
        assert backend.queries == 2 * len(queries)
        graph = backend.graph
        assert store.has_graph(graph)
    assert not store.has_graph(graph)


def test_leftover_scratch_graph_is_not_read_as_data(cli, oxigraph_server):
    """A killed run's work graph (say) is not a source: the next run ignores it."""
    load(cli, oxigraph_server, str(EXAMPLES / "ebird.ttl"))
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    leftover = remote.WORK_PREFIX + "killed"
    store.update(
        f"INSERT DATA {{ GRAPH <{leftover}> {{ <https://w3id.org/cdkg/examples/ebird> "
        '<http://purl.org/dc/terms/title> "another title"@en } }'
    )
    args = ["--engine", "fast", "--format", "json"]
    result = cli("validate", *endpoint_args(oxigraph_server), *args)
    assert json.loads(result.out) == json.loads(
        cli("validate", str(EXAMPLES / "ebird.ttl"), *args).out
    )
    assert list(work_graphs(store)) == [leftover]  # someone else's: left alone
