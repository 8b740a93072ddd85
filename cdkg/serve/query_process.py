"""SPARQL queries over an embedded store, each run in a worker process that can be stopped.

A thread cannot be stopped: a query that outlives its time limit would go on computing
after the client got its 503, and a few such queries would take every worker thread. So
``/sparql`` runs queries over an embedded store in worker processes:

* a query that is not done at its deadline is stopped by killing its process (a new one
  takes its place), so runaway queries never pile up;
* each process may use at most ``memory`` bytes of address space (``RLIMIT_AS``): a query
  that asks for more fails in its process, not in the server;
* each process drops its network access first where the system allows it (a network
  namespace of its own, Linux user namespaces): even a query that named a ``SERVICE``
  could reach nothing (the endpoint refuses ``SERVICE`` anyway);
* at most ``workers`` queries run at once; one more is answered 503 with ``Retry-After``.

The processes open the store read-only (:meth:`pyoxigraph.Store.read_only`); after a write
through the server they are replaced (:meth:`QueryProcesses.restart`), so the next query
reads the new content.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from cdkg.serve.answers import Job, Refused, answer_embedded

#: Linux clone flags: a user namespace (so that no privilege is needed) and a network
#: namespace (holding only a loopback interface that is down).
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def _isolate_network() -> bool:
    """Leave every network but a dead loopback (True if done; best effort)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done: int = libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET)
        if done != 0:
            done = libc.unshare(_CLONE_NEWNET)
        return done == 0
    except (OSError, AttributeError):
        return False


def _worker(conn: Connection, path: str, memory: int | None) -> None:  # pragma: no cover
    """A worker process's life: isolate, cap memory, open the store, answer jobs."""
    isolated = _isolate_network()
    if memory:
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        conn.send(("error", (503, f"the store cannot be opened for queries: {exc}", {})))
        return
    conn.send(("ready", None))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if job.unchecked and not isolated:
                raise Refused(400, f"the query cannot be checked: {job.unchecked}")
            conn.send(("ok", answer_embedded(store, job)))
        except Refused as exc:
            conn.send(("error", (exc.status, exc.message, exc.headers)))
        except MemoryError:
            conn.send(("error", (503, "the query needs more memory than a query may use", {})))


class _Process:
    def __init__(self, ctx: Any, path: str, memory: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, path, memory), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            self.kill()
            raise Refused(503, "no query process could start in time", {"Retry-After": "5"})
        kind, payload = self.conn.recv()
        if kind != "ready":
            self.kill()
            status, message, headers = payload
            raise Refused(status, message, headers)
        self.ready = True

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(timeout=5)
        with contextlib.suppress(OSError):
            self.conn.close()


class QueryProcesses:
    """At most ``workers`` worker processes answering queries over the store at ``path``."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        workers: int = 4,
        memory: int | None = 2 << 30,
        start_timeout: float = 30.0,
    ) -> None:
        self.path = str(Path(path))
        self.workers = workers
        self.memory = memory
        self.start_timeout = start_timeout
        # spawned, not forked: the server runs threads, which a fork would copy half-way
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: list[_Process] = []
        self._busy = 0
        self._generation = 0
        self._lock = threading.Lock()

    def _take(self) -> tuple[_Process, int]:
        with self._lock:
            if self._busy >= self.workers:
                raise Refused(
                    503,
                    f"all {self.workers} query processes are busy: try again shortly",
                    {"Retry-After": "2"},
                )
            self._busy += 1
            generation = self._generation
            if self._idle:
                return self._idle.pop(), generation
        try:
            return _Process(self._ctx, self.path, self.memory), generation
        except BaseException:
            with self._lock:
                self._busy -= 1
            raise

    def _give_back(self, proc: _Process | None, generation: int) -> None:
        with self._lock:
            self._busy -= 1
            if proc is not None and generation == self._generation:
                self._idle.append(proc)
                return
        if proc is not None:
            proc.kill()

    def run(self, job: Job, on_late: Callable[[], Refused]) -> Any:
        """The answer of ``job``; its process is killed if it is not done within
        ``job.deadline_seconds`` (then ``on_late()`` is raised)."""
        proc, generation = self._take()
        kept: _Process | None = None
        try:
            proc.wait_ready(self.start_timeout)
            proc.conn.send(job)
            if not proc.conn.poll(job.deadline_seconds):
                raise on_late()
            try:
                kind, payload = proc.conn.recv()
            except (EOFError, OSError):
                raise Refused(
                    503, "the query stopped: it needed more memory than a query may use"
                ) from None
            kept = proc
            if kind == "error":
                status, message, headers = payload
                raise Refused(status, message, headers)
            return payload
        finally:
            if kept is None:
                proc.kill()
            self._give_back(kept, generation)

    def restart(self) -> None:
        """Replace the idle processes (after a write: the next query reads the new
        content); busy ones are replaced when they finish."""
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for proc in idle:
            proc.kill()

    def close(self) -> None:
        self.restart()
