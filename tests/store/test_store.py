"""The store layer: both backends behind one interface, atomic changes, clear failures."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cdkg.store import Change, EmbeddedStore, EndpointStore, StoreError, open_store
from cdkg.store.embedded import default_store_dir

EX = "https://example.org/"


def quad(s: str, o: str, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), ox.NamedNode(g))


def contents(store) -> set[str]:
    return {str(q) for q in store.quads()}


def exercise(store) -> None:
    """The same sequence of changes and reads, whatever the backend."""
    store.apply(Change(insert=[quad("a", "1", EX + "g1"), quad("b", "2", EX + "g2")]))
    assert store.has_graph(EX + "g1") and store.has_graph(EX + "g2")
    rows = store.query("SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o } ORDER BY ?o").rows
    assert [r["o"]["value"] for r in rows] == ["1", "2"], "default graph is the union"
    # replace g1, delete what g2's records say about b, keep the rest
    store.apply(
        Change(
            drop_graphs=[EX + "g1"],
            delete_about=[(EX + "g2", EX + "b")],
            insert=[quad("c", "3", EX + "g1")],
        )
    )
    assert contents(store) == {str(quad("c", "3", EX + "g1"))}
    assert not store.has_graph(EX + "g2")
    assert store.query("ASK { <https://example.org/c> ?p 3 }").boolean is False
    assert store.query('ASK { <https://example.org/c> ?p "3" }').boolean is True
    assert [str(q) for q in store.quads(EX + "g1")] == [str(quad("c", "3", EX + "g1"))]


def test_embedded_store_reads_and_writes(tmp_path):
    with EmbeddedStore(tmp_path / "s") as store:
        exercise(store)


@pytest.mark.server
def test_endpoint_store_reads_and_writes_on_a_real_server(oxigraph_server):
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    exercise(store)


def test_embedded_store_persists_on_disk(tmp_path):
    with EmbeddedStore(tmp_path / "s") as store:
        store.apply(Change(insert=[quad("a", "1", EX + "g")]))
    with EmbeddedStore(tmp_path / "s", create=False) as again:
        assert contents(again) == {str(quad("a", "1", EX + "g"))}


def test_embedded_bulk_write_failing_part_way_leaves_store_unchanged(tmp_path):
    """A change that only adds graphs uses the bulk loader; a failure there is undone."""
    with EmbeddedStore(tmp_path / "s") as store:
        store.apply(Change(insert=[quad("a", "1", EX + "g0")]))
        before = contents(store)
        real = store._store

        class Failing:
            def __getattr__(self, name):
                return getattr(real, name)

            def bulk_extend(self, quads):
                quads = list(quads)
                real.extend(quads[: len(quads) // 2])
                raise OSError("disk full")

        store._store = Failing()
        new = [quad(f"n{i}", str(i), EX + "g1") for i in range(10)]
        with pytest.raises(StoreError, match="nothing was changed"):
            store.apply(Change(drop_graphs=[EX + "g1"], insert=new))
        store._store = real
        assert contents(store) == before


def test_embedded_store_missing_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError) as err:
        EmbeddedStore(tmp_path / "nothing", create=False)
    assert "no store here" in str(err.value) and "cdkg load" in str(err.value)


def test_embedded_store_in_use_is_a_clear_error(tmp_path):
    with (
        EmbeddedStore(tmp_path / "s"),
        pytest.raises(StoreError, match="in use by another process"),
    ):
        EmbeddedStore(tmp_path / "s")


def test_unreachable_endpoint_is_a_clear_error():
    from tests.support.servers import free_port

    store = EndpointStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(StoreError, match="cannot reach the endpoint"):
        store.query("ASK {}")


@pytest.mark.server
def test_endpoint_errors_name_the_server_answer(oxigraph_server):
    store = EndpointStore(oxigraph_server.query_url)
    with pytest.raises(StoreError, match="HTTP 400"):
        store.query("SELECT WHERE nonsense")
    with pytest.raises(StoreError, match="read-only here"):
        store.apply(Change(insert=[quad("a", "1", EX + "g")]))


def test_endpoint_must_be_http():
    with pytest.raises(StoreError, match="not an http"):
        EndpointStore("ftp://example.org/sparql")


def test_open_store_chooses_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("CDKG_STORE", str(tmp_path / "default"))
    assert default_store_dir() == tmp_path / "default"
    with open_store() as store:
        assert isinstance(store, EmbeddedStore) and store.path == tmp_path / "default"
    remote = open_store(endpoint="http://127.0.0.1:9/q", update_endpoint="http://127.0.0.1:9/u")
    assert isinstance(remote, EndpointStore)
    with pytest.raises(StoreError, match="either --store or --endpoint"):
        open_store(tmp_path, endpoint="http://127.0.0.1:9/q")


def test_default_store_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("CDKG_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_store_dir() == tmp_path / "cdkg" / "store"


def _announcing_change(graph: str, store, calls: list[set[str]], *, replace: bool) -> Change:
    """A change whose ``meanwhile`` hook records what ``graph`` holds when it is called."""
    from cdkg.store import Payload

    nquads = f'<{EX}a> <{EX}p> "1" <{graph}> .\n'.encode()
    change = Change(
        drop_graphs=[graph] if replace else [],
        payload=Payload(nquads, (graph,), ()),
    )
    change.meanwhile = lambda: calls.append({str(q) for q in store.quads(graph)})
    return change


@pytest.mark.parametrize("replace", [False, True])
def test_embedded_store_calls_meanwhile_once_before_writing(tmp_path, replace):
    """A change's ``meanwhile`` (load frees its batch there) runs once, as the write starts."""
    graph = EX + "g1"
    with EmbeddedStore(tmp_path / "s") as store:
        if replace:
            store.apply(Change(insert=[quad("old", "0", graph)]))
        before = contents(store)
        calls: list[set[str]] = []
        store.apply(_announcing_change(graph, store, calls, replace=replace))
        assert calls == [before]  # called once, before the write
        assert contents(store) == {f'<{EX}a> <{EX}p> "1" <{graph}>'}


@pytest.mark.server
def test_endpoint_store_calls_meanwhile_once_before_writing(oxigraph_server):
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    calls: list[set[str]] = []
    store.apply(_announcing_change(EX + "m1", store, calls, replace=False))
    assert calls == [set()]
    assert store.has_graph(EX + "m1")
