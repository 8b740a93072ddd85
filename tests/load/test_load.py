"""Loading, replacing and removing sources; all-or-nothing batches; status and export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cdkg.load.loader import known_sources, load, remove
from cdkg.store import EmbeddedStore, EndpointStore
from cdkg.store.layout import REGISTRY_GRAPH, VOCAB_GRAPH, inferred_graph
from tests.support.paths import TEST_DATA

REGISTRY = TEST_DATA / "queries" / "registry"

ONE = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/x/{name}> a cdkg:Initiative ; dct:title "{title}" .
"""


def write(folder: Path, name: str, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ttl"
    path.write_text(ONE.format(name=name, title=title), encoding="utf-8")
    return path


def snapshot(store) -> set[str]:
    return {str(q) for q in store.quads()}


def titles(store) -> dict[str, str]:
    rows = store.query(
        "SELECT ?i ?t WHERE { ?i a <https://w3id.org/cdkg/ontology#Initiative> ; "
        "<http://purl.org/dc/terms/title> ?t } ORDER BY ?i"
    ).rows
    return {r["i"]["value"].rsplit("/", 1)[-1]: r["t"]["value"] for r in rows}


@pytest.fixture
def copied_registry(tmp_path) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(REGISTRY, target)
    return target


def check_load_replace_remove(store, folder: Path) -> None:
    a = write(folder, "a", "first")
    b = write(folder, "b", "second")
    report = load(store, [str(folder)])
    assert [s.replaced for s in report.sources] == [False, False]
    assert report.vocabulary_loaded
    assert titles(store) == {"a": "first", "b": "second"}
    assert set(known_sources(store)) == {a.resolve().as_uri(), b.resolve().as_uri()}
    assert store.has_graph(a.resolve().as_uri())
    assert store.has_graph(VOCAB_GRAPH)

    # re-loading one source replaces exactly its graph
    write(folder, "a", "first, revised")
    report = load(store, [str(a)])
    assert [s.replaced for s in report.sources] == [True]
    assert not report.vocabulary_loaded, "the vocabularies are loaded once per release"
    assert titles(store) == {"a": "first, revised", "b": "second"}

    # removing by path deletes its graph and records, nothing else
    assert remove(store, [str(b)]) == [b.resolve().as_uri()]
    assert titles(store) == {"a": "first, revised"}
    assert set(known_sources(store)) == {a.resolve().as_uri()}
    assert not store.has_graph(b.resolve().as_uri())


def test_load_replace_remove_embedded(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        check_load_replace_remove(store, tmp_path / "src")


@pytest.mark.server
def test_load_replace_remove_through_the_update_endpoint(tmp_path, oxigraph_server):
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    check_load_replace_remove(store, tmp_path / "src")


def check_broken_batch_changes_nothing(store, folder: Path, cli_args, cli) -> None:
    write(folder, "a", "first")
    load(store, [str(folder)])
    before = snapshot(store)
    write(folder, "a", "changed")  # a replacement ...
    write(folder, "c", "new")  # ... a new source ...
    broken = folder / "zz-broken.ttl"  # ... and one broken file
    broken.write_text('<https://example.org/x/z> <https://example.org/p> "unterminated .\n')
    result = cli("load", str(folder), *cli_args)
    assert result.code == 2
    assert "zz-broken.ttl:1:" in result.err, result.err
    assert "Traceback" not in result.err
    assert snapshot(store) == before


def test_broken_file_in_batch_changes_nothing_embedded(tmp_path, cli):
    store_dir = tmp_path / "store"
    with EmbeddedStore(store_dir) as store:
        load(store, [str(write(tmp_path / "src", "a", "first"))])
    # the CLI opens the store itself, so close ours while it runs
    folder = tmp_path / "src"
    write(folder, "a", "changed")
    write(folder, "c", "new")
    (folder / "zz-broken.ttl").write_text("<https://example.org/x/z> <p> .\n")
    with EmbeddedStore(store_dir) as store:
        before = snapshot(store)
    result = cli("load", str(folder), "--store", str(store_dir))
    assert result.code == 2
    assert "zz-broken.ttl:1:" in result.err and "Traceback" not in result.err
    with EmbeddedStore(store_dir) as store:
        assert snapshot(store) == before
        assert titles(store) == {"a": "first"}


@pytest.mark.server
def test_broken_file_in_batch_changes_nothing_on_the_server(tmp_path, oxigraph_server, cli):
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    args = (
        "--endpoint",
        oxigraph_server.query_url,
        "--update-endpoint",
        oxigraph_server.update_url,
    )
    check_broken_batch_changes_nothing(store, tmp_path / "src", args, cli)


def test_unstorable_term_rejects_the_batch(tmp_path, cli):
    folder = tmp_path / "src"
    write(folder, "a", "fine")
    # rdflib reads this IRI, but it is not a valid IRI, so no store would take it
    (folder / "bad.ttl").write_text(
        '<https://example.org/a{b}> <http://purl.org/dc/terms/title> "x" .'
    )
    result = cli("load", str(folder), "--store", str(tmp_path / "store"))
    assert result.code == 2
    assert (
        "bad.ttl" in result.err
        and ("cannot be stored" in result.err or "Invalid IRI" in result.err)
        and "Traceback" not in result.err
    )
    with EmbeddedStore(tmp_path / "store") as store:
        assert titles(store) == {}


def test_stdin_needs_a_graph_name(tmp_path, cli):
    text = ONE.format(name="s", title="from stdin")
    store = str(tmp_path / "store")
    result = cli("load", "-", "--input-format", "turtle", "--store", store, stdin=text)
    assert result.code == 2 and "--graph" in result.err
    result = cli(
        "load",
        "-",
        "--input-format",
        "turtle",
        "--graph",
        "urn:example:s",
        "--store",
        store,
        stdin=text,
    )
    assert result.code == 0, result.err
    result = cli("remove", "urn:example:s", "--store", store)
    assert result.code == 0 and "urn:example:s" in result.out


def test_remove_unknown_source_changes_nothing(tmp_path, cli):
    a = write(tmp_path / "src", "a", "first")
    store = str(tmp_path / "store")
    assert cli("load", str(a), "--store", store).code == 0
    result = cli("remove", str(a), str(tmp_path / "never-loaded.ttl"), "--store", store)
    assert result.code == 2
    assert "never-loaded.ttl" in result.err and "no such source" in result.err
    with EmbeddedStore(store) as s:
        assert titles(s) == {"a": "first"}


def test_status_and_export(tmp_path, cli, copied_registry):
    store = str(tmp_path / "store")
    result = cli("load", str(copied_registry), "--store", store)
    assert result.code == 0, result.err
    assert "loaded 10 source(s)" in result.out

    status = cli("status", "--store", store, "--format", "json", "--graphs")
    assert status.code == 0, status.err
    doc = json.loads(status.out)
    assert doc["sources"] == 10 and len(doc["graphs"]) == 10
    assert doc["initiatives"] == 10
    assert doc["source_triples"] == sum(g["triples"] for g in doc["graphs"])
    assert doc["vocabulary_triples"] > 1000
    assert doc["last_change"].endswith("Z")
    text = cli("status", "--store", store)
    assert "sources:      10" in text.out

    import pyoxigraph as ox

    nq = cli("export", "--store", store, "--format", "nq")
    quads = list(ox.parse(nq.out.encode(), ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    assert len([g for g in graphs if g.startswith("file:")]) == 10
    assert VOCAB_GRAPH not in graphs and REGISTRY_GRAPH not in graphs
    assert len(quads) == doc["source_triples"] + doc["inferred_triples"]
    full = cli("export", "--store", store, "--format", "trig", "--all")
    full_quads = list(ox.parse(full.out.encode(), ox.RdfFormat.TRIG))
    assert len(full_quads) == doc["triples"]

    out = tmp_path / "registry.ttl"
    assert cli("export", "--store", store, "--format", "ttl", "--out", str(out)).code == 0
    triples = list(ox.parse(out.read_bytes(), ox.RdfFormat.TURTLE))
    assert 0 < len(triples) <= len(quads)
    jsonld = cli("export", "--store", store, "--format", "jsonld")
    assert len(list(ox.parse(jsonld.out.encode(), ox.RdfFormat.JSON_LD))) == len(triples)


def test_inferred_graph_iri_is_stable():
    assert inferred_graph("file:///a.ttl") == inferred_graph("file:///a.ttl")
    assert inferred_graph("file:///a.ttl") != inferred_graph("file:///b.ttl")
    assert inferred_graph("file:///a.ttl").startswith("urn:cdkg:inferred:")


@pytest.mark.slow
def test_validate_and_classify_what_is_stored(tmp_path, cli, copied_registry):
    store = str(tmp_path / "store")
    assert cli("load", str(copied_registry), "--store", store).code == 0
    from_store = cli("classify", "--store", store, "--format", "json")
    from_files = cli("classify", str(copied_registry), "--format", "json")
    assert from_store.code == from_files.code
    assert json.loads(from_store.out) == json.loads(from_files.out)
    assert len(json.loads(from_store.out)["initiatives"]) == 10
    validated = cli("validate", "--store", store, "--format", "json")
    assert validated.code == cli("validate", str(copied_registry)).code
    both = cli("validate", str(copied_registry), "--store", store)
    assert both.code == 2 and "not both" in both.err
    neither = cli("validate")
    assert neither.code == 2 and "nothing to read" in neither.err


@pytest.mark.server
def test_classify_what_a_server_holds(tmp_path, cli, oxigraph_server):
    load(EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url), [str(REGISTRY)])
    remote = cli("classify", "--endpoint", oxigraph_server.query_url, "--format", "json")
    local = cli("classify", str(REGISTRY), "--format", "json")
    assert json.loads(remote.out) == json.loads(local.out)


def test_inferred_classification_is_replaced_on_reload(tmp_path, cli):
    """Queries see the inferred types, and re-loading a source recomputes them."""
    folder = tmp_path / "src"
    shutil.copy(REGISTRY / "i4-nso-driven.ttl", folder.mkdir() or folder / "i4.ttl")
    store = str(tmp_path / "store")
    assert cli("load", str(folder), "--store", store).code == 0
    typed = cli("query", "initiatives", "--store", store, "--format", "csv")
    assert "nso-driven-collaboration,true" in typed.out
    # citizens drop to consultation: no longer citizen data (type 6)
    text = (folder / "i4.ttl").read_text().replace("level:4", "level:2")
    text += (
        "\nex:i4 cdkg:initiativeType <https://w3id.org/cdkg/vocab/initiative-type/civic-action> .\n"
    )
    (folder / "i4.ttl").write_text(text)
    assert cli("load", str(folder), "--store", store).code == 0
    retyped = cli("query", "initiatives", "--store", store, "--format", "csv")
    assert "non-collaborative,false" in retyped.out
    assert "civic-action" not in retyped.out, "a claimed type is not stored as fact"
    assert retyped.out.count("\r\n") == 2
