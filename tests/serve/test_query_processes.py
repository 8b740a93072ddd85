"""Queries that can really be stopped (issue: time limits did not stop queries).

Over an embedded store, ``/sparql`` runs each query in a worker process: at the deadline
the process is killed, so twenty runaway queries leave nothing computing and the
endpoint answers at once; a query asking for more memory than a query may use fails in
its process; and a worker process has no network, so even a SERVICE that got past the
endpoint's refusal could reach no listener.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cdkg.serve.query_process import Job, QueryProcesses, Refused
from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, example_store, serving

pytestmark = pytest.mark.server
JSON = {"Accept": "application/sparql-results+json"}
#: Every triple with every other twice over: far more than a second's work.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _concat_bomb() -> str:
    """A short query whose answer needs ~10 GB: each BIND repeats the last string ten times."""
    binds = ['BIND ("' + "x" * 1000 + '" AS ?v0)']
    for level in range(1, 8):
        args = ", ".join([f"?v{level - 1}"] * 10)
        binds.append(f"BIND (CONCAT({args}) AS ?v{level})")
    return "SELECT (STRLEN(?v7) AS ?n) WHERE { " + " ".join(binds) + " }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("runaway"))
    with open_store(store_dir, create=False) as store, serving(store, query_timeout=1.0) as live:
        yield live


def _children() -> set[int]:
    """The process ids of this process's live children."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def test_twenty_runaway_queries_are_stopped_and_the_endpoint_still_answers(
    server: LiveServer,
) -> None:
    before = _children()
    for _ in range(20):
        r = httpx.post(server.url + "/sparql", data={"query": RUNAWAY}, headers=JSON, timeout=30)
        assert r.status_code == 503, r.text
        assert "longer than the limit" in r.text
    started = time.monotonic()
    ask = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30)
    took = time.monotonic() - started
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    print(f"ASK {{}} after 20 stopped queries: {took:.2f} s")
    # the stopped queries' processes are gone: at most the pool's processes remain
    assert len(_children() - before) <= 4


def test_a_query_asking_for_too_much_memory_fails_alone(server: LiveServer) -> None:
    r = httpx.post(server.url + "/sparql", data={"query": _concat_bomb()}, headers=JSON, timeout=60)
    assert r.status_code == 503, r.text
    assert "memory" in r.text or "longer than the limit" in r.text
    ask = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30)
    assert ask.status_code == 200


def test_more_queries_than_processes_get_retry_after(tmp_path: Path) -> None:
    store_dir = example_store(tmp_path)
    processes = QueryProcesses(store_dir, workers=1)
    job = Job(RUNAWAY, "SELECT", "application/sparql-results+json", 10, 3.0)
    answers: list[object] = []

    def slow() -> None:
        try:
            processes.run(job, lambda: Refused(503, "late"))
        except Refused as exc:
            answers.append(exc.status)

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(1.0)
    with pytest.raises(Refused) as refused:
        processes.run(job, lambda: Refused(503, "late"))
    assert refused.value.status == 503 and refused.value.headers.get("Retry-After")
    worker.join()
    processes.close()
    assert answers == [503]


def test_a_worker_process_reaches_no_network(tmp_path: Path) -> None:
    """Even a SERVICE clause run in a worker (the endpoint refuses them before) finds no
    network: the loopback listener is never contacted."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    store_dir = example_store(tmp_path)
    processes = QueryProcesses(store_dir, workers=1)
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    job = Job(query, "SELECT", "application/sparql-results+json", 10, 10.0)
    try:
        with pytest.raises(Refused):
            processes.run(job, lambda: Refused(503, "late"))
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        processes.close()
        listener.close()
