"""Writes are all-or-nothing even when the writing process is killed (SIGKILL).

A child process applies a large change to an embedded store and is killed at random
moments — while it builds the change, while Oxigraph's bulk loader writes, while a
replacing update runs. Reopening the store must then show the content from before or
after the change, never a mix. A reader querying an endpoint while a large load runs
keeps getting answers, each of them the old or the new content.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from cdkg.load.loader import load
from cdkg.store import EmbeddedStore, EndpointStore
from cdkg.store.embedded import JOURNAL

GRAPHS, TRIPLES = 20, 1500  # a change of 30,000 quads

CHILD = textwrap.dedent(
    """
    import sys
    import pyoxigraph as ox
    from cdkg.store import EmbeddedStore
    from cdkg.store.base import Change

    store_dir, mode = sys.argv[1], sys.argv[2]
    graphs, triples = int(sys.argv[3]), int(sys.argv[4])
    p = ox.NamedNode("https://example.org/p")
    change = Change()
    if mode == "replace":
        change.drop_graphs = [f"urn:old:{k}" for k in range(graphs)]
    prefix = "urn:old:" if mode == "replace" else "urn:new:"
    for k in range(graphs):
        g = ox.NamedNode(f"{prefix}{k}")
        change.insert += [
            ox.Quad(ox.NamedNode(f"urn:s:{k}:{i}"), p, ox.Literal(f"{mode} {i}"), g)
            for i in range(triples)
        ]
    change.insert.append(
        ox.Quad(ox.NamedNode("urn:batch"), p, ox.Literal(mode), ox.NamedNode("urn:registry"))
    )
    store = EmbeddedStore(store_dir)
    print("writing", flush=True)
    store.apply(change)
    store.close()
    print("done", flush=True)
    """
)


def fingerprint(store_dir: Path) -> dict[str, int]:
    with EmbeddedStore(store_dir) as store:
        counts: dict[str, int] = {}
        for quad in store.quads():
            name = quad.graph_name.value  # type: ignore[union-attr]
            counts[name] = counts.get(name, 0) + 1
        assert not (store_dir / JOURNAL).exists(), "opening the store must finish recovery"
        return counts


def run_child(store_dir: Path, mode: str, kill_after: float | None, on_write: bool):
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store_dir), mode, str(GRAPHS), str(TRIPLES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if kill_after is not None:
        if on_write:  # wait until the write itself has begun, then a little longer
            deadline = time.monotonic() + 30
            while not (store_dir / JOURNAL).exists() and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.001)
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def seed(store_dir: Path) -> dict[str, int]:
    code, _out, err = run_child(store_dir, "seed", None, False)
    assert code == 0, err
    with EmbeddedStore(store_dir) as store:  # rename the seeded graphs to urn:old:*
        store._store.update(
            "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?h { ?s ?p ?o } } WHERE "
            '{ GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), "urn:new:") '
            'BIND(IRI(REPLACE(STR(?g), "urn:new:", "urn:old:")) AS ?h) }'
        )
    return fingerprint(store_dir)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["add", "replace"])
def test_sigkill_during_a_write_leaves_old_or_new_content(tmp_path: Path, mode: str) -> None:
    rng = random.Random(int(os.environ.get("CDKG_KILL_SEED", "9")))
    template = tmp_path / "template"
    old = seed(template)
    assert sum(old.values()) == GRAPHS * TRIPLES + 1
    # The content after a completed change, measured once without a kill.
    complete_dir = tmp_path / "complete"
    subprocess.run(["cp", "-r", str(template), str(complete_dir)], check=True)
    code, _out, err = run_child(complete_dir, mode, None, False)
    assert code == 0, err
    new = fingerprint(complete_dir)
    assert new != old

    outcomes = {"old": 0, "new": 0}
    for attempt in range(6):
        store_dir = tmp_path / f"kill-{attempt}"
        subprocess.run(["cp", "-r", str(template), str(store_dir)], check=True)
        on_write = attempt % 3 != 0  # most kills aim at the write itself
        delay = rng.uniform(0, 0.15) if on_write else rng.uniform(0, 1.0)
        code, _out, err = run_child(store_dir, mode, delay, on_write)
        assert "Traceback" not in err
        got = fingerprint(store_dir)
        assert got in (old, new), f"attempt {attempt}: a mix of old and new content"
        outcomes["old" if got == old else "new"] += 1
        if code != -signal.SIGKILL:
            assert got == new  # it finished before the kill
    assert outcomes["old"] >= 1, outcomes  # the kills did land inside the writes


@pytest.mark.slow
@pytest.mark.server
def test_readers_keep_working_during_a_load_and_see_old_or_new(
    tmp_path: Path, oxigraph_server
) -> None:
    store = EndpointStore(oxigraph_server.query_url, oxigraph_server.update_url)
    src = tmp_path / "src"
    src.mkdir()
    for k in range(40):
        lines = [
            f"<https://example.org/i{k}> a <https://w3id.org/cdkg/ontology#Initiative> ;",
            f'  <http://purl.org/dc/terms/title> "Initiative {k}" ;',
            f"  <https://w3id.org/cdkg/ontology#initiatedBy> <https://example.org/a{k}> .",
            f"<https://example.org/a{k}> a <https://w3id.org/cdkg/ontology#Community> .",
        ]
        lines += [
            f'<https://example.org/i{k}> <https://example.org/note> "note {n}" .'
            for n in range(200)
        ]
        (src / f"i{k}.ttl").write_text("\n".join(lines), encoding="utf-8")
    initiative = "<https://w3id.org/cdkg/ontology#Initiative>"
    count_query = f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a {initiative} }}"

    def initiatives() -> int:
        return int(store.query(count_query, timeout=30).rows[0]["n"]["value"])

    assert initiatives() == 0
    seen: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                seen.append(initiatives())
            except BaseException as exc:
                errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        load(store, [str(src)])
    finally:
        done.set()
        thread.join(timeout=30)
    assert not errors, errors[:3]
    assert len(seen) >= 3, "the reader was not answered while the load ran"
    assert set(seen) <= {0, 40}, f"a reader saw part of the batch: {sorted(set(seen))}"
    assert initiatives() == 40


def test_an_interrupted_bulk_load_is_undone_when_the_store_is_opened(tmp_path: Path) -> None:
    """A bulk load cut off after part of its quads were written (as a kill would leave
    it, journal still present) is rolled back to the previous content on the next open."""
    import pyoxigraph as ox

    store_dir = tmp_path / "store"
    p = ox.NamedNode("https://example.org/p")
    registry = ox.NamedNode("urn:registry")
    with EmbeddedStore(store_dir) as store:
        store._store.add(ox.Quad(p, p, ox.Literal("old"), ox.NamedNode("urn:old")))
        store._store.add(ox.Quad(p, p, ox.Literal("kept"), registry))
    old = fingerprint(store_dir)
    quads = [
        ox.Quad(ox.NamedNode(f"urn:s:{i}"), p, ox.Literal(str(i)), ox.NamedNode(f"urn:new:{i % 7}"))
        for i in range(700)
    ]
    quads.append(ox.Quad(p, p, ox.Literal("batch record"), registry))
    store = EmbeddedStore(store_dir)
    store._write_journal(quads)
    store._store.bulk_extend(quads[350:])
    store._store.flush()
    del store._store  # no clean close: the journal stays
    assert (store_dir / JOURNAL).exists()
    assert fingerprint(store_dir) == old
